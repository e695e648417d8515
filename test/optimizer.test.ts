import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { createOptimizer } from '../src/core/train/optimizer.ts';
import { learningRateAt } from '../src/core/train/schedule.ts';
import { useBackend } from './helpers.ts';

beforeAll(() => useBackend('cpu'));

function oneParam(value: number): Map<string, tf.Variable> {
  return new Map([['p', tf.variable(tf.tensor1d([value]))]]);
}

function step(opt: ReturnType<typeof createOptimizer>, params: Map<string, tf.Variable>, grad: number, lr: number): number {
  const g = tf.tensor1d([grad]);
  opt.step(params, new Map([['p', g]]), lr);
  g.dispose();
  return params.get('p')!.dataSync()[0]!;
}

describe('optimisers (PyTorch semantics, hand-computed)', () => {
  test('Adam: two steps of p=1 with gradients 0.5 then −0.2', () => {
    const params = oneParam(1);
    const adam = createOptimizer({ kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 });
    // Step 1: m = 0.05, v = 0.00025; m̂ = 0.5, v̂ = 0.25 → p = 1 − 0.01·0.5/(0.5 + 1e-8).
    expect(step(adam, params, 0.5, 0.01)).toBeCloseTo(0.99, 6);
    // Step 2: m = 0.045 − 0.02 = 0.025, v = 0.00024975 + 0.00004 = 0.00028975;
    // m̂ = 0.025/0.19 = 0.131579, v̂ = 0.00028975/0.001999 = 0.144947 → Δ = 0.01·0.131579/0.380719.
    expect(step(adam, params, -0.2, 0.01)).toBeCloseTo(0.99 - (0.01 * 0.131579) / 0.380719, 5);
    expect(adam.updates).toBe(2);
    adam.dispose();
    params.get('p')!.dispose();
  });

  test('SGD with momentum 0.9 and weight decay 0.1', () => {
    const params = oneParam(1);
    const sgd = createOptimizer({ kind: 'sgd', momentum: 0.9, weightDecay: 0.1 });
    // g' = 0.5 + 0.1·1 = 0.6, buf = 0.6, p = 1 − 0.1·0.6 = 0.94
    expect(step(sgd, params, 0.5, 0.1)).toBeCloseTo(0.94, 6);
    // g' = 0.5 + 0.094 = 0.594, buf = 0.54 + 0.594 = 1.134, p = 0.94 − 0.1134 = 0.8266
    expect(step(sgd, params, 0.5, 0.1)).toBeCloseTo(0.8266, 6);
    sgd.dispose();
    params.get('p')!.dispose();
  });

  test('clone copies the state: both continue identically, and disposing one leaves the other', () => {
    const a = oneParam(1);
    const b = oneParam(1);
    const opt = createOptimizer({ kind: 'sgd', momentum: 0.9, weightDecay: 0 });
    step(opt, a, 1, 0.1);
    step(createOptimizer({ kind: 'sgd', momentum: 0.9, weightDecay: 0 }), b, 1, 0.1);
    const copy = opt.clone();
    expect(step(copy, b, 1, 0.1)).toBeCloseTo(step(opt, a, 1, 0.1), 7);
    copy.dispose();
    expect(step(opt, a, 1, 0.1)).toBeCloseTo(0.9 - 0.19 - 0.271, 6);
    opt.dispose();
    tf.dispose([...a.values(), ...b.values()]);
  });

  test('optimiser steps leave no tensors behind beyond their state', () => {
    const params = oneParam(1);
    const adam = createOptimizer({ kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01 });
    step(adam, params, 0.1, 0.01);
    const after1 = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) step(adam, params, 0.1, 0.01);
    expect(tf.memory().numTensors).toBe(after1);
    adam.dispose();
    expect(tf.memory().numTensors).toBe(after1 - 2);
    params.get('p')!.dispose();
  });
});

describe('learning-rate schedules', () => {
  test('constant, step drops and linear warmup', () => {
    const constant = { learningRate: 1.2e-3, milestones: [], gamma: 0.1, warmupSteps: 0 };
    expect(learningRateAt(constant, 0)).toBe(1.2e-3);
    expect(learningRateAt(constant, 23_999)).toBe(1.2e-3);
    const drops = { learningRate: 0.1, milestones: [32_000, 48_000], gamma: 0.1, warmupSteps: 0 };
    expect(learningRateAt(drops, 31_999)).toBe(0.1);
    expect(learningRateAt(drops, 32_000)).toBeCloseTo(0.01, 12);
    expect(learningRateAt(drops, 48_000)).toBeCloseTo(0.001, 12);
    const warm = { learningRate: 0.03, milestones: [32_000], gamma: 0.1, warmupSteps: 30_000 };
    expect(learningRateAt(warm, 0)).toBe(0);
    expect(learningRateAt(warm, 15_000)).toBeCloseTo(0.015, 12);
    expect(learningRateAt(warm, 30_000)).toBeCloseTo(0.03, 12);
    expect(learningRateAt(warm, 40_000)).toBeCloseTo(0.003, 12);
  });
});
