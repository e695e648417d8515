import type { LrSchedule } from './schedule.ts';
import type { HostTensors, TraineeSnapshot } from './snapshot.ts';
import { TrainingDivergedError } from './trainer.ts';

/** One network to train elsewhere: its state, its mask, and the step to train it to. */
export interface CopyJob {
  readonly snapshot: TraineeSnapshot;
  readonly mask: HostTensors | null;
  readonly to: number;
}

/** Progress of job `job` (its index in the list given to {@link CopyTrainer.train}). */
export interface CopyProgress {
  readonly job: number;
  readonly step: number;
  readonly loss: number | null;
}

/**
 * Trains several networks at once, each from a snapshot (for example the two copies of a pair,
 * one per worker and core). An experiment given one trains its copies through it; the numbers
 * are those of training them one after the other on the same backend.
 */
export interface CopyTrainer {
  /** How many networks train at the same time. */
  readonly parallelism: number;
  /**
   * Trains every job to its step, yielding progress as it comes; returns the trained states in
   * job order. Throws {@link CopyDivergedError} when a loss stops being finite, an `AbortError`
   * when `signal` aborts (after every job has stopped), and an `Error` when a worker fails.
   */
  train(
    jobs: readonly CopyJob[],
    schedule: LrSchedule,
    options: { readonly signal?: AbortSignal | undefined; readonly reportEveryMs: number },
  ): AsyncGenerator<CopyProgress, TraineeSnapshot[]>;
}

/**
 * A copy trained by a {@link CopyTrainer} (or side by side) diverged: which job, at which step,
 * with which loss; `withPartners` when copies trained side by side diverged together, so that
 * the divergence may have begun in another of them.
 */
export class CopyDivergedError extends TrainingDivergedError {
  constructor(
    readonly job: number,
    step: number,
    loss: number,
    readonly withPartners = false,
  ) {
    super(step, loss);
  }
}
