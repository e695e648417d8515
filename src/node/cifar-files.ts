import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CIFAR_FILES, CIFAR_MD5, type Cifar10, parseCifar10 } from '../core/data/cifar.ts';
import { DataFormatError } from '../core/data/idx.ts';

/** Where `npm run data:cifar` puts CIFAR-10, relative to the repository root. */
export const PUBLIC_CIFAR_DIR = join('public', 'data', 'cifar10');

/** Reads the six official binary files from `dir`; a missing file is reported by name. */
export async function readCifarFiles(dir: string): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for (const file of CIFAR_FILES) {
    try {
      out.set(file, new Uint8Array(await readFile(join(dir, file))));
    } catch (error) {
      throw new DataFormatError(join(dir, file), `cannot be read (${(error as Error).message}); run \`npm run data:cifar\``);
    }
  }
  return out;
}

/** Throws {@link DataFormatError} for the first file whose MD5 differs from the official one. */
export function checkCifarDigests(files: ReadonlyMap<string, Uint8Array>, dir: string): void {
  for (const file of CIFAR_FILES) {
    const digest = createHash('md5').update(files.get(file) ?? new Uint8Array()).digest('hex');
    if (digest !== CIFAR_MD5[file]) throw new DataFormatError(join(dir, file), `MD5 ${digest} differs from the official ${CIFAR_MD5[file]}`);
  }
}

/** Loads and parses CIFAR-10 from `dir` (default: the prepared copy under public/). */
export async function loadCifar10(dir: string = PUBLIC_CIFAR_DIR): Promise<Cifar10> {
  return parseCifar10(await readCifarFiles(dir));
}
