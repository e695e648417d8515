import { type EvalSet, disposeEvalSet, evaluateError, prepareEvalSet } from '../analysis/evaluate.ts';
import { evenlySpacedAlphas } from '../analysis/interpolate.ts';
import { type ImageDataset, takeFirst } from '../data/dataset.ts';
import type { Model } from '../models/model.ts';
import type { ParamMap } from '../models/params.ts';
import { modelFor } from '../models/registry.ts';
import { type KSummary, type PairResult, type RunTiming } from '../records.ts';
import { CopyDivergedError, type CopyTrainer } from '../train/copy-trainer.ts';
import type { LrSchedule } from '../train/schedule.ts';
import { type TrainOptions, type Trainee, TrainingDivergedError, disposeTrainee, trainTo } from '../train/trainer.ts';
import { type BatchSource, batchSourceFor } from '../train/batches.ts';
import { throwIfAborted } from '../train/yield.ts';
import type { Checkpoint } from './checkpoint.ts';
import type { ExperimentConfig } from './config.ts';
import type { Phase, ProgressEvent } from './events.ts';
import { EVAL_COST, WorkMeter } from './progress.ts';
import { RESULTS_VERSION } from './results.ts';
import { scheduleOf } from './trainees.ts';

/** The training and test splits an experiment reads. */
export interface ExperimentData {
  readonly train: ImageDataset;
  readonly test: ImageDataset;
}

/** Options of an experiment run. */
export interface RunOptions {
  /** Name of the backend the run uses, recorded in the results. */
  readonly backend: string;
  readonly signal?: AbortSignal | undefined;
  /** Progress reporting interval in milliseconds (default 100). */
  readonly reportEveryMs?: number;
  /**
   * Trains the two copies of each pair at the same time (one worker per copy); without it they
   * train one after the other here. The numbers are the same either way.
   */
  readonly copyTrainer?: CopyTrainer | undefined;
  /**
   * Whether networks that can train side by side as one wide network do, where no copy trainer
   * runs (default: on webgpu only, see `sideBySideWanted`); the numbers are the same to float
   * rounding either way.
   */
  readonly sideBySide?: boolean | undefined;
  /** Continue from this checkpoint (of the same configuration) instead of starting afresh. */
  readonly resume?: Checkpoint | undefined;
  /**
   * Called with a checkpoint after each finished unit of work (a pair, a summary, an IMP unit)
   * and, in instability analysis, about every `checkpointEverySeconds` while a pair's copies
   * train; awaited.
   */
  readonly onCheckpoint?: ((checkpoint: Checkpoint) => Promise<void> | void) | undefined;
  /** Seconds of copy training between checkpoints inside a pair (default 30). */
  readonly checkpointEverySeconds?: number | undefined;
}

/** Where a progress event is in the experiment. */
export type Where = { k: number; init: number } & Partial<Pick<ProgressEvent, 'kind' | 'level' | 'pair' | 'copy'>>;

/**
 * What every part of a run shares: the model, the schedule and the path's α values, the
 * evaluation sets, the work meter and timing, and ownership of every trainee started (freed by
 * {@link RunContext.dispose} however the run ends).
 */
export class RunContext {
  readonly model: Model;
  readonly schedule: LrSchedule;
  readonly alphas: readonly number[];
  readonly testSet: EvalSet;
  readonly trainSet: EvalSet | null;
  readonly meter: WorkMeter;
  /** Training and evaluation counted so far (a resumed run starts from its checkpoint's). */
  readonly timing: { -readonly [K in keyof RunTiming]: number } = { trainingExamples: 0, trainingSeconds: 0, evaluatedExamples: 0, evaluationSeconds: 0 };
  /** When the run started (a resumed run: when it first started). */
  startedAt = new Date();
  private readonly live = new Set<Trainee>();
  /** Where the run's training batches come from: on webgpu gathered on the GPU from the training images uploaded once, elsewhere built on the host. */
  readonly batches: BatchSource;

  /**
   * Prepares the evaluation sets and the work meter; `totalWork(perEvaluation)` gives the
   * run's total work in example-passes from the examples one evaluation of a network reads.
   */
  constructor(
    readonly config: ExperimentConfig,
    readonly data: ExperimentData,
    readonly options: RunOptions,
    totalWork: (examplesPerEvaluation: number) => number,
  ) {
    this.model = modelFor(config.model, config.width);
    this.schedule = scheduleOf(config);
    this.alphas = evenlySpacedAlphas(config.alphas);
    this.testSet = prepareEvalSet(takeFirst(data.test, config.testExamples), this.model.evalBatchSize);
    try {
      this.trainSet = config.trainEval ? prepareEvalSet(takeFirst(data.train, config.trainExamples), this.model.evalBatchSize) : null;
    } catch (error) {
      disposeEvalSet(this.testSet);
      throw error;
    }
    this.meter = new WorkMeter(totalWork(this.examplesPerEvaluation));
    try {
      this.batches = batchSourceFor(data.train);
    } catch (error) {
      disposeEvalSet(this.testSet);
      if (this.trainSet) disposeEvalSet(this.trainSet);
      throw error;
    }
  }

