import { errorBarrier } from '../analysis/barrier.ts';
import { recomputeBatchNormStats } from '../analysis/bn-recompute.ts';
import { countDifferent, paramDistances, vectorL2 } from '../analysis/distances.ts';
import { type DetailedEvaluation, type EvalSet, disposeEvalSet, evaluateDetailed, evaluateError, prepareEvalSet } from '../analysis/evaluate.ts';
import { evenlySpacedAlphas, interpolateParams } from '../analysis/interpolate.ts';
import { type ImageDataset, takeFirst } from '../data/dataset.ts';
import type { Model } from '../models/model.ts';
import { type ParamMap, disposeParams } from '../models/params.ts';
import { modelFor } from '../models/registry.ts';
import type { Mask } from '../prune/mask.ts';
import type { LrSchedule } from '../train/schedule.ts';
import { type CopyJob, type CopyTrainer, CopyDivergedError } from '../train/copy-trainer.ts';
import { type TraineeSnapshot, hostTensors, restoreTrainee, snapshotTrainee } from '../train/snapshot.ts';
import { type Trainee, TrainingDivergedError, disposeTrainee, trainTo } from '../train/trainer.ts';
import { throwIfAborted, yieldToEventLoop } from '../train/yield.ts';
import { CHECKPOINT_VERSION, type Checkpoint, type InstabilityCheckpoint, type ResultEvent, ResumeRefusedError, resumeProblem } from './checkpoint.ts';
import type { ExperimentConfig } from './config.ts';
import type { ExperimentEvent, Phase, ProgressEvent } from './events.ts';
import { EVAL_COST, WorkMeter } from './progress.ts';
import { RESULTS_VERSION } from './results.ts';
import { type KSummary, type PairKey, type PairResult, type RunTiming, pairId } from '../records.ts';
import { summarizePairs } from './summaries.ts';
import { type StartPoint, copyEndStep, copyNoiseSeed, scheduleOf, startTrainee } from './trainees.ts';

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

/** The fields every checkpoint shares, which the runner fills in. */
type CheckpointCommon = Pick<Checkpoint, 'version' | 'config' | 'events' | 'timing' | 'workDone' | 'startedAt'>;

/** Omit over each member of a union. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Where a progress event is in the experiment. */
type Where = { k: number; init: number } & Partial<Pick<ProgressEvent, 'kind' | 'level' | 'pair' | 'copy'>>;

/**
 * What every experiment shares: the model, evaluation sets, work meter and timing, the
 * training and pair-analysis loops, and ownership of every trainee it starts (freed by
 * {@link ExperimentRunner.dispose} however the run ends).
 */
