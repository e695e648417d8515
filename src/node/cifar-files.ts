import { join } from 'node:path';
import { CIFAR_FILES, CIFAR_MD5, type Cifar10, parseCifar10 } from '../core/data/cifar.ts';
import { checkDigests, readNamedFiles } from './data-files.ts';

/** Where `npm run data:cifar` puts CIFAR-10, relative to the repository root. */
export const PUBLIC_CIFAR_DIR = join('public', 'data', 'cifar10');

/** Reads the six official binary files from `dir`; a missing file is reported by name. */
export function readCifarFiles(dir: string): Promise<Map<string, Uint8Array>> {
  return readNamedFiles(dir, CIFAR_FILES, 'run `npm run data:cifar`');
}

/** Throws {@link DataFormatError} for the first file whose MD5 differs from the official one. */
export function checkCifarDigests(files: ReadonlyMap<string, Uint8Array>, dir: string): void {
  checkDigests(files, CIFAR_MD5, dir);
}

/** Loads and parses CIFAR-10 from `dir` (default: the prepared copy under public/). */
export async function loadCifar10(dir: string = PUBLIC_CIFAR_DIR): Promise<Cifar10> {
  return parseCifar10(await readCifarFiles(dir));
}