  /** Examples read by one evaluation of a network (test set plus train set when on). */
  get examplesPerEvaluation(): number {
    return this.testSet.count + (this.trainSet?.count ?? 0);
  }

  /** Registers a trainee so that {@link dispose} frees it if the run ends early. */
  own(t: Trainee): Trainee {
    this.live.add(t);
    return t;
  }

  /** Frees a trainee now. */
  free(t: Trainee): void {
    disposeTrainee(t);
    this.live.delete(t);
  }

  /** A progress event at the current point of the run. */
  progress(phase: Phase, where: Where, extra: Partial<ProgressEvent> = {}): ProgressEvent {
    return { type: 'progress', phase, ...where, ...extra, ...this.meter.snapshot() };
  }

  /** Counts `examples` training examples done, and the time since `since` (ms); returns now. */
  countTraining(examples: number, since: number): number {
    const now = performance.now();
    this.meter.add(examples);
    this.timing.trainingExamples += examples;
    this.timing.trainingSeconds += (now - since) / 1000;
    return now;
  }

  /** How this run trains a network: its model, training split and batches, schedule, cancel signal and report interval. */
  trainOptions(): TrainOptions {
    return {
      model: this.model,
      data: this.data.train,
      schedule: this.schedule,
      signal: this.options.signal,
      reportEveryMs: this.options.reportEveryMs ?? 100,
      batches: this.batches,
    };
  }

  /** Trains `t` to step `to`, yielding progress and counting the work and time. */
  async *train(t: Trainee, to: number, phase: Phase, where: Where): AsyncGenerator<ProgressEvent> {
    let last = t.step;
    let since = performance.now();
    const options = this.trainOptions();
    try {
      for await (const p of trainTo(t, to, options)) {
        this.countTraining((p.step - last) * this.config.batchSize, since);
        last = p.step;
        yield this.progress(phase, where, { step: p.step, ...(p.loss === null ? {} : { loss: p.loss }) });
        since = performance.now();
      }
    } catch (error) {
      throw this.named(error, phase, where);
    }
  }

  /** `error`, with the network it happened to named when training diverged. */
  named(error: unknown, phase: Phase, where: Where): unknown {
    if (!(error instanceof TrainingDivergedError)) return error;
    const together =
      error instanceof CopyDivergedError && error.withPartners ? ' (with its partner, trained side by side: either may have diverged first)' : '';
    const copy = where.copy === undefined ? '' : `, copy ${where.copy + 1} of pair ${where.pair ?? 0}`;
    const network =
      phase === 'trunk'
        ? `the network of init ${where.init}`
        : `${where.kind ?? 'dense'} network${where.level ? ` at level ${where.level}` : ''}, init ${where.init}${copy}${together}`;
    return new TrainingDivergedError(error.step, error.loss, ` while training ${network} (learning rate ${this.config.learningRate})`);
  }

  /** Runs an evaluation of `examples` examples, counting its time and work; throws if the run was cancelled. */
  async timed<T>(examples: number, body: () => Promise<T>): Promise<T> {
    throwIfAborted(this.options.signal);
    const started = performance.now();
    const result = await body();
    this.timing.evaluatedExamples += examples;
    this.timing.evaluationSeconds += (performance.now() - started) / 1000;
    this.meter.add(examples * EVAL_COST);
    return result;
  }

  /** Test (and train, when on) error of a network, in percent. */
  evaluate(params: ParamMap): Promise<{ testError: number; trainError?: number }> {
    return this.timed(this.examplesPerEvaluation, async () => {
      const testError = await evaluateError(this.model, params, this.testSet);
      return this.trainSet ? { testError, trainError: await evaluateError(this.model, params, this.trainSet) } : { testError };
    });
  }

  /** The fields every results file shares, stamped now. */
  resultsBase(pairs: readonly PairResult[], summaries: readonly KSummary[]) {
    const finishedAt = new Date();
    return {
      version: RESULTS_VERSION,
      config: this.config,
      backend: this.options.backend,
      startedAt: this.startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationSeconds: (finishedAt.getTime() - this.startedAt.getTime()) / 1000,
      timing: { ...this.timing } satisfies RunTiming,
      pairs,
      summaries,
    } as const;
  }

  /** Frees every trainee still alive and the evaluation sets. */
  dispose(): void {
    for (const t of this.live) disposeTrainee(t);
    this.live.clear();
    disposeEvalSet(this.testSet);
    if (this.trainSet) disposeEvalSet(this.trainSet);
    this.batches.dispose();
  }
}
