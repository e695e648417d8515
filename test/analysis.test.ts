import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { errorBarrier, isStable } from '../src/core/analysis/barrier.ts';
import { evenlySpacedAlphas, interpolateParams } from '../src/core/analysis/interpolate.ts';
import { meanStd } from '../src/core/analysis/stats.ts';
import { lenet300100 } from '../src/core/models/lenet.ts';
import { disposeParams, initParams } from '../src/core/models/params.ts';
import { useBackend } from './helpers.ts';

beforeAll(() => useBackend('cpu'));

describe('error barrier', () => {
  test('is the maximum minus the mean of the endpoints, on hand-built curves', () => {
    expect(errorBarrier([2, 3, 5, 2.5])).toBe(5 - 2.25);
    expect(errorBarrier([1.7, 1.6, 1.9])).toBeCloseTo(0.1, 12);
    // A monotone path has its maximum at an endpoint: barrier = half the endpoint gap.
    expect(errorBarrier([1, 2, 3])).toBe(1);
    expect(errorBarrier([90, 4, 4])).toBe(43);
    expect(() => errorBarrier([1])).toThrow(RangeError);
  });

  test('stable means below 2 percentage points', () => {
    expect(isStable(1.99)).toBe(true);
    expect(isStable(2)).toBe(false);
    expect(isStable(0.5, 0.4)).toBe(false);
  });

  test('mean and sample standard deviation', () => {
    expect(meanStd([2, 4, 4, 4, 5, 5, 7, 9])).toEqual({ mean: 5, std: Math.sqrt(32 / 7), n: 8 });
    expect(meanStd([3])).toEqual({ mean: 3, std: 0, n: 1 });
  });
});

describe('interpolation', () => {
  test('30 evenly spaced alphas include both endpoints exactly', () => {
    const alphas = evenlySpacedAlphas(30);
    expect(alphas).toHaveLength(30);
    expect(alphas[0]).toBe(0);
    expect(alphas[29]).toBe(1);
    expect(alphas[1]).toBeCloseTo(1 / 29, 15);
    expect(() => evenlySpacedAlphas(1)).toThrow(RangeError);
  });

  test('alpha 0 and 1 return the endpoints bit for bit; 0.5 the midpoint; nothing leaks', () => {
    const a = initParams(lenet300100.specs, 1);
    const b = initParams(lenet300100.specs, 2);
    const before = tf.memory().numTensors;
    for (const [alpha, expected] of [
      [0, a],
      [1, b],
    ] as const) {
      const p = interpolateParams(a, b, alpha);
      for (const [name, t] of p) expect([...t.dataSync()]).toEqual([...expected.get(name)!.dataSync()]);
      disposeParams(p);
    }
    const mid = interpolateParams(a, b, 0.5);
    const w = mid.get('fc2.bias')!.dataSync();
    const wa = a.get('fc2.bias')!.dataSync();
    const wb = b.get('fc2.bias')!.dataSync();
    for (let i = 0; i < w.length; i++) expect(w[i]).toBeCloseTo(((wa[i] ?? 0) + (wb[i] ?? 0)) / 2, 6);
    disposeParams(mid);
    expect(tf.memory().numTensors).toBe(before);
    disposeParams(a);
    disposeParams(b);
  });
});
