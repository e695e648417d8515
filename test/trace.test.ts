import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { errorBarrier } from '../src/core/analysis/barrier.ts';
import type { Checkpoint } from '../src/core/experiments/checkpoint.ts';
import type { ExperimentEvent } from '../src/core/experiments/events.ts';
import { runInstabilityAnalysis } from '../src/core/experiments/instability.ts';
import { parseResultsFile } from '../src/core/experiments/results-file.ts';
import type { InstabilityResults } from '../src/core/experiments/results.ts';
import { traceSteps } from '../src/core/experiments/trace.ts';
import { workPlan } from '../src/core/experiments/work.ts';
import type { PairResult } from '../src/core/records.ts';
import { traceRows } from '../src/ui/chart-data.ts';
import { EMPTY_RUN, applyEvent } from '../src/ui/run-state.ts';
import { TINY_CPU_RUN, collect, realMnist, useBackend } from './helpers.ts';

beforeAll(() => useBackend('cpu'));

// One init, copies from k = 0 and 4 to T = 10, the path measured at 3 steps while they train.
const TRACED = { ...TINY_CPU_RUN, inits: 1, tracePoints: 3, testExamples: 100 };

const pairsOf = (events: ExperimentEvent[]): PairResult[] => events.flatMap((e) => (e.type === 'pair' ? [e.result] : []));
const withoutTrace = (p: PairResult): PairResult => {
  const rest = { ...p };
  delete (rest as { trace?: unknown }).trace;
  return rest;
};
const resultsOf = (events: ExperimentEvent[]): InstabilityResults => {
  const done = events.at(-1);
  if (done?.type !== 'done' || done.results.format !== 'lmc-lab/instability') throw new Error('the run did not finish');
  return done.results;
};

describe('the steps at which a pair is measured while its copies train', () => {
  test('evenly spaced after k, rounded, the last at the end, without repeats (hand-computed)', () => {
    expect(traceSteps(0, 10, 4)).toEqual([3, 5, 8, 10]); // 2.5, 5, 7.5, 10 rounded
    expect(traceSteps(4, 10, 3)).toEqual([6, 8, 10]);
    expect(traceSteps(8, 10, 5)).toEqual([9, 10]); // 8.4, 8.8, 9.2, 9.6, 10: k itself and repeats dropped
    expect(traceSteps(0, 10, 0)).toEqual([]);
    expect(traceSteps(10, 10, 3)).toEqual([10]);
  });

  test('each measurement is one more walk of the path, counted in the run’s work', () => {
    // k = 0: 3 paths, k = 4: 3 paths; 1 pair each, 3 α.
    expect(workPlan(TRACED).evaluations).toBe(3 * 3 + 3 * 3);
    expect(workPlan({ ...TRACED, tracePoints: 0 }).evaluations).toBe(3 + 3);
  });
});

