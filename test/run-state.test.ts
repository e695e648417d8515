import { describe, expect, test } from 'vitest';
import type { PairResult } from '../src/core/experiments/results.ts';
import { instabilityRows, kToX, pathRows } from '../src/ui/chart-data.ts';
import { EMPTY_RUN, applyEvent, pairKey } from '../src/ui/run-state.ts';

const progress = { type: 'progress' as const, phase: 'copy' as const, k: 0, init: 0, fractionDone: 0.5, elapsedSeconds: 1, etaSeconds: 1 };

describe('run state reducer', () => {
  test('points fill a pair’s curve by alpha index; the pair result completes it', () => {
    let s = applyEvent({ ...EMPTY_RUN, runId: 'r', phase: 'preparing' }, progress);
    expect(s.phase).toBe('running');
    s = applyEvent(s, { type: 'point', k: 0, init: 0, pair: 1, alphaIndex: 2, alpha: 1, testError: 3 });
    s = applyEvent(s, { type: 'point', k: 0, init: 0, pair: 1, alphaIndex: 0, alpha: 0, testError: 2, trainError: 1 });
    const streaming = s.pairs[pairKey(0, 0, 1)];
    expect(streaming?.testErrors).toEqual([2, undefined, 3]);
    expect(streaming?.trainErrors).toEqual([1]);
    const result: PairResult = { k: 0, init: 0, pair: 1, alphas: [0, 0.5, 1], testErrors: [2, 4, 3], testBarrier: 1.5 };
    s = applyEvent(s, { type: 'pair', result });
    expect(s.pairs[pairKey(0, 0, 1)]?.testErrors).toEqual([2, 4, 3]);
    expect(s.pairs[pairKey(0, 0, 1)]?.result).toBe(result);
  });

  test('summaries stay sorted by k and replace an earlier one for the same k', () => {
    const summary = (k: number, mean: number) => ({ type: 'summary' as const, summary: { k, test: { mean, std: 0, n: 1 }, stable: mean < 2 } });
    let s = applyEvent(EMPTY_RUN, summary(100, 1));
    s = applyEvent(s, summary(0, 5));
    s = applyEvent(s, summary(100, 0.5));
    expect(s.summaries.map((x) => [x.k, x.test.mean])).toEqual([
      [0, 5],
      [100, 0.5],
    ]);
  });
});

describe('chart data', () => {
  test('path rows hold each pair and the mean ± sample std over pairs at each alpha', () => {
    const pairs = [
      { k: 0, init: 0, pair: 0, alphas: [0, 1], testErrors: [2, 4], trainErrors: [] },
      { k: 0, init: 0, pair: 1, alphas: [0], testErrors: [4], trainErrors: [] },
    ];
    const rows = pathRows(pairs, 2);
    expect(rows[0]).toMatchObject({ alpha: 0, 'test:0.0': 2, 'test:0.1': 4, testMean: 3 });
    expect(rows[0]?.testBand).toEqual([3 - Math.SQRT2, 3 + Math.SQRT2]);
    expect(rows[1]).toMatchObject({ alpha: 1, 'test:0.0': 4, testMean: 4, testBand: [4, 4] });
    expect(rows[1]?.trainMean).toBeUndefined();
  });

  test('instability rows put k on a log10(k + 1) axis', () => {
    expect(kToX(0)).toBe(0);
    expect(kToX(99)).toBe(2);
    const rows = instabilityRows([{ k: 9, test: { mean: 3, std: 1, n: 2 }, stable: false }]);
    expect(rows).toEqual([{ x: 1, k: 9, test: 3, testError: [1, 1] }]);
  });
});