export class ExperimentRunner {
  readonly model: Model;
  readonly schedule: LrSchedule;
  readonly alphas: readonly number[];
  readonly testSet: EvalSet;
  readonly trainSet: EvalSet | null;
  readonly meter: WorkMeter;
  private readonly timing = { trainingExamples: 0, trainingSeconds: 0, evaluatedExamples: 0, evaluationSeconds: 0 };
  private readonly live = new Set<Trainee>();
  private readonly startedAt: Date;
  /** Result events so far (re-emitted ones included), for checkpoints. */
  private readonly results: ResultEvent[] = [];
  /**
   * Set by an experiment whose checkpoints can fall inside a pair's training (instability
   * analysis): the rest of its state, to which the copies in training are added.
   */
  midPairState: (() => Promise<Omit<InstabilityCheckpoint, keyof CheckpointCommon | 'inPair'>>) | null = null;

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
    const resume = options.resume;
    if (resume) {
      const problem = resumeProblem(resume, config);
      if (problem) {
        this.dispose();
        throw new ResumeRefusedError(problem);
      }
      Object.assign(this.timing, resume.timing);
      this.meter.resumeAt(resume.workDone);
    }
    this.startedAt = resume ? new Date(resume.startedAt) : new Date();
  }

  /** The result events of the checkpoint resumed from, to emit again (none for a fresh run). */
  get resumedEvents(): readonly ResultEvent[] {
    return this.options.resume?.events ?? [];
  }

  /** Notes a result event for later checkpoints and returns it, to be yielded. */
  result<E extends ResultEvent>(event: E): E {
    this.results.push(event);
    return event;
  }

  /** Hands a checkpoint with `state` and the results so far to `onCheckpoint`, if set. */
  async checkpoint(state: DistributiveOmit<Checkpoint, keyof CheckpointCommon>): Promise<void> {
    if (!this.options.onCheckpoint) return;
    const common: CheckpointCommon = {
      version: CHECKPOINT_VERSION,
      config: this.config,
      events: [...this.results],
      timing: { ...this.timing },
      workDone: this.meter.done,
      startedAt: this.startedAt.toISOString(),
    };
    await this.options.onCheckpoint({ ...common, ...state } as Checkpoint);
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

  /** Trains `t` to step `to`, yielding progress and counting the work and time. */
  async *train(t: Trainee, to: number, phase: Phase, where: Where): AsyncGenerator<ProgressEvent> {
    let last = t.step;
    let since = performance.now();
    const options = {
      model: this.model,
      data: this.data.train,
      schedule: this.schedule,
      signal: this.options.signal,
      reportEveryMs: this.options.reportEveryMs ?? 100,
    };
    try {
      for await (const p of trainTo(t, to, options)) {
        const examples = (p.step - last) * this.config.batchSize;
        this.meter.add(examples);
        this.timing.trainingExamples += examples;
        this.timing.trainingSeconds += (performance.now() - since) / 1000;
        last = p.step;
        yield this.progress(phase, where, { step: p.step, ...(p.loss === null ? {} : { loss: p.loss }) });
        since = performance.now();
      }
    } catch (error) {
      throw this.named(error, phase, where);
    }
  }

  /** `error`, with the network it happened to named when training diverged. */
  private named(error: unknown, phase: Phase, where: Where): unknown {
    if (!(error instanceof TrainingDivergedError)) return error;
    const network =
      phase === 'trunk'
        ? `the network of init ${where.init}`
        : `${where.kind ?? 'dense'} network${where.level ? ` at level ${where.level}` : ''}, init ${where.init}${where.copy === undefined ? '' : `, copy ${where.copy + 1} of pair ${where.pair ?? 0}`}`;
    return new TrainingDivergedError(error.step, error.loss, ` while training ${network} (learning rate ${this.config.learningRate})`);
  }

  /**
   * Trains the copies of a pair to step `to`: at the same time through the copy trainer when
   * the run has one, else one after the other. Returns the trained copies (owned by the
   * runner; with a copy trainer they replace the ones given, which are freed).
   */
  private async *trainCopies(copies: readonly Trainee[], to: number, where: Where, key: PairKey): AsyncGenerator<ProgressEvent, Trainee[]> {
    const state = this.midPairState;
    if (!state || !this.options.onCheckpoint) return yield* this.trainCopiesTo(copies, to, where);
    const every = this.options.checkpointEverySeconds ?? 30;
    // Chunks of about `every` seconds (guessing 10 steps/s at first), each followed by a checkpoint.
    let chunk = Math.max(1, Math.round(every * 10));
    let current = [...copies];
    for (;;) {
      const from = Math.min(...current.map((c) => c.step));
      const target = Math.min(to, from + chunk);
      const started = performance.now();
      current = yield* this.trainCopiesTo(current, target, where);
      if (target >= to) return current;
      const seconds = Math.max(1e-3, (performance.now() - started) / 1000);
      chunk = Math.max(1, Math.round(((target - from) * every) / seconds));
      await this.checkpoint({ ...(await state()), inPair: { key, copies: await Promise.all(current.map((c) => snapshotTrainee(c))) } });
    }
  }

  /** Trains the copies to step `to` in one stretch (see {@link trainCopies}). */
  private async *trainCopiesTo(copies: readonly Trainee[], to: number, where: Where): AsyncGenerator<ProgressEvent, Trainee[]> {
    const trainer = this.options.copyTrainer;
    if (!trainer || copies.length < 2) {
      for (const [copy, c] of copies.entries()) yield* this.train(c, to, 'copy', { ...where, copy });
      return [...copies];
    }
    const jobs: CopyJob[] = [];
    for (const c of copies) jobs.push({ snapshot: await snapshotTrainee(c), mask: c.mask ? await hostTensors(c.mask) : null, to });
    const last = copies.map((c) => c.step);
    let since = performance.now();
    const generator = trainer.train(jobs, this.schedule, { signal: this.options.signal, reportEveryMs: this.options.reportEveryMs ?? 100 });
    let trained: TraineeSnapshot[];
    try {
      for (;;) {
        const next = await generator.next();
        const now = performance.now();
        this.timing.trainingSeconds += (now - since) / 1000;
        since = now;
        if (next.done) {
          trained = next.value;
          break;
        }
        const p = next.value;
        const examples = (p.step - (last[p.job] ?? p.step)) * this.config.batchSize;
        last[p.job] = p.step;
        this.meter.add(examples);
        this.timing.trainingExamples += examples;
        yield this.progress('copy', { ...where, copy: p.job }, { step: p.step, ...(p.loss === null ? {} : { loss: p.loss }) });
      }
    } catch (error) {
      throw this.named(error, 'copy', error instanceof CopyDivergedError ? { ...where, copy: error.job } : where);
    } finally {
      await generator.return(undefined as never);
    }
    return copies.map((c, i) => {
      const snapshot = trained[i];
      if (!snapshot) throw new Error(`the copy trainer returned ${trained.length} networks for ${copies.length} copies`);
      this.free(c);
      return this.own(restoreTrainee(snapshot, c.mask));
    });
  }

  private async timed<T>(examples: number, body: () => Promise<T>): Promise<T> {
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

  /**
   * Algorithm 1 for one pair: two copies of `start` (masked by `mask`), trained to T on the
   * pair's two data orders, then evaluated at every alpha on the path between them. Yields
   * training progress and each point; returns the pair's curves, barrier and distances.
   * `origin` is the network's initialisation, for the init → k distance.
   */
  async *runPair(
    start: StartPoint,
    key: PairKey,
    setup: { density: number; mask: Mask | null; origin: ParamMap; keepOptimizer: boolean },
  ): AsyncGenerator<ExperimentEvent, PairResult> {
    const { k, init, pair, kind, level } = key;
    const copies = [0, 1].map((c) =>
      this.own(
        startTrainee(this.config, start, {
          noiseSeed: copyNoiseSeed(this.config, init, pair, c),
          trainCount: this.data.train.count,
          mask: setup.mask,
          keepOptimizer: setup.keepOptimizer,
          resetSchedule: this.config.resetSchedule,
        }),
      ),
    ) as [Trainee, Trainee];
    const initToK = (await paramDistances(copies[0].params, setup.origin, setup.mask)).l2;
    const stored = this.options.resume?.experiment === 'instability' ? this.options.resume.inPair : undefined;
    if (stored && pairId(stored.key) === pairId(key)) {
      // Resumed mid-pair: the copies continue from where the checkpoint left them.
      for (const [i, snapshot] of stored.copies.entries()) {
        const fresh = copies[i];
        if (!fresh) throw new Error(`the checkpoint holds ${stored.copies.length} copies of a pair`);
        this.free(fresh);
        copies[i] = this.own(restoreTrainee(snapshot, setup.mask));
      }
    }
    const [a, b] = (yield* this.trainCopies(copies, copyEndStep(this.config, k), { k, init, kind, level, pair }, key)) as [Trainee, Trainee];
    const kToT = ((await paramDistances(a.params, start.params, setup.mask)).l2 + (await paramDistances(b.params, start.params, setup.mask)).l2) / 2;
    const between = await paramDistances(a.params, b.params);
    const testErrors: number[] = [];
    const trainErrors: number[] = [];
    const endpoints: DetailedEvaluation[] = [];
    const last = this.alphas.length - 1;
    for (const [alphaIndex, alpha] of this.alphas.entries()) {
      const point = interpolateParams(a.params, b.params, alpha);
      try {
        await this.timed(this.examplesPerEvaluation, async () => {
          if (this.config.bnMode === 'recompute') recomputeBatchNormStats(this.model, point, this.data.train, this.config.bnBatches, this.config.batchSize);
          if (alphaIndex === 0 || alphaIndex === last) {
            const detailed = await evaluateDetailed(this.model, point, this.testSet);
            endpoints.push(detailed);
            testErrors.push(detailed.error);
          } else testErrors.push(await evaluateError(this.model, point, this.testSet));
          if (this.trainSet) trainErrors.push(await evaluateError(this.model, point, this.trainSet));
        });
      } finally {
        disposeParams(point);
      }
      const trainError = trainErrors[alphaIndex];
      yield { type: 'point', ...key, alphaIndex, alpha, testError: testErrors[alphaIndex] ?? Number.NaN, ...(trainError === undefined ? {} : { trainError }) };
      yield this.progress('interpolate', { k, init, kind, level, pair });
      await yieldToEventLoop();
    }
    for (const c of [a, b]) this.free(c);
    const [e0, e1] = endpoints as [DetailedEvaluation, DetailedEvaluation];
    return {
      ...key,
      density: setup.density,
      alphas: [...this.alphas],
      testErrors,
      testBarrier: errorBarrier(testErrors),
      ...(this.trainSet ? { trainErrors, trainBarrier: errorBarrier(trainErrors) } : {}),
      distances: {
        l2: between.l2,
        cosine: between.cosine,
        initToK,
        kToT,
        classifiedDifferently: countDifferent(e0.predictions, e1.predictions),
        lossL2: vectorL2(e0.losses, e1.losses),
      },
    };
  }

  /** Mean ± std instability over the pairs of one (kind, level, k). */
  summarize(pairs: readonly PairResult[]): KSummary {
    return summarizePairs(pairs, this.trainSet !== null);
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
  }
}
