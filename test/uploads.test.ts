import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { DataOrder } from '../src/core/data/order.ts';
import { modelFor } from '../src/core/models/registry.ts';
import type { OptimizerSettings } from '../src/core/train/optimizer.ts';
import { disposeTrainee, freshTrainee, trainStep } from '../src/core/train/trainer.ts';
import { useBackend } from './helpers.ts';
import { syntheticCifar } from './synthetic-cifar.ts';

beforeAll(() => useBackend('cpu'));

/** Sizes (elements) of the tensors made from CPU data during one training step: what a GPU backend uploads. */
function madeFromCpuInOneStep(model: 'lenet-300-100' | 'resnet-20', optimizer: OptimizerSettings, batch: number): number[] {
  const m = modelFor(model, 2);
  const data = syntheticCifar(64, 3);
  const mnistLike = {
    ...data,
    height: 28,
    width: 28,
    channels: 1,
    pixelsPerImage: 784,
    pixels: data.pixels.subarray(0, 64 * 784),
    augmentation: 'none' as const,
  };
  const trainee = freshTrainee(m, optimizer, 0, new DataOrder(0, 64, batch));
  const schedule = { learningRate: 0.01, milestones: [], gamma: 1, warmupSteps: 0 };
  const input = model === 'resnet-20' ? data : mnistLike;
  const engine = tf.engine() as unknown as { makeTensor: (...a: unknown[]) => tf.Tensor };
  const original = engine.makeTensor;
  const sizes: number[] = [];
  try {
    trainStep(trainee, m, input, schedule).dispose();
    engine.makeTensor = function (this: unknown, ...a: unknown[]) {
      const made = original.apply(this, a);
      sizes.push(made.size);
      return made;
    };
    trainStep(trainee, m, input, schedule).dispose();
  } finally {
    engine.makeTensor = original;
    disposeTrainee(trainee);
  }
  return sizes;
}

describe('a training step uploads its batch and a few constants, nothing the backend can make itself', () => {
  test('ResNet-20: nothing larger than the batch, and constants made once per step, not per parameter or per layer', () => {
    const sizes = madeFromCpuInOneStep('resnet-20', { kind: 'sgd', momentum: 0.9, weightDecay: 1e-4 }, 4);
    // The batch: 4 images of 32·32·3 and their 4 labels; the zeros of strided gradients and the
    // all-ones filters of the BatchNorm sums used to be made here (up to 8 MB each at batch 128).
    // Beyond scalars and labels: the batch, and the ones of TensorFlow.js's own Mean gradient (the
    // global average pool, 4·8·8·8). The zeros of the strided input gradients and the all-ones
    // filters of the BatchNorm sums were made here too (84 more tensors at this size; 2–8 MB each at batch 128).
    expect(sizes.filter((s) => s > 40)).toEqual([4 * 32 * 32 * 3, 4 * 8 * 8 * 8]);
    // Measured: 139 with the constants made once per step; 505 when every parameter and layer made its own.
    expect(sizes.length).toBeLessThan(200);
  });

  test('LeNet with Adam: its eight constants once per step', () => {
    const sizes = madeFromCpuInOneStep('lenet-300-100', { kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 }, 5);
    // Measured: 12 scalars; 44 when each of the 6 parameters made its own.
    expect(Math.max(...sizes)).toBe(5 * 784);
    expect(sizes.filter((s) => s === 1).length).toBeLessThan(20);
  });
});
