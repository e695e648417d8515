import * as tf from '@tensorflow/tfjs';
import type { Mnist } from '../src/core/data/mnist.ts';
import { type NodeBackend, initNodeBackend } from '../src/node/backend.ts';
import { loadMnist } from '../src/node/mnist-files.ts';

/** Starts `backend` for a test file and fails loudly if it fell back. */
export async function useBackend(backend: NodeBackend): Promise<void> {
  const started = await initNodeBackend(backend);
  if (started.backend !== backend) throw new Error(`wanted ${backend}: ${started.notice}`);
  if (tf.getBackend() !== backend) throw new Error(`backend is ${tf.getBackend()}`);
}

let mnist: Promise<Mnist> | null = null;

/** The real MNIST, prepared by `npm run prepare-data`, loaded once per test file. */
export function realMnist(): Promise<Mnist> {
  mnist ??= loadMnist();
  return mnist;
}

export { collect } from './isolation.ts';
