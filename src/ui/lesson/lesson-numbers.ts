import { STABILITY_THRESHOLD_POINTS } from '../../core/analysis/barrier.ts';
import type { KSummary, SubnetKind, Table2Row } from '../../core/records.ts';
import type { SeriesRow } from '../chart-data.ts';
import { formatDensity } from '../kinds.ts';

/** One rewind step's instability in words: "16.7 ± 3.4 points at k = 0 (3 pairs): unstable". */
export function instabilitySentence(s: KSummary): string {
  const pairs = `${s.test.n} ${s.test.n === 1 ? 'pair' : 'pairs'}`;
  return `${s.test.mean.toFixed(1)} ± ${s.test.std.toFixed(1)} points at k = ${s.k} (${pairs}): ${s.stable ? 'stable' : 'unstable'}`;
}

/** The summaries of one kind and pruning level, in order of k. */
export function summariesOf(summaries: readonly KSummary[], kind: SubnetKind, level: number): KSummary[] {
  return summaries.filter((s) => s.kind === kind && s.level === level).sort((a, b) => a.k - b.k);
}

/**
 * The first k from which every later k measured is stable too (mean test instability below 2
 * points), or null when the last one measured is not stable.
 */
export function stableFromK(ordered: readonly KSummary[]): number | null {
  let from: number | null = null;
  for (const s of ordered) {
    if (s.test.mean < STABILITY_THRESHOLD_POINTS) from ??= s.k;
    else from = null;
  }
  return from;
}

/** Table 2's row in words: accuracies of the full network, IMP and the random baselines, and the verdict. */
export function table2Sentence(row: Table2Row): string {
  const baselines = [
    row.randomPrune === null ? null : `random pruning ${row.randomPrune.toFixed(1)}%`,
    row.randomReinit === null ? null : `random reinitialisation ${row.randomReinit.toFixed(1)}%`,
  ].filter((x) => x !== null);
  return (
    `At ${formatDensity(row.density)} of the weights, rewound to k = ${row.k}: full network ${row.full.toFixed(1)}%, IMP ${row.imp.toFixed(1)}%` +
    `${baselines.length > 0 ? `, ${baselines.join(', ')}` : ''} test accuracy; IMP is ${Math.abs(row.delta).toFixed(1)} points ${row.delta < 0 ? 'above' : 'below'} the full network: ` +
    `${row.matching ? 'matching' : 'not matching'}.`
  );
}

/**
 * The two BatchNorm modes compared in words, from the same experiment evaluated both ways: the
 * barriers per k side by side, at how many k recomputing lowers them, and from which k each mode
 * is stable (over the k both measured).
 */
export function batchNormModesSentence(interpolated: readonly KSummary[], recomputed: readonly KSummary[]): string {
  const byK = new Map(interpolated.map((s) => [s.k, s]));
  const pairs = recomputed
    .flatMap((r) => {
      const i = byK.get(r.k);
      return i ? [{ r, i }] : [];
    })
    .sort((a, b) => a.r.k - b.r.k);
  if (pairs.length === 0) return 'The two runs share no k.';
  const rec = pairs.map((p) => p.r);
  const int = pairs.map((p) => p.i);
  const means = (ordered: readonly KSummary[]) => ordered.map((s) => s.test.mean.toFixed(1)).join(', ');
  const from = (ordered: readonly KSummary[]) => {
    const k = stableFromK(ordered);
    return k === null ? 'not stable at the last k' : `stable from k = ${k}`;
  };
  const lower = pairs.filter((p) => p.r.test.mean < p.i.test.mean).length;
  return (
    `At k = ${rec.map((s) => s.k).join(', ')}: ${means(rec)} points with the statistics recomputed, against ${means(int)} interpolated; ` +
    `lower at ${lower === pairs.length ? 'every k' : `${lower} of ${pairs.length} k`}. Recomputed: ${from(rec)}; interpolated: ${from(int)}.`
  );
}

/**
 * Instability while the copies trained, in words, one clause per k: the highest barrier measured
 * and at which step, the barrier at the end, and whether it stayed under the stability line at
 * every step measured. `rows` and `ks` as {@link traceRows} gives them.
 */
export function traceSentence(rows: readonly SeriesRow[], ks: readonly number[]): string {
  return ks
    .map((k) => {
      const points = rows.flatMap((r) => (typeof r[`k${k}`] === 'number' ? [{ step: r.x, barrier: r[`k${k}`] as number }] : []));
      const last = points.at(-1);
      if (!last) return `copies made at k = ${k}: not measured`;
      const top = points.reduce((a, b) => (b.barrier > a.barrier ? b : a));
      const under = points.every((p) => p.barrier < STABILITY_THRESHOLD_POINTS);
      return (
        `copies made at k = ${k}: at most ${top.barrier.toFixed(1)} points (step ${top.step}), ${last.barrier.toFixed(1)} at the end (step ${last.step})` +
        (under ? `, under ${STABILITY_THRESHOLD_POINTS} points at every step measured` : '')
      );
    })
    .join('; ');
}
