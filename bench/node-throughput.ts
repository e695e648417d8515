/**
 * Node measurements for `npm run bench`: our training throughput (examples/s) on each Node
 * backend, a naive tf.layers baseline on the same backend, the wasm matMul GFLOP/s ceiling,
 * the cost of one interpolation sweep, and memory. Every number is measured in this process.
 */
import * as tf from '@tensorflow/tfjs';
import { evaluateError, disposeEvalSet, prepareEvalSet } from '../src/core/analysis/evaluate.ts';
import { evenlySpacedAlphas, interpolateParams } from '../src/core/analysis/interpolate.ts';
import { type ImageDataset, makeBatch, takeFirst } from '../src/core/data/dataset.ts';
import { DataOrder } from '../src/core/data/order.ts';
import { lenet300100 } from '../src/core/models/lenet.ts';
import type { Model } from '../src/core/models/model.ts';
import { resnet20 } from '../src/core/models/resnet.ts';
import { disposeParams, initParams } from '../src/core/models/params.ts';
import type { OptimizerSettings } from '../src/core/train/optimizer.ts';
import { measureStepsPerSecond } from '../src/core/train/probe.ts';

/** A training setup to time. */
export interface Workload {
  readonly name: string;
  readonly model: Model;
  readonly data: ImageDataset;
  readonly optimizer: OptimizerSettings;
  readonly learningRate: number;
  readonly batchSize: number;
}

/** The bench's LeNet-300-100 workload: the paper's batch 60 and Adam at 1.2e-3, on `data`. */
export function lenetWorkload(data: ImageDataset): Workload {
  return {
    name: 'LeNet-300-100 (batch 60, Adam)',
    model: lenet300100,
    data,
    optimizer: { kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 },
    learningRate: 1.2e-3,
    batchSize: 60,
  };
}

/** The bench's ResNet-20 workload: full width, the paper's batch 128 and SGD (momentum 0.9, weight decay 1e-4) at 0.1, on `data`. */
export function resnetWorkload(data: ImageDataset): Workload {
  return {
    name: 'ResNet-20 (batch 128, SGD)',
    model: resnet20(16),
    data,
    optimizer: { kind: 'sgd', momentum: 0.9, weightDecay: 1e-4 },
    learningRate: 0.1,
    batchSize: 128,
  };
}

/** Times `steps` of our training loop after `warmup` steps; returns examples/s. */
export async function oursExamplesPerSecond(w: Workload, steps: number, warmup: number): Promise<number> {
  return w.batchSize * (await measureStepsPerSecond(w.model, w.data, w.optimizer, w.batchSize, steps, warmup, w.learningRate));
}

/** The same LeNet-300-100 step with tf.layers and `trainOnBatch` (the naive baseline). */
export async function naiveLenetExamplesPerSecond(data: ImageDataset, steps: number, warmup: number): Promise<number> {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [784], units: 300, activation: 'relu', kernelInitializer: 'heNormal' }),
      tf.layers.dense({ units: 100, activation: 'relu', kernelInitializer: 'heNormal' }),
      tf.layers.dense({ units: 10, kernelInitializer: 'heNormal' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1.2e-3), loss: (y: tf.Tensor, p: tf.Tensor) => tf.losses.softmaxCrossEntropy(y, p) });
  const order = new DataOrder(1, data.count, 60);
  const step = async (s: number): Promise<void> => {
    const b = makeBatch(data, order.batchIndices(s));
    const y = tf.oneHot(b.y, 10);
    await model.trainOnBatch(b.x, y);
    tf.dispose([b.x, b.y, y]);
  };
  for (let i = 0; i < warmup; i++) await step(i);
  const start = performance.now();
  for (let i = 0; i < steps; i++) await step(warmup + i);
  const rate = (steps * 60 * 1000) / (performance.now() - start);
  model.dispose();
  return rate;
}

/** Sustained matMul GFLOP/s of the current backend (n × n by n × n, float32). */
export async function matMulGflops(n = 768, reps = 8): Promise<number> {
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  await tf.matMul(a, b).data();
  const start = performance.now();
  let c: tf.Tensor | null = null;
  for (let i = 0; i < reps; i++) {
    c?.dispose();
    c = tf.matMul(a, b);
  }
  await c?.data();
  const seconds = (performance.now() - start) / 1000;
  tf.dispose([a, b, c as tf.Tensor]);
  return (2 * n ** 3 * reps) / seconds / 1e9;
}

/** Seconds for one interpolation sweep: `alphas` points, each evaluated on `testExamples` images. */
export async function sweepSeconds(model: Model, test: ImageDataset, testExamples: number, alphas = 30): Promise<number> {
  const a = initParams(model.specs, 1);
  const b = initParams(model.specs, 2);
  const set = prepareEvalSet(takeFirst(test, testExamples), model.evalBatchSize);
  const start = performance.now();
  for (const alpha of evenlySpacedAlphas(alphas)) {
    const point = interpolateParams(a, b, alpha);
    await evaluateError(model, point, set);
    disposeParams(point);
  }
  const seconds = (performance.now() - start) / 1000;
  disposeEvalSet(set);
  disposeParams(a);
  disposeParams(b);
  return seconds;
}
