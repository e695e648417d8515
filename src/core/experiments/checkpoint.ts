import type { HostMask } from '../prune/mask.ts';
import type { TraineeSnapshot } from '../train/snapshot.ts';
import type { ExperimentConfig } from './config.ts';
import type { ExperimentEvent } from './events.ts';
import type { PairKey, RunTiming, TracePoint } from '../records.ts';

/** The events that carry results (not progress, points or the end): what a resumed run re-emits. */
export type ResultEvent = Extract<ExperimentEvent, { type: 'accuracy' | 'pair' | 'summary' }>;

/** True for the events a checkpoint keeps. */
export function isResultEvent(event: ExperimentEvent): event is ResultEvent {
  return event.type === 'accuracy' || event.type === 'pair' || event.type === 'summary';
}

/** What every checkpoint holds: the results so far and the bookkeeping that continues from them. */
interface CheckpointBase {
  /** Format version of the checkpoint; a different one is not resumed. */
  readonly version: typeof CHECKPOINT_VERSION;
  /** The configuration of the run (a checkpoint resumes only the same configuration). */
  readonly config: ExperimentConfig;
  /** Result events so far, in the order they were emitted. */
  readonly events: readonly ResultEvent[];
  /** Training and evaluation counted so far. */
  readonly timing: RunTiming;
  /** Work done so far, in example-passes (for the progress bar). */
  readonly workDone: number;
  readonly startedAt: string;
}

/**
 * Dense instability analysis after a finished pair or summary, or inside a pair's training:
 * each initialisation's trunk where it stands (at the current rewind step, or at the previous
 * one for inits not reached yet), and the copies in training when inside a pair.
 */
export interface InstabilityCheckpoint extends CheckpointBase {
  readonly experiment: 'instability';
  readonly trunks: readonly TraineeSnapshot[];
  /** The pairs whose copies were in training, where they were, and their trace so far (a checkpoint inside pairs' training). */
  readonly inPairs?: readonly { readonly key: PairKey; readonly copies: readonly TraineeSnapshot[]; readonly trace?: readonly TracePoint[] }[];
  /** One pair's copies in training, as checkpoints written before pairs trained together held them (read, no longer written). */
  readonly inPair?: { readonly key: PairKey; readonly copies: readonly TraineeSnapshot[] };
}

/** One initialisation's dense run, once it has reached T. */
export interface DenseRun {
  /** The trunk at each rewind step (W_k, with the optimiser at k). */
  readonly starts: readonly TraineeSnapshot[];
  /** Prunable weights of the dense W_T. */
  readonly weights: ReadonlyMap<string, Float32Array>;
}

/** What IMP keeps between levels for one (initialisation, rewind step). */
export interface LineageState {
  readonly mask: HostMask;
  /** Prunable weights of the last IMP network trained from this W_k (the dense W_T at level 0). */
  readonly lastTrained: ReadonlyMap<string, Float32Array>;
}

/**
 * IMP after a finished dense run or a finished (level, k, init) unit: the dense runs done, each
 * lineage's mask and last trained weights, and the next unit to run.
 */
export interface ImpCheckpoint extends CheckpointBase {
  readonly experiment: 'imp';
  readonly dense: readonly DenseRun[];
  /** Lineages by `${init}/${k}` (present once every dense run is done). */
  readonly lineages: ReadonlyMap<string, LineageState>;
  /** The next unit: level ≥ 1, index into the sorted rewind steps, initialisation. */
  readonly next: { readonly level: number; readonly kIndex: number; readonly init: number };
}

/** Where a run stands, enough to continue it with exactly the numbers of an uninterrupted run. */
export type Checkpoint = InstabilityCheckpoint | ImpCheckpoint;

/** Version of the checkpoint format. */
export const CHECKPOINT_VERSION = 1;

/** Thrown when a checkpoint cannot continue a run: another format, experiment or configuration. */
export class ResumeRefusedError extends Error {
  override readonly name = 'ResumeRefusedError';
  constructor(problem: string) {
    super(`cannot resume: ${problem}`);
  }
}

/** Why `checkpoint` cannot continue a run of `config`, or null when it can. */
export function resumeProblem(checkpoint: Checkpoint, config: ExperimentConfig): string | null {
  if (checkpoint.version !== CHECKPOINT_VERSION) return `the checkpoint has format version ${String(checkpoint.version)}, this app reads ${CHECKPOINT_VERSION}`;
  if (checkpoint.experiment !== config.experiment)
    return `the checkpoint is from ${checkpoint.experiment === 'imp' ? 'an IMP' : 'an instability'} run, not ${config.experiment === 'imp' ? 'IMP' : 'instability analysis'}`;
  if (JSON.stringify(checkpoint.config) !== JSON.stringify(config)) return 'the checkpoint was made with other settings';
  return null;
}
