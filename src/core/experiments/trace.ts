import { errorBarrier } from '../analysis/barrier.ts';
import type { PairKey, TracePoint } from '../records.ts';

/**
 * The steps at which a pair's path is measured while its copies train from step `k` to `end`
 * (the paper's Appendix C): `points` evenly spaced steps after k, rounded to whole steps, the last
 * at `end`, without repeats (so fewer when the copies train fewer steps than `points`). Empty
 * when `points` is 0; just `end` when the copies do not train at all.
 */
export function traceSteps(k: number, end: number, points: number): number[] {
  if (points <= 0) return [];
  if (end <= k) return [end];
  const steps: number[] = [];
  for (let i = 1; i <= points; i++) {
    const step = k + Math.round((i * (end - k)) / points);
    if (step > k && step !== steps.at(-1)) steps.push(step);
  }
  return steps;
}

/** A trace point as it streams: the pair, the step, and the barriers at that step (percentage points). */
export interface TraceEvent extends PairKey {
  readonly type: 'trace';
  readonly step: number;
  readonly testBarrier: number;
  readonly trainBarrier?: number;
}

/** The event that reports trace point `point` of pair `key`. */
export function traceEvent(key: PairKey, point: TracePoint): TraceEvent {
  const { kind, level, k, init, pair } = key;
  return {
    type: 'trace',
    kind,
    level,
    k,
    init,
    pair,
    step: point.step,
    testBarrier: errorBarrier(point.testErrors),
    ...(point.trainErrors ? { trainBarrier: errorBarrier(point.trainErrors) } : {}),
  };
}

/**
 * The problem with a pair's trace against the run's steps, or null: its steps must be
 * `traceSteps(k, end, points)` exactly, and its last point must be the pair's own path (the
 * final point of the trace is the ordinary barrier).
 */
export function traceProblem(
  trace: readonly TracePoint[],
  expected: readonly number[],
  final: { readonly testErrors: readonly number[]; readonly trainErrors?: readonly number[] | undefined },
  alphas: number,
): string | null {
  const steps = trace.map((t) => t.step);
  if (steps.join(',') !== expected.join(',')) return `a trace at steps ${steps.join(', ')} where the configuration measures ${expected.join(', ')}`;
  for (const t of trace) {
    if (t.testErrors.length !== alphas) return `${t.testErrors.length} test errors at trace step ${t.step} for ${alphas} α values`;
    if ((t.trainErrors !== undefined) !== (final.trainErrors !== undefined)) return `train errors at some trace steps and not others`;
    if (t.trainErrors && t.trainErrors.length !== alphas) return `${t.trainErrors.length} train errors at trace step ${t.step} for ${alphas} α values`;
  }
  const last = trace.at(-1);
  if (last && (last.testErrors.join(',') !== final.testErrors.join(',') || (last.trainErrors ?? []).join(',') !== (final.trainErrors ?? []).join(',')))
    return 'the last trace point is not the pair’s own path';
  return null;
}