describe('instability while the copies train (Appendix C, cpu)', () => {
  test('the last point is the ordinary barrier, a middle one equals the barrier of copies trained only that far, and tracing changes no other number', async () => {
    const mnist = await realMnist();
    const traced = await collect(runInstabilityAnalysis(TRACED, mnist, { backend: 'cpu' }));
    const plain = await collect(runInstabilityAnalysis({ ...TRACED, tracePoints: 0 }, mnist, { backend: 'cpu' }));
    const pairs = pairsOf(traced);
    expect(pairs.map((p) => p.trace?.map((t) => t.step))).toEqual([
      [3, 7, 10],
      [6, 8, 10],
    ]);
    for (const p of pairs) expect(p.trace?.at(-1)?.testErrors).toEqual(p.testErrors);
    expect(pairs.map((p) => withoutTrace(p))).toEqual(pairsOf(plain));
    // Adam at a constant rate: the copies at step 7 of a T = 10 run are those of a T = 7 run.
    const shorter = pairsOf(
      await collect(runInstabilityAnalysis({ ...TRACED, tracePoints: 0, trainingSteps: 7, rewindSteps: [0] }, mnist, { backend: 'cpu' })),
    );
    expect(pairs[0]?.trace?.[1]?.testErrors).toEqual(shorter[0]?.testErrors);
    // Every measurement streams as a trace event with its barrier.
    const events = traced.flatMap((e) => (e.type === 'trace' ? [e] : []));
    expect(events.map((e) => `${e.k}@${e.step}`)).toEqual(['0@3', '0@7', '0@10', '4@6', '4@8', '4@10']);
    expect(events[1]?.testBarrier).toBe(errorBarrier(pairs[0]?.trace?.[1]?.testErrors ?? []));
    expect(tf.memory().numTensors).toBe(0);
  });

  test('a checkpoint taken between two measurements resumes with the trace so far, to the uninterrupted numbers', async () => {
    const mnist = await realMnist();
    const checkpoints: Checkpoint[] = [];
    const straight = await collect(
      runInstabilityAnalysis({ ...TRACED, rewindSteps: [0] }, mnist, {
        backend: 'cpu',
        onCheckpoint: (c) => void checkpoints.push(structuredClone(c)),
        checkpointEverySeconds: 0,
      }),
    );
    const between = checkpoints.find((c) => c.experiment === 'instability' && c.inPairs?.[0]?.trace?.length === 1 && c.inPairs[0].copies[0]?.step === 5);
    expect(between).toBeDefined();
    const resumed = await collect(runInstabilityAnalysis({ ...TRACED, rewindSteps: [0] }, mnist, { backend: 'cpu', resume: between }));
    expect(pairsOf(resumed)).toEqual(pairsOf(straight));
    // The resumed run measures only what the checkpoint did not hold.
    expect(resumed.flatMap((e) => (e.type === 'trace' ? [e.step] : []))).toEqual([7, 10]);
    expect(tf.memory().numTensors).toBe(0);
  });

  test('a results file keeps the trace, and a trace that does not fit the configuration is refused', async () => {
    const mnist = await realMnist();
    const results = resultsOf(await collect(runInstabilityAnalysis({ ...TRACED, rewindSteps: [4] }, mnist, { backend: 'cpu' })));
    const text = JSON.stringify(results);
    expect(parseResultsFile(text, 'traced.json').pairs).toEqual(results.pairs);
    const broken = (change: (p: PairResult) => PairResult) => JSON.stringify({ ...results, pairs: results.pairs.map(change) });
    expect(() =>
      parseResultsFile(
        broken((p) => ({ ...p, trace: (p.trace ?? []).slice(1) })),
        'f.json',
      ),
    ).toThrow('f.json: pairs.0: a trace at steps 8, 10 where the configuration measures 6, 8, 10');
    expect(() =>
      parseResultsFile(
        broken((p) => ({ ...p, trace: (p.trace ?? []).map((t, i) => (i === 2 ? { ...t, testErrors: [1, 2, 3] } : t)) })),
        'f.json',
      ),
    ).toThrow('f.json: pairs.0: the last trace point is not the pair’s own path');
    expect(() => parseResultsFile(broken(withoutTrace), 'f.json')).toThrow('f.json: pairs.0: no trace, but the configuration measures 3 points');
  });
});

describe('the chart of instability while training', () => {
  test('one series per k: mean ± std over pairs at each step, from finished pairs and from points still streaming', () => {
    const key = { kind: 'dense' as const, level: 0, k: 0, init: 0 };
    const finished = (pair: number, errors: number[][]): PairResult => ({
      ...key,
      pair,
      density: 1,
      alphas: [0, 0.5, 1],
      testErrors: errors.at(-1) ?? [],
      testBarrier: 0,
      distances: { l2: 0, cosine: 0, initToK: 0, kToT: 0, classifiedDifferently: 0, lossL2: 0 },
      trace: errors.map((testErrors, i) => ({ step: 5 * (i + 1), testErrors })),
    });
    let run = applyEvent(EMPTY_RUN, {
      type: 'pair',
      result: finished(0, [
        [10, 14, 10],
        [8, 20, 8],
      ]),
    });
    run = applyEvent(run, {
      type: 'pair',
      result: finished(1, [
        [10, 12, 10],
        [8, 12, 8],
      ]),
    });
    // A pair at k = 3 still training: one point so far.
    run = applyEvent(run, { type: 'trace', ...key, k: 3, pair: 0, step: 5, testBarrier: 1.5 });
    const { rows, ks } = traceRows(run, 'dense', 0);
    expect(ks).toEqual([0, 3]);
    // Barriers at step 5: 4 and 2 (mean 3, sample std √2); at step 10: 12 and 4 (mean 8, std √32).
    expect(rows.map((r) => r.x)).toEqual([5, 10]);
    expect(rows[0]?.k0).toBe(3);
    expect((rows[0]?.['k0:err'] as number[])[0]).toBeCloseTo(Math.SQRT2, 12);
    expect(rows[0]?.k3).toBe(1.5);
    expect(rows[1]?.k0).toBe(8);
    expect((rows[1]?.['k0:err'] as number[])[0]).toBeCloseTo(Math.sqrt(32), 12);
    expect(traceRows(run, 'imp', 1).rows).toEqual([]);
  });
});
