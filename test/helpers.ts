import * as tf from '@tensorflow/tfjs';
import type { Mnist } from '../src/core/data/mnist.ts';
import { PRESETS } from '../src/core/experiments/presets.ts';
import { type NodeBackend, initNodeBackend } from '../src/node/backend.ts';
import { loadMnist } from '../src/node/mnist-files.ts';
import { DataOrder } from '../src/core/data/order.ts';
import { createOptimizer } from '../src/core/train/optimizer.ts';
import type { Trainee } from '../src/core/train/trainer.ts';

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

/**
 * The smallest instability analysis the exactness tests run on the cpu backend: two rewind
 * steps, two inits, one pair each. Batches of 10: the cpu backend's cost per step is mostly per
 * weight, so these tests stay quick on a busy machine.
 */
export const TINY_CPU_RUN = {
  ...PRESETS['lenet-quick'],
  backend: 'cpu' as const,
  batchSize: 10,
  trainingSteps: 10,
  rewindSteps: [0, 4],
  inits: 2,
  pairsPerInit: 1,
  alphas: 3,
  testExamples: 200,
};

/**
 * The smallest IMP run that still rewinds to a k > 0 through two levels with both baselines (cpu,
 * ~7 s here), so a test on it stays far under its timeout on a busy machine.
 */
export const TINY_IMP_RUN = {
  ...PRESETS['lenet-imp-quick'],
  backend: 'cpu' as const,
  batchSize: 10,
  trainingSteps: 4,
  rewindSteps: [2],
  inits: 1,
  pairsPerInit: 1,
  pruneRounds: 2,
  alphas: 3,
  testExamples: 200,
  trainEval: false,
};

/** A fresh trainee on `params` with open_lth's CIFAR optimiser (SGD, momentum 0.9, weight decay 1e-4) and a seed-1 data order over `trainCount` examples in batches of `batchSize`. */
export function sgdTrainee(params: Map<string, tf.Variable>, trainCount: number, batchSize: number): Trainee {
  return {
    params,
    optimizer: createOptimizer({ kind: 'sgd', momentum: 0.9, weightDecay: 1e-4 }),
    order: new DataOrder(1, trainCount, batchSize),
    step: 0,
    scheduleOffset: 0,
    mask: null,
  };
}
