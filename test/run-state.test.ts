import { describe, expect, test } from 'vitest';
import type { ExperimentResults } from '../src/core/experiments/results.ts';
import type { PairResult } from '../src/core/records.ts';
import { comparisonRows, denseErrorBand, densityRows, densityToX, errorVsKRows, instabilityRows, kToX, pathRows } from '../src/ui/chart-data.ts';
import { readFile } from 'node:fs/promises';
import type { ExperimentEvent } from '../src/core/experiments/events.ts';
import { parseResultsFile } from '../src/core/experiments/results-file.ts';
import { EMPTY_RUN, applyEvent, applyEvents, finishedPairs, pairKey, runFromEvents, runFromResults } from '../src/ui/run-state.ts';

const progress = { type: 'progress' as const, phase: 'copy' as const, k: 0, init: 0, fractionDone: 0.5, elapsedSeconds: 1, etaSeconds: 1 };
const at = { kind: 'dense' as const, level: 0, k: 0, init: 0, pair: 1 };
const distances = { l2: 1, cosine: 0.1, initToK: 0, kToT: 2, classifiedDifferently: 3, lossL2: 4 };

describe('run state reducer', () => {
  test('many events at once give exactly the state of applying them one by one (points, repeats after a resume, progress, done)', async () => {
    const results = parseResultsFile(await readFile('public/demos/lenet-imp.json', 'utf8'), 'lenet-imp');
    if (results.format !== 'lmc-lab/imp') throw new Error('expected the IMP demo');
    const events: ExperimentEvent[] = [progress];
    for (const p of results.pairs.slice(0, 3))
      p.testErrors.forEach((testError, alphaIndex) => events.push({ type: 'point', ...p, alphaIndex, alpha: p.alphas[alphaIndex] ?? 0, testError }));
    for (const result of results.accuracies) events.push({ type: 'accuracy', result });
    for (const result of results.pairs) events.push({ type: 'pair', result });
    for (const summary of results.summaries) events.push({ type: 'summary', summary });
    // A resumed run re-emits what its checkpoint held.
    for (const result of results.accuracies.slice(0, 4)) events.push({ type: 'accuracy', result });
    events.push({ type: 'summary', summary: results.summaries[0]! }, progress, { type: 'done', results });
    const start = { ...EMPTY_RUN, runId: 'r', phase: 'preparing' as const };
    expect(applyEvents(start, events)).toEqual(events.reduce(applyEvent, start));
    expect(finishedPairs(runFromResults(results))).toEqual(results.pairs);
  });

  test('points fill a pair’s curve by alpha index; the pair result completes it', () => {
    let s = applyEvent({ ...EMPTY_RUN, runId: 'r', phase: 'preparing' }, progress);
    expect(s.phase).toBe('running');
    s = applyEvent(s, { type: 'point', ...at, alphaIndex: 2, alpha: 1, testError: 3 });
    s = applyEvent(s, { type: 'point', ...at, alphaIndex: 0, alpha: 0, testError: 2, trainError: 1 });
    const streaming = s.pairs[pairKey(at)];
    expect(streaming?.testErrors).toEqual([2, undefined, 3]);
    expect(streaming?.trainErrors).toEqual([1]);
    const result: PairResult = { ...at, density: 1, alphas: [0, 0.5, 1], testErrors: [2, 4, 3], testBarrier: 1.5, distances };
    s = applyEvent(s, { type: 'pair', result });
    expect(s.pairs[pairKey(at)]?.testErrors).toEqual([2, 4, 3]);
    expect(finishedPairs(s)).toEqual([result]);
  });

  test('pairs of different kinds and levels at the same k stay apart', () => {
    let s = applyEvent(EMPTY_RUN, { type: 'point', ...at, alphaIndex: 0, alpha: 0, testError: 2 });
    s = applyEvent(s, { type: 'point', ...at, kind: 'imp', level: 3, alphaIndex: 0, alpha: 0, testError: 5 });
    expect(Object.keys(s.pairs)).toEqual(['dense/0/0/0/1', 'imp/3/0/0/1']);
  });

  test('summaries stay sorted and replace an earlier one for the same kind, level and k', () => {
    const summary = (k: number, mean: number, kind: 'dense' | 'imp' = 'dense') => ({
      type: 'summary' as const,
      summary: { kind, level: 0, density: 1, k, test: { mean, std: 0, n: 1 }, stable: mean < 2 },
    });
    let s = applyEvent(EMPTY_RUN, summary(100, 1));
    s = applyEvent(s, summary(0, 5));
    s = applyEvent(s, summary(100, 0.5));
    s = applyEvent(s, summary(100, 7, 'imp'));
    expect(s.summaries.map((x) => [x.kind, x.k, x.test.mean])).toEqual([
      ['dense', 0, 5],
      ['dense', 100, 0.5],
      ['imp', 100, 7],
    ]);
  });

  test('accuracies accumulate in arrival order; one re-emitted by a resumed run replaces its earlier copy', () => {
    const a = { kind: 'imp' as const, level: 1, density: 0.8, k: 0, init: 0, testError: 2 };
    let s = applyEvent(applyEvent(EMPTY_RUN, { type: 'accuracy', result: a }), { type: 'accuracy', result: { ...a, level: 2 } });
    expect(s.accuracies.map((x) => x.level)).toEqual([1, 2]);
    s = applyEvent(s, { type: 'accuracy', result: { ...a, testError: 2 } });
    expect(s.accuracies.map((x) => [x.level, x.testError])).toEqual([
      [2, 2],
      [1, 2],
    ]);
  });

  test('a stored run opened unfinished shows its results so far, stopped, with the message given', () => {
    const result: PairResult = { ...at, density: 1, alphas: [0, 1], testErrors: [2, 3], testBarrier: 0.5, distances };
    const s = runFromEvents('stored-1', [{ type: 'pair', result }], 'Stored run, 40% done');
    expect(s).toMatchObject({ runId: 'stored-1', phase: 'cancelled', statusMessage: 'Stored run, 40% done' });
    expect(finishedPairs(s)).toEqual([result]);
  });
});

