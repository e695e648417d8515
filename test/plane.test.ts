import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { combineParams, triangleIndex, trianglePoints, triangleSize } from '../src/core/analysis/plane.ts';
import type { ExperimentEvent } from '../src/core/experiments/events.ts';
import { runInstabilityAnalysis } from '../src/core/experiments/instability.ts';
import { parseResultsFile } from '../src/core/experiments/results-file.ts';
import { workPlan } from '../src/core/experiments/work.ts';
import type { PairResult } from '../src/core/records.ts';
import { drawnAt, errorColor, planeCells } from '../src/ui/plane-geometry.ts';
import { TINY_CPU_RUN, collect, realMnist, useBackend } from './helpers.ts';

beforeAll(() => useBackend('cpu'));

describe('the triangle through three networks', () => {
  test('its points, in order, with the path’s side marked (hand-listed for 3 per side)', () => {
    expect(trianglePoints(3)).toEqual([
      { a: 0, b: 0, onPath: false },
      { a: 0, b: 0.5, onPath: false },
      { a: 0, b: 1, onPath: true },
      { a: 0.5, b: 0, onPath: false },
      { a: 0.5, b: 0.5, onPath: true },
      { a: 1, b: 0, onPath: true },
    ]);
    expect(triangleSize(3)).toBe(6);
    expect([triangleIndex(3, 0, 0), triangleIndex(3, 0, 2), triangleIndex(3, 1, 1), triangleIndex(3, 2, 0)]).toEqual([0, 2, 4, 5]);
    expect(trianglePoints(11)).toHaveLength(triangleSize(11));
    expect(() => trianglePoints(1)).toThrow('need at least 2 points per side, got 1');
  });

  test('a point is (1 − a − b)·W₀ + a·W₁ + b·W₂ (hand-computed), and frees what it makes', () => {
    const net = (v: number) => new Map([['x', tf.tensor1d([v, 2 * v])]]);
    const [w0, w1, w2] = [net(1), net(3), net(7)];
    const before = tf.memory().numTensors;
    const point = combineParams(w0, w1, w2, { a: 0.5, b: 0.25, onPath: false });
    expect(Array.from(point.get('x')?.dataSync() ?? [])).toEqual([3.5, 7]); // 0.25·1 + 0.5·3 + 0.25·7
    for (const t of point.values()) t.dispose();
    expect(tf.memory().numTensors).toBe(before);
    for (const w of [w0, w1, w2]) for (const t of w.values()) t.dispose();
  });
});

describe('the drawn error plane', () => {
  test('a lattice of (G − 1)² cells, each the mean of its corners; low errors bright, high dark', () => {
    // 3 per side: errors at (i, j) in triangle order; cells (0,0)(1,0)(0,1), (1,0)(0,1)(1,1), (1,0)(2,0)(1,1), (0,1)(1,1)(0,2).
    const errors = [1, 2, 3, 4, 5, 6]; // (0,0) (0,1) (0,2) (1,0) (1,1) (2,0)
    const cells = planeCells(3, errors);
    expect(cells).toHaveLength(4);
    expect(cells.map((c) => c.error)).toEqual([(1 + 4 + 2) / 3, (4 + 2 + 5) / 3, (2 + 5 + 3) / 3, (4 + 6 + 5) / 3]);
    expect(planeCells(11, Array(66).fill(0))).toHaveLength(100);
    expect(drawnAt(1, 0)).toEqual({ x: 1, y: 0 });
    expect(drawnAt(0, 1)).toEqual({ x: 0.5, y: Math.sqrt(3) / 2 });
    expect([errorColor(5, 5, 9), errorColor(9, 5, 9), errorColor(7, 5, 9)]).toEqual(['#fde725', '#440154', '#21918c']);
  });
});

describe('the error plane of a run (cpu)', () => {
  const PLANE = { ...TINY_CPU_RUN, planeGrid: 3, alphas: 3, testExamples: 100 };

  test('only the first pair at each k has one; its side between the copies is exactly the pair’s path', async () => {
    const mnist = await realMnist();
    const events: ExperimentEvent[] = await collect(runInstabilityAnalysis(PLANE, mnist, { backend: 'cpu' }));
    const pairs = events.flatMap((e) => (e.type === 'pair' ? [e.result] : []));
    expect(pairs.map((p) => `${p.k}/${p.init}: ${p.plane ? 'plane' : '-'}`)).toEqual(['0/0: plane', '0/1: -', '4/0: plane', '4/1: -']);
    for (const p of pairs.filter((x) => x.plane)) {
      const plane = p.plane as NonNullable<PairResult['plane']>;
      expect(plane.testErrors).toHaveLength(6);
      // (a, b) = (1 − α, α): the path from copy 1 to copy 2.
      expect([0, 1, 2].map((j) => plane.testErrors[triangleIndex(3, 2 - j, j)])).toEqual(p.testErrors);
    }
    // Each k's plane is 6 more evaluations.
    expect(workPlan(PLANE).evaluations).toBe(2 * 2 * 3 + 2 * 6);
    const done = events.at(-1);
    if (done?.type !== 'done') throw new Error('the run did not finish');
    expect(parseResultsFile(JSON.stringify(done.results), 'plane.json').pairs).toEqual(done.results.pairs);
    const moved = {
      ...done.results,
      pairs: done.results.pairs.map((p) => (p.plane ? { ...p, plane: { ...p.plane, testErrors: [...p.plane.testErrors].reverse() } } : p)),
    };
    expect(() => parseResultsFile(JSON.stringify(moved), 'plane.json')).toThrow(
      'plane.json: pairs.0: the error plane’s corners at the two copies are not the ends of the pair’s path',
    );
    expect(tf.memory().numTensors).toBe(0);
  });
});
