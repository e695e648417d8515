import type { KSummary, PairResult, TrainedAccuracy } from '../records.ts';
import { CHECKPOINT_VERSION, type Checkpoint, type ResultEvent, ResumeRefusedError, resumeProblem } from './checkpoint.ts';
import { type ExperimentData, RunContext, type RunOptions } from './run-context.ts';
import type { ExperimentConfig } from './config.ts';

/** The fields every checkpoint shares, which the checkpointer fills in. */
type CheckpointCommon = Pick<Checkpoint, 'version' | 'config' | 'events' | 'timing' | 'workDone' | 'startedAt'>;

/** Omit over each member of a union. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An experiment's own part of a checkpoint (the checkpointer adds the rest). */
export type CheckpointState = DistributiveOmit<Checkpoint, keyof CheckpointCommon>;

/** The results a run has produced so far, by kind. */
export interface ResultsSoFar {
  readonly accuracies: TrainedAccuracy[];
  readonly pairs: PairResult[];
  readonly summaries: KSummary[];
}

/**
 * Checkpointing and resume in one place: refuses a checkpoint of other settings, continues the
 * timing, work and start time of the one resumed from, replays its results, notes every result
 * since, and hands checkpoints to the run's `onCheckpoint`.
 */
export class Checkpointer {
  /** Result events so far (replayed ones included), for checkpoints. */
  private readonly results: ResultEvent[] = [];

  /** Throws {@link ResumeRefusedError} when the checkpoint to resume from is not of this run's settings. */
  constructor(private readonly ctx: RunContext) {
    const resume = ctx.options.resume;
    if (!resume) return;
    const problem = resumeProblem(resume, ctx.config);
    if (problem) throw new ResumeRefusedError(problem);
    Object.assign(ctx.timing, resume.timing);
    ctx.meter.resumeAt(resume.workDone);
    ctx.startedAt = new Date(resume.startedAt);
  }

  /** True when the run hands out checkpoints at all. */
  get enabled(): boolean {
    return this.ctx.options.onCheckpoint !== undefined;
  }

  /** Notes a result event for later checkpoints and returns it, to be yielded. */
  result<E extends ResultEvent>(event: E): E {
    this.results.push(event);
    return event;
  }

  /** Replays the results of the checkpoint resumed from into `into`, yielding each again (nothing for a fresh run). */
  *replay(into: ResultsSoFar): Generator<ResultEvent> {
    for (const event of this.ctx.options.resume?.events ?? []) {
      if (event.type === 'accuracy') into.accuracies.push(event.result);
      if (event.type === 'pair') into.pairs.push(event.result);
      if (event.type === 'summary') into.summaries.push(event.summary);
      yield this.result(event);
    }
  }

  /** Hands a checkpoint with `state` and the results so far to `onCheckpoint`, if set. */
  async save(state: CheckpointState): Promise<void> {
    const { onCheckpoint } = this.ctx.options;
    if (!onCheckpoint) return;
    const common: CheckpointCommon = {
      version: CHECKPOINT_VERSION,
      config: this.ctx.config,
      events: [...this.results],
      timing: { ...this.ctx.timing },
      workDone: this.ctx.meter.done,
      startedAt: this.ctx.startedAt.toISOString(),
    };
    await onCheckpoint({ ...common, ...state } as Checkpoint);
  }
}

/**
 * Starts a run: its context (evaluation sets, meter) and its checkpointer. A refused resume
 * frees the context before it throws.
 */
export function startRun(
  config: ExperimentConfig,
  data: ExperimentData,
  options: RunOptions,
  totalWork: (examplesPerEvaluation: number) => number,
): { ctx: RunContext; checkpoints: Checkpointer } {
  const ctx = new RunContext(config, data, options, totalWork);
  try {
    return { ctx, checkpoints: new Checkpointer(ctx) };
  } catch (error) {
    ctx.dispose();
    throw error;
  }
}
