import { isStable } from '../analysis/barrier.ts';
import { meanStd } from '../analysis/stats.ts';
import type { KSummary, PairResult } from '../records.ts';

/** Key of the group a pair is summarised in: one per (kind, level, k). */
export function summaryGroupKey(p: { kind: string; level: number; k: number }): string {
  return `${p.kind}/${p.level}/${p.k}`;
}

/**
 * Mean ± std instability over the pairs of one (kind, level, k), and the stability verdict
 * (mean test barrier below 2 points). `withTrain` adds the train-set barrier's mean ± std.
 */
export function summarizePairs(pairs: readonly PairResult[], withTrain: boolean): KSummary {
  const first = pairs[0];
  if (!first) throw new Error('no pairs to summarise');
  const test = meanStd(pairs.map((p) => p.testBarrier));
  return {
    kind: first.kind,
    level: first.level,
    density: first.density,
    k: first.k,
    test,
    ...(withTrain ? { train: meanStd(pairs.map((p) => p.trainBarrier ?? Number.NaN)) } : {}),
    stable: isStable(test.mean),
  };
}

/** Groups pairs by (kind, level, k) in order of first appearance, each group in file order. */
export function groupPairs(pairs: readonly PairResult[]): PairResult[][] {
  const groups = new Map<string, PairResult[]>();
  for (const p of pairs) {
    const key = summaryGroupKey(p);
    const group = groups.get(key);
    if (group) group.push(p);
    else groups.set(key, [p]);
  }
  return [...groups.values()];
}
