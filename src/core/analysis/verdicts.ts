import type { Figure9Row, PairResult, SubnetKind, Table2Row, TrainedAccuracy } from '../records.ts';
import { STABILITY_THRESHOLD_POINTS } from './barrier.ts';

/** Default matching threshold: accuracy drop vs the full network below 0.2 points (Figure 9). */
export const MATCHING_THRESHOLD_POINTS = 0.2;

/** True when a subnetwork's accuracy is within `threshold` points of the full network's. */
export function isMatching(fullAccuracy: number, subnetAccuracy: number, threshold = MATCHING_THRESHOLD_POINTS): boolean {
  return fullAccuracy - subnetAccuracy < threshold;
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Mean test accuracy (100 − error) of the trained networks matching `filter`, or null if none. */
function meanAccuracy(accuracies: readonly TrainedAccuracy[], filter: (a: TrainedAccuracy) => boolean): number | null {
  const picked = accuracies.filter(filter).map((a) => 100 - a.testError);
  return picked.length === 0 ? null : mean(picked);
}

/** Mean test accuracy of the full (dense) networks over initialisations. */
export function fullAccuracy(accuracies: readonly TrainedAccuracy[]): number | null {
  return meanAccuracy(accuracies, (a) => a.kind === 'dense');
}

/**
 * Table 2's rows, one per pruning level and rewind step: full, IMP, random-prune and
 * random-reinit test accuracy (means over initialisations), Δ = full − IMP, and whether IMP is
 * matching (Δ < threshold).
 */
export function table2Rows(accuracies: readonly TrainedAccuracy[], threshold = MATCHING_THRESHOLD_POINTS): Table2Row[] {
  const full = fullAccuracy(accuracies);
  if (full === null) return [];
  const keys = new Map<string, { level: number; k: number; density: number }>();
  for (const a of accuracies) if (a.kind === 'imp') keys.set(`${a.level}/${a.k}`, { level: a.level, k: a.k, density: a.density });
  const rows: Table2Row[] = [];
  for (const { level, k, density } of [...keys.values()].sort((a, b) => a.level - b.level || a.k - b.k)) {
    const at = (kind: SubnetKind) => meanAccuracy(accuracies, (a) => a.kind === kind && a.level === level && a.k === k);
    const imp = at('imp') ?? Number.NaN;
    rows.push({
      level,
      density,
      k,
      full,
      imp,
      randomPrune: at('random-prune'),
      randomReinit: at('random-reinit'),
      delta: full - imp,
      matching: isMatching(full, imp, threshold),
    });
  }
  return rows;
}

/** The lower median (an actual element) of values where null means "never"; null if that is never. */
export function lowerMedian(values: readonly (number | null)[]): number | null {
  if (values.length === 0) return null;
  const sorted = values.map((v) => v ?? Number.POSITIVE_INFINITY).sort((a, b) => a - b);
  const m = sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.POSITIVE_INFINITY;
  return Number.isFinite(m) ? m : null;
}

/**
 * Figure 9's summary: for each kind and level, the median over initialisations of the first
 * rewind step k at which that initialisation's subnetworks are stable (mean barrier of its
 * pairs < 2 points) and matching (its accuracy within `threshold` of the full networks' mean).
 * A k that never qualifies counts as "never"; a median of "never" is null.
 */
export function figure9Rows(accuracies: readonly TrainedAccuracy[], pairs: readonly PairResult[], threshold = MATCHING_THRESHOLD_POINTS): Figure9Row[] {
  const full = fullAccuracy(accuracies);
  const groups = new Map<string, { kind: SubnetKind; level: number; density: number }>();
  for (const a of accuracies) if (a.kind !== 'dense') groups.set(`${a.kind}/${a.level}`, { kind: a.kind, level: a.level, density: a.density });
  const rows: Figure9Row[] = [];
  for (const { kind, level, density } of groups.values()) {
    const mine = accuracies.filter((a) => a.kind === kind && a.level === level);
    const inits = [...new Set(mine.map((a) => a.init))];
    const ks = [...new Set(mine.map((a) => a.k))].sort((a, b) => a - b);
    const firstK = (ok: (k: number) => boolean | null): number | null => ks.find((k) => ok(k) === true) ?? null;
    const stableAt = (init: number, k: number): boolean | null => {
      const barriers = pairs.filter((p) => p.kind === kind && p.level === level && p.init === init && p.k === k).map((p) => p.testBarrier);
      return barriers.length === 0 ? null : mean(barriers) < STABILITY_THRESHOLD_POINTS;
    };
    const matchingAt = (init: number, k: number): boolean | null => {
      const a = mine.find((x) => x.init === init && x.k === k);
      return a && full !== null ? isMatching(full, 100 - a.testError, threshold) : null;
    };
    rows.push({
      kind,
      level,
      density,
      stableFromK: lowerMedian(inits.map((i) => firstK((k) => stableAt(i, k)))),
      matchingFromK: lowerMedian(inits.map((i) => firstK((k) => matchingAt(i, k)))),
    });
  }
  return rows.sort((a, b) => a.level - b.level || a.kind.localeCompare(b.kind));
}

/** Appendix A: the lowest density at which IMP is matching at any rewind step, or null. */
export function extremeMatchingDensity(rows: readonly Table2Row[]): number | null {
  const matching = rows.filter((r) => r.matching).map((r) => r.density);
  return matching.length === 0 ? null : Math.min(...matching);
}
