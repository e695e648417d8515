import { STABILITY_THRESHOLD_POINTS } from '../../core/analysis/barrier.ts';
import type { KSummary, SubnetKind, Table2Row } from '../../core/records.ts';
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
