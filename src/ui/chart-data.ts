import { meanStd } from '../core/analysis/stats.ts';
import { type MeanStd } from '../core/records.ts';
import type { ExperimentResults } from '../core/experiments/results.ts';
import type { KSummary, PairResult, SubnetKind, TrainedAccuracy } from '../core/records.ts';
import type { ChartData, StreamingPair } from './run-state.ts';
import { errorBarrier } from '../core/analysis/barrier.ts';

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
 * Rows for the error-along-the-path chart of one (kind, level, k): per alpha, every pair's test
 * and train error, and the mean ± std band over pairs that have reached that alpha.
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

/** Maps a rewind step to the k axis (log10(k + 1), so k = 0 has a place). */
export function kToX(k: number): number {
  return Math.log10(k + 1);
}

/** Inverse of {@link kToX}, rounded to a step, for tick labels. */
export function xToK(x: number): number {
  return Math.round(10 ** x - 1);
}

/** A row keyed by x with one column per series (`name`, `name:err` as [−std, +std]). */
export type SeriesRow = Record<string, number | [number, number]> & { x: number };

function mergeByX(points: readonly { x: number; series: string; stats: MeanStd }[]): SeriesRow[] {
  const rows = new Map<number, SeriesRow>();
  for (const { x, series, stats } of points) {
    const row = rows.get(x) ?? { x };
    row[series] = stats.mean;
    row[`${series}:err`] = [stats.std, stats.std];
    rows.set(x, row);
  }
  return [...rows.values()].sort((a, b) => a.x - b.x);
}

/**
 * Instability against k: one series per kind (`dense`, `imp`, …) for test, plus `<kind>:train`
 * when train error was evaluated, from the summaries of one pruning level.
 */
export function instabilityRows(summaries: readonly KSummary[]): SeriesRow[] {
  return mergeByX(
    summaries.flatMap((s) => [
      { x: kToX(s.k), series: s.kind, stats: s.test },
      ...(s.train ? [{ x: kToX(s.k), series: `${s.kind}:train`, stats: s.train }] : []),
    ]),
  );
}

/** Each finished pair's test barrier as a faint point at its k. */
export function barrierPoints(results: readonly PairResult[]): { x: number; barrier: number }[] {
  return results.map((r) => ({ x: kToX(r.k), barrier: r.testBarrier }));
}

/** Mean ± std over initialisations of the full network's test error, or null before it is known. */
export function denseErrorBand(accuracies: readonly TrainedAccuracy[]): MeanStd | null {
  const dense = accuracies.filter((a) => a.kind === 'dense').map((a) => a.testError);
  return dense.length === 0 ? null : meanStd(dense);
}

/** Maps a density (0–1) to the density axis: log10 of the percentage of weights remaining. */
export function densityToX(density: number): number {
  return Math.log10(100 * density);
}

/**
 * Test error against density (Figure 10 / Appendix A) for subnetworks trained from rewind step
 * `k`: one series per kind, mean ± std over initialisations, one row per pruning level.
 */
export function densityRows(accuracies: readonly TrainedAccuracy[], k: number): SeriesRow[] {
  return seriesOver(
    accuracies.filter((a) => a.kind !== 'dense' && a.k === k),
    (a) => densityToX(a.density),
  );
}

/** Test instability against density (the paper's Figure 10 form) for copies made at step k: one series per kind, mean ± std over pairs. */
export function instabilityByDensityRows(summaries: readonly KSummary[], k: number): SeriesRow[] {
  return mergeByX(summaries.filter((s) => s.kind !== 'dense' && s.k === k).map((s) => ({ x: densityToX(s.density), series: s.kind, stats: s.test })));
}

/** Test error against k (Figure 7) at one pruning level: one series per kind, mean ± std over inits. */
export function errorVsKRows(accuracies: readonly TrainedAccuracy[], level: number): SeriesRow[] {
  return seriesOver(
    accuracies.filter((a) => a.kind !== 'dense' && a.level === level),
    (a) => kToX(a.k),
  );
}

function seriesOver(accuracies: readonly TrainedAccuracy[], xOf: (a: TrainedAccuracy) => number): SeriesRow[] {
  const groups = new Map<string, { x: number; series: SubnetKind; errors: number[] }>();
  for (const a of accuracies) {
    const key = `${a.kind}@${xOf(a)}`;
    const g = groups.get(key) ?? { x: xOf(a), series: a.kind, errors: [] };
    g.errors.push(a.testError);
    groups.set(key, g);
  }
  return mergeByX([...groups.values()].map((g) => ({ x: g.x, series: g.series, stats: meanStd(g.errors) })));
}

/** A finished run on the comparison chart, under a label. */
export interface ComparedRun {
  readonly id: string;
  readonly label: string;
  readonly results: ExperimentResults;
}

/**
 * Instability against k of several runs on one chart: per run, one series per kind at its
 * sparsest level (level 0 for a dense run), keyed `run<i>:<kind>`.
 */
export function comparisonRows(runs: readonly ComparedRun[]): { rows: SeriesRow[]; series: { key: string; run: number; kind: SubnetKind; level: number }[] } {
  const points: { x: number; series: string; stats: MeanStd }[] = [];
  const series: { key: string; run: number; kind: SubnetKind; level: number }[] = [];
  for (const [i, r] of runs.entries()) {
    const level = Math.max(0, ...r.results.summaries.map((s) => s.level));
    const kinds = [...new Set(r.results.summaries.filter((s) => s.level === level).map((s) => s.kind))];
    for (const kind of kinds) {
      const key = `run${i}:${kind}`;
      series.push({ key, run: i, kind, level });
      for (const s of r.results.summaries) if (s.level === level && s.kind === kind) points.push({ x: kToX(s.k), series: key, stats: s.test });
    }
  }
  return { rows: mergeByX(points), series };
}

/**
 * Instability while the copies trained (Appendix C) for one kind and pruning level: per rewind
 * step k a series `k<k>` of the test barrier (mean, and `k<k>:err` ± std over pairs) against the
 * copies' training step, from finished pairs' traces and the points streamed so far.
 */
export function traceRows(run: Pick<ChartData, 'pairs' | 'traces'>, kind: SubnetKind, level: number): { rows: SeriesRow[]; ks: number[] } {
  const points: { k: number; step: number; barrier: number }[] = [];
  const ids = new Set([...Object.keys(run.pairs), ...Object.keys(run.traces)]);
  for (const id of ids) {
    const finished = run.pairs[id]?.result;
    if (finished) {
      if (finished.kind !== kind || finished.level !== level) continue;
      for (const t of finished.trace ?? []) points.push({ k: finished.k, step: t.step, barrier: errorBarrier(t.testErrors) });
      continue;
    }
    for (const t of run.traces[id] ?? []) if (t.kind === kind && t.level === level) points.push({ k: t.k, step: t.step, barrier: t.testBarrier });
  }
  const groups = new Map<string, { x: number; series: string; barriers: number[] }>();
  for (const p of points) {
    const key = `${p.k}@${p.step}`;
    const g = groups.get(key) ?? { x: p.step, series: `k${p.k}`, barriers: [] };
    g.barriers.push(p.barrier);
    groups.set(key, g);
  }
  const ks = [...new Set(points.map((p) => p.k))].sort((a, b) => a - b);
  return { rows: mergeByX([...groups.values()].map((g) => ({ x: g.x, series: g.series, stats: meanStd(g.barriers) }))), ks };
}
