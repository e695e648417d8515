import type { ExperimentResults } from './results.ts';
import type { TraceEvent } from './trace.ts';
import type { KSummary, PairKey, PairResult, SubnetKind, TrainedAccuracy } from '../records.ts';

/** What the experiment is doing when it reports progress. */
export type Phase = 'trunk' | 'copy' | 'interpolate' | 'subnet';

/** Progress with an estimate of the time left. Work is counted in example-passes. */
export interface ProgressEvent {
  readonly type: 'progress';
  readonly phase: Phase;
  /** Rewind step being worked on. */
  readonly k: number;
  readonly init: number;
  /** Kind and pruning level of the network in training (absent for the dense trunk). */
  readonly kind?: SubnetKind;
  readonly level?: number;
  /** Pair and copy (0 or 1) for the copy phase. */
  readonly pair?: number;
  readonly copy?: number;
  /** Global step of the network in training. */
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

/**
 * Events an experiment yields: progress and points stream; `trace` per measurement of a pair's
 * barrier while its copies train (when the run traces); `accuracy` for each trained network
 * (IMP); `pair` per finished pair; `summary` per finished (kind, level, k); `done` once.
 */
export type ExperimentEvent =
  | ProgressEvent
  | PointEvent
  | TraceEvent
  | { readonly type: 'accuracy'; readonly result: TrainedAccuracy }
  | { readonly type: 'pair'; readonly result: PairResult }
  | { readonly type: 'summary'; readonly summary: KSummary }
  | { readonly type: 'done'; readonly results: ExperimentResults };
