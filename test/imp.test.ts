import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { PRESETS } from '../src/core/experiments/presets.ts';
import type { ExperimentEvent } from '../src/core/experiments/events.ts';
import { runImp } from '../src/core/experiments/imp.ts';
import { isAbortError } from '../src/core/train/yield.ts';
import { collect, realMnist, useBackend } from './helpers.ts';

beforeAll(() => useBackend('wasm'));

const SMALL = {
  ...PRESETS['lenet-imp-quick'],
  trainingSteps: 30,
  rewindSteps: [0, 10],
  pruneRounds: 2,
  pruneFraction: 0.2,
  pruneOutput: 'prune' as const,
  subnetInstability: 'all' as const,
  alphas: 3,
  testExamples: 300,
};

describe('IMP with rewinding on real MNIST (wasm)', () => {
  test('reaches 0.8^r density after r rounds and reports every network’s accuracy, pairs and verdicts', async () => {
    const mnist = await realMnist();
    const events = await collect(runImp(SMALL, mnist, { backend: 'wasm' }));
    const accuracies = events.flatMap((e) => (e.type === 'accuracy' ? [e.result] : []));
    expect(accuracies.filter((a) => a.kind === 'dense')).toHaveLength(1);
    // 2 levels × 2 rewind steps × 3 kinds
    expect(accuracies.filter((a) => a.kind !== 'dense')).toHaveLength(12);
    let alive = 266_200;
    for (let level = 1; level <= 2; level++) {
      alive -= Math.ceil(0.2 * alive);
      for (const a of accuracies.filter((x) => x.level === level)) expect(a.density).toBe(alive / 266_200);
    }
    expect(accuracies.find((a) => a.level === 2)?.density).toBeCloseTo(0.8 ** 2, 4);
    for (const a of accuracies) expect(a.testError).toBeLessThan(40);
    const pairs = events.flatMap((e) => (e.type === 'pair' ? [e.result] : []));
    expect(pairs).toHaveLength(2 * 2 * 3);
    for (const p of pairs) {
      expect(p.testErrors).toHaveLength(3);
      expect(p.distances.l2).toBeGreaterThan(0);
      expect(p.distances.classifiedDifferently).toBeGreaterThanOrEqual(0);
      expect(p.distances.classifiedDifferently).toBeLessThanOrEqual(300);
      if (p.kind !== 'random-reinit' && p.k === 10) expect(p.distances.initToK).toBeGreaterThan(0);
      if (p.k === 0 && p.kind !== 'random-reinit') expect(p.distances.initToK).toBeCloseTo(0, 5);
    }
    const done = events.at(-1) as Extract<ExperimentEvent, { type: 'done' }>;
    expect(done.results.format).toBe('lmc-lab/imp');
    if (done.results.format !== 'lmc-lab/imp') return;
    expect(done.results.table).toHaveLength(4);
    expect(done.results.summaries).toHaveLength(12);
    expect(done.results.figure9).toHaveLength(6);
    for (const row of done.results.table) expect(row.delta).toBeCloseTo(row.full - row.imp, 10);
    expect(tf.memory().numTensors).toBe(0);
  });

  test('cancelling mid-level frees every tensor', async () => {
    const mnist = await realMnist();
    const controller = new AbortController();
    let error: unknown = null;
    try {
      for await (const e of runImp(SMALL, mnist, { backend: 'wasm', signal: controller.signal, reportEveryMs: 0 })) {
        if (e.type === 'progress' && e.phase === 'copy' && e.level === 1 && e.kind === 'random-prune') controller.abort();
      }
    } catch (e) {
      error = e;
    }
    expect(isAbortError(error)).toBe(true);
    expect(tf.memory().numTensors).toBe(0);
  });

  test('one-shot pruning goes straight from the dense network to each density', async () => {
    const mnist = await realMnist();
    const config = {
      ...SMALL,
      pruneStrategy: 'one-shot' as const,
      rewindSteps: [0],
      randomPrune: false,
      randomReinit: false,
      subnetInstability: 'none' as const,
      pruneRounds: 2,
      pruneFraction: 0.5,
    };
    const events = await collect(runImp(config, mnist, { backend: 'wasm' }));
    const densities = events.flatMap((e) => (e.type === 'accuracy' && e.result.kind === 'imp' ? [e.result.density] : []));
    expect(densities).toEqual([133_100 / 266_200, (266_200 - Math.ceil(0.75 * 266_200)) / 266_200]);
    expect(events.some((e) => e.type === 'pair')).toBe(false);
    expect(tf.memory().numTensors).toBe(0);
  });
});