describe('chart data', () => {
  test('path rows hold each pair and the mean ± sample std over pairs at each alpha', () => {
    const pairs = [
      { ...at, pair: 0, alphas: [0, 1], testErrors: [2, 4], trainErrors: [] },
      { ...at, pair: 1, alphas: [0], testErrors: [4], trainErrors: [] },
    ];
    const rows = pathRows(pairs, 2);
    expect(rows[0]).toMatchObject({ alpha: 0, 'test:0.0': 2, 'test:0.1': 4, testMean: 3 });
    expect(rows[0]?.testBand).toEqual([3 - Math.SQRT2, 3 + Math.SQRT2]);
    expect(rows[1]).toMatchObject({ alpha: 1, 'test:0.0': 4, testMean: 4, testBand: [4, 4] });
    expect(rows[1]?.trainMean).toBeUndefined();
  });

  test('instability rows put k on a log10(k + 1) axis, one column per kind', () => {
    expect(kToX(0)).toBe(0);
    expect(kToX(99)).toBe(2);
    const rows = instabilityRows([
      { kind: 'imp', level: 2, density: 0.64, k: 9, test: { mean: 3, std: 1, n: 2 }, train: { mean: 2, std: 0, n: 2 }, stable: false },
      { kind: 'random-prune', level: 2, density: 0.64, k: 9, test: { mean: 8, std: 2, n: 2 }, stable: false },
    ]);
    expect(rows).toEqual([{ x: 1, imp: 3, 'imp:err': [1, 1], 'imp:train': 2, 'imp:train:err': [0, 0], 'random-prune': 8, 'random-prune:err': [2, 2] }]);
  });

  test('density and error-vs-k rows average over initialisations; the dense band is mean ± std', () => {
    const acc = [
      { kind: 'dense' as const, level: 0, density: 1, k: 0, init: 0, testError: 2 },
      { kind: 'dense' as const, level: 0, density: 1, k: 0, init: 1, testError: 4 },
      { kind: 'imp' as const, level: 1, density: 0.1, k: 0, init: 0, testError: 3 },
      { kind: 'imp' as const, level: 1, density: 0.1, k: 0, init: 1, testError: 5 },
      { kind: 'imp' as const, level: 1, density: 0.1, k: 9, init: 0, testError: 1 },
    ];
    expect(denseErrorBand(acc)).toEqual({ mean: 3, std: Math.SQRT2, n: 2 });
    expect(densityToX(0.1)).toBe(1);
    expect(densityRows(acc, 0)).toEqual([{ x: 1, imp: 4, 'imp:err': [Math.SQRT2, Math.SQRT2] }]);
    expect(errorVsKRows(acc, 1)).toEqual([
      { x: 0, imp: 4, 'imp:err': [Math.SQRT2, Math.SQRT2] },
      { x: 1, imp: 1, 'imp:err': [0, 0] },
    ]);
  });

  test('the comparison chart has one series per run (and kind, at its sparsest level) over the union of their ks', () => {
    const summary = (kind: 'dense' | 'imp', level: number, k: number, mean: number) => ({
      kind,
      level,
      density: 0.8 ** level,
      k,
      test: { mean, std: 1, n: 2 },
      stable: mean < 2,
    });
    const base = { format: 'lmc-lab/instability' as const, pairs: [] } as unknown as ExperimentResults;
    const runs = [
      { id: 'a', label: 'A', results: { ...base, summaries: [summary('dense', 0, 0, 9), summary('dense', 0, 100, 1)] } },
      { id: 'b', label: 'B', results: { ...base, summaries: [summary('imp', 1, 0, 5), summary('imp', 2, 0, 7), summary('imp', 2, 500, 0.5)] } },
    ];
    const { rows, series } = comparisonRows(runs);
    expect(series).toEqual([
      { key: 'run0:dense', run: 0, kind: 'dense', level: 0 },
      { key: 'run1:imp', run: 1, kind: 'imp', level: 2 },
    ]);
    expect(rows).toEqual([
      { x: kToX(0), 'run0:dense': 9, 'run0:dense:err': [1, 1], 'run1:imp': 7, 'run1:imp:err': [1, 1] },
      { x: kToX(100), 'run0:dense': 1, 'run0:dense:err': [1, 1] },
      { x: kToX(500), 'run1:imp': 0.5, 'run1:imp:err': [1, 1] },
    ]);
  });
});
