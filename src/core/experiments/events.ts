import type { InstabilityResults, KSummary, PairKey, PairResult } from './results.ts';

/** What the experiment is doing when it reports progress. */
export type Phase = 'trunk' | 'copy' | 'interpolate';

/** Progress with an estimate of the time left. Work is counted in example-passes. */
export interface ProgressEvent {
  readonly type: 'progress';
  readonly phase: Phase;
  /** Rewind step being worked on. */
  readonly k: number;
  readonly init: number;
  /** Pair and copy (0 or 1) for the copy phase. */
  readonly pair?: number;
  readonly copy?: number;
  /** Global step of the network in training (trunk or copy). */
  readonly step?: number;
  readonly loss?: number;
  /** Fraction of the whole run done, 0–1. */
  readonly fractionDone: number;
  readonly elapsedSeconds: number;
  /** Estimated seconds left, null until there is a basis for it. */
  readonly etaSeconds: number | null;
}

/** One evaluated point on a pair's linear path (errors in percent). */
export interface PointEvent extends PairKey {
  readonly type: 'point';
  readonly alphaIndex: number;
  readonly alpha: number;
  readonly testError: number;
  readonly trainError?: number;
}

/** Events an instability analysis yields, in order: progress and points stream, a `pair` per
 * finished pair, a `summary` per finished rewind step, and `done` once. */
export type ExperimentEvent =
  | ProgressEvent
  | PointEvent
  | ({ readonly type: 'pair' } & { readonly result: PairResult })
  | { readonly type: 'summary'; readonly summary: KSummary }
  | { readonly type: 'done'; readonly results: InstabilityResults };
