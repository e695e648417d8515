import { meanStd } from '../core/analysis/stats.ts';
import type { KSummary, PairResult } from '../core/experiments/results.ts';
import type { StreamingPair } from './run-state.ts';

/** One row of the path chart: alpha, each pair's errors (`test:i`, `train:i`), mean and ±1 std band. */
export type PathRow = Record<string, number | [number, number] | undefined> & { alpha: number };

/** Series keys of the path chart for `pairs`, in a stable order. */
export function pathSeriesKeys(pairs: readonly StreamingPair[]): string[] {
  return pairs.map((p) => `${p.init}.${p.pair}`);
}

function band(values: number[]): { mean?: number; band?: [number, number] } {
  if (values.length === 0) return {};
  const s = meanStd(values);
  return { mean: s.mean, band: [s.mean - s.std, s.mean + s.std] };
}

/**
 * Rows for the error-along-the-path chart of one rewind step: per alpha, every pair's test and
 * train error, and the mean ± std band over pairs that have reached that alpha.
 */
export function pathRows(pairs: readonly StreamingPair[], alphaCount: number): PathRow[] {
  const rows: PathRow[] = [];
  const keys = pathSeriesKeys(pairs);
  for (let i = 0; i < alphaCount; i++) {
    const row: PathRow = { alpha: alphaCount === 1 ? 0 : i / (alphaCount - 1) };
    const test: number[] = [];
    const train: number[] = [];
    pairs.forEach((p, j) => {
      const t = p.testErrors[i];
      const r = p.trainErrors[i];
      if (t !== undefined) {
        row[`test:${keys[j]}`] = t;
        test.push(t);
      }
      if (r !== undefined) {
        row[`train:${keys[j]}`] = r;
        train.push(r);
      }
    });
    const tb = band(test);
    const rb = band(train);
    row.testMean = tb.mean;
    row.testBand = tb.band;
    row.trainMean = rb.mean;
    row.trainBand = rb.band;
    rows.push(row);
  }
  return rows;
}

/** Maps a rewind step to the instability chart's x (log10(k + 1), so k = 0 has a place). */
export function kToX(k: number): number {
  return Math.log10(k + 1);
}

/** One point of the instability chart: x = {@link kToX}(k), mean ± std per split. */
export interface InstabilityRow {
  readonly x: number;
  readonly k: number;
  readonly test: number;
  readonly testError: [number, number];
  readonly train?: number;
  readonly trainError?: [number, number];
}

/** Rows of the instability-vs-k chart from the per-k summaries. */
export function instabilityRows(summaries: readonly KSummary[]): InstabilityRow[] {
  return summaries.map((s) => ({
    x: kToX(s.k),
    k: s.k,
    test: s.test.mean,
    testError: [s.test.std, s.test.std],
    ...(s.train ? { train: s.train.mean, trainError: [s.train.std, s.train.std] as [number, number] } : {}),
  }));
}

/** Each finished pair's test barrier as a faint point on the instability chart. */
export function barrierPoints(results: readonly PairResult[]): { x: number; barrier: number }[] {
  return results.map((r) => ({ x: kToX(r.k), barrier: r.testBarrier }));
}
