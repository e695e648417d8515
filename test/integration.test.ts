import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { disposeEvalSet, evaluateError, prepareEvalSet } from '../src/core/analysis/evaluate.ts';
import { PRESETS } from '../src/core/experiments/presets.ts';
import { runInstabilityAnalysis } from '../src/core/experiments/instability.ts';
import { createTrunk, scheduleOf } from '../src/core/experiments/trainees.ts';
import { lenet300100 } from '../src/core/models/lenet.ts';
import { disposeTrainee, trainTo } from '../src/core/train/trainer.ts';
import { collect, realMnist, useBackend } from './helpers.ts';

beforeAll(() => useBackend('wasm'));

describe('LeNet-300-100 on real MNIST (wasm)', () => {
  test('400 steps of the paper’s Adam setup reach over 90% test accuracy on all 10,000 test images', async () => {
    const mnist = await realMnist();
    const config = PRESETS['lenet-paper'];
    const trunk = createTrunk(config, lenet300100, mnist.train.count, 0);
    const testSet = prepareEvalSet(mnist.test);
    const before = await evaluateError(lenet300100, trunk.params, testSet);
    await collect(trainTo(trunk, 400, { model: lenet300100, data: mnist.train, schedule: scheduleOf(config) }));
    const after = await evaluateError(lenet300100, trunk.params, testSet);
    expect(before).toBeGreaterThan(50);
    expect(after).toBeLessThan(10);
    disposeTrainee(trunk);
    disposeEvalSet(testSet);
    expect(tf.memory().numTensors).toBe(0);
  });

  test('instability analysis at k = 0 gives a finite barrier from N evaluations per pair, endpoints included', async () => {
    const mnist = await realMnist();
    const config = { ...PRESETS['lenet-quick'], trainingSteps: 150, rewindSteps: [0], inits: 1, pairsPerInit: 2, alphas: 7, testExamples: 1000 };
    const events = await collect(runInstabilityAnalysis(config, mnist, { backend: 'wasm' }));
    const points = events.filter((e) => e.type === 'point');
    expect(points).toHaveLength(2 * 7);
    const pairs = events.flatMap((e) => (e.type === 'pair' ? [e.result] : []));
    expect(pairs).toHaveLength(2);
    for (const p of pairs) {
      expect(p.testErrors).toHaveLength(7);
      expect(p.alphas[0]).toBe(0);
      expect(p.alphas[6]).toBe(1);
      expect(Number.isFinite(p.testBarrier)).toBe(true);
      expect(p.testBarrier).toBeGreaterThanOrEqual(0);
      // Trained networks: both endpoints well below chance.
      expect(p.testErrors[0]).toBeLessThan(20);
      expect(p.testErrors[6]).toBeLessThan(20);
    }
    const summary = events.flatMap((e) => (e.type === 'summary' ? [e.summary] : []));
    expect(summary).toHaveLength(1);
    expect(summary[0]?.test.mean).toBeCloseTo(((pairs[0]?.testBarrier ?? 0) + (pairs[1]?.testBarrier ?? 0)) / 2, 10);
    const done = events.at(-1);
    expect(done?.type === 'done' && done.results.timing.trainingExamples).toBe(2 * 2 * 150 * 60);
    expect(tf.memory().numTensors).toBe(0);
  });
});
