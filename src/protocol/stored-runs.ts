import type { ResultEvent } from '../core/experiments/checkpoint.ts';
import type { ExperimentConfig } from '../core/experiments/config.ts';
import type { ExperimentResults } from '../core/experiments/results.ts';

/** Where a stored run stands. `running` after a reload means it was interrupted. */
export type StoredRunStatus = 'running' | 'cancelled' | 'failed' | 'done';

/** What the run list shows of a stored run (small: no checkpoint, no results). */
export interface StoredRunSummary {
  readonly id: string;
  readonly config: ExperimentConfig;
  readonly status: StoredRunStatus;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Fraction of the run's work done at its last checkpoint (1 when done). */
  readonly fractionDone: number;
  /** The backend it last ran on. */
  readonly backend: string | null;
  /** Why it failed, when it did. */
  readonly error?: string;
  /** Bytes of its stored checkpoint (0 when it has none). */
  readonly checkpointBytes: number;
  /** Pairs finished so far. */
  readonly pairs: number;
}

/** A stored run whole: its summary, its results so far, and its results file when done. */
export interface StoredRun extends StoredRunSummary {
  /** Result events up to the last checkpoint (what a resumed run re-emits). */
  readonly events: readonly ResultEvent[];
  readonly results?: ExperimentResults;
}
