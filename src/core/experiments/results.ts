import type { MeanStd } from '../analysis/stats.ts';
import type { ExperimentConfig } from './config.ts';

/** Identifies a pair of copies: rewind step k, initialisation index and pair index within it. */
export interface PairKey {
  readonly k: number;
  readonly init: number;
  readonly pair: number;
}

/** One pair's error along the linear path and its barrier; errors and barriers in percent. */
export interface PairResult extends PairKey {
  readonly alphas: readonly number[];
  readonly testErrors: readonly number[];
  /** Present when train-set evaluation is on. */
  readonly trainErrors?: readonly number[];
  /** Test-error barrier (instability), percentage points. */
  readonly testBarrier: number;
  readonly trainBarrier?: number;
}

/** Instability at one rewind step over every pair (mean ± sample std, percentage points). */
export interface KSummary {
  readonly k: number;
  readonly test: MeanStd;
  readonly train?: MeanStd;
  /** Mean test instability < 2 points. */
  readonly stable: boolean;
}

/** Work and wall time split between training and evaluation. */
export interface RunTiming {
  readonly trainingExamples: number;
  readonly trainingSeconds: number;
  readonly evaluatedExamples: number;
  readonly evaluationSeconds: number;
}

/** Format tag and version of a results file (the CLI writes it; the UI will import it). */
export const RESULTS_FORMAT = 'lmc-lab/instability';
/** Bumped when the results schema changes meaning. */
export const RESULTS_VERSION = 1;

/** A whole instability-analysis run, as written to results JSON. */
export interface InstabilityResults {
  readonly format: typeof RESULTS_FORMAT;
  readonly version: typeof RESULTS_VERSION;
  readonly config: ExperimentConfig;
  readonly backend: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** Wall time of the run in seconds. */
  readonly durationSeconds: number;
  /** Where the time went: training (trunks and copies) and path evaluation. */
  readonly timing: RunTiming;
  readonly pairs: readonly PairResult[];
  readonly summaries: readonly KSummary[];
}
