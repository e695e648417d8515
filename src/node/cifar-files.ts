import { join } from 'node:path';
import { CIFAR_FILES, type Cifar10, parseCifar10, verifyCifar10 } from '../core/data/cifar.ts';
import { nodeMd5Hex, readNamedFiles } from './data-files.ts';

/** Where `npm run data:cifar` puts CIFAR-10, relative to the repository root. */
export const PUBLIC_CIFAR_DIR = join('public', 'data', 'cifar10');

/** Reads the six official binary files from `dir`; a missing file is reported by name. */
export function readCifarFiles(dir: string): Promise<Map<string, Uint8Array>> {
  return readNamedFiles(dir, CIFAR_FILES, 'run `npm run data:cifar`');
}

/** Throws {@link DataFormatError} for the first file whose MD5 differs from the official one. */
export function checkCifarDigests(files: ReadonlyMap<string, Uint8Array>, dir: string): void {
  verifyCifar10(files, (name) => join(dir, name), nodeMd5Hex);
}

/** Loads CIFAR-10 from `dir` (default: the prepared copy under public/), checks the official MD5s and parses it. */
export async function loadCifar10(dir: string = PUBLIC_CIFAR_DIR): Promise<Cifar10> {
  const files = await readCifarFiles(dir);
  checkCifarDigests(files, dir);
  return parseCifar10(files);
}
