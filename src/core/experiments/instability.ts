import { errorBarrier, isStable } from '../analysis/barrier.ts';
import { type EvalSet, disposeEvalSet, evaluateError, prepareEvalSet } from '../analysis/evaluate.ts';
import { evenlySpacedAlphas, interpolateParams } from '../analysis/interpolate.ts';
import { meanStd } from '../analysis/stats.ts';
import { type ImageDataset, takeFirst } from '../data/dataset.ts';
import { DataOrder } from '../data/order.ts';
import { modelFor } from '../models/registry.ts';
import type { Model } from '../models/model.ts';
import { cloneParams, disposeParams, initParams } from '../models/params.ts';
import { type OptimizerSettings, createOptimizer } from '../train/optimizer.ts';
import type { LrSchedule } from '../train/schedule.ts';
import { type Trainee, disposeTrainee, trainTo } from '../train/trainer.ts';
import { throwIfAborted, yieldToEventLoop } from '../train/yield.ts';
import { deriveSeed } from '../rng.ts';
import { type ExperimentConfig, sortedRewindSteps } from './config.ts';
import type { ExperimentEvent, Phase, ProgressEvent } from './events.ts';
import { EVAL_COST, WorkMeter } from './progress.ts';
import { type InstabilityResults, type KSummary, type PairResult, RESULTS_FORMAT, RESULTS_VERSION } from './results.ts';

/** The training and test splits an experiment reads. */
export interface ExperimentData {
  readonly train: ImageDataset;
  readonly test: ImageDataset;
}

/** Options of {@link runInstabilityAnalysis}. */
export interface RunOptions {
  /** Name of the backend the run uses, recorded in the results. */
  readonly backend: string;
  readonly signal?: AbortSignal | undefined;
  /** Progress reporting interval in milliseconds (default 100). */
  readonly reportEveryMs?: number;
}

/** The learning-rate schedule a configuration describes. */
export function scheduleOf(config: ExperimentConfig): LrSchedule {
  return { learningRate: config.learningRate, milestones: config.milestones, gamma: config.gamma, warmupSteps: config.warmupSteps };
}

/** The optimiser settings a configuration describes (Adam uses PyTorch's default betas and epsilon). */
export function optimizerOf(config: ExperimentConfig): OptimizerSettings {
  return config.optimizer === 'adam'
    ? { kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: config.weightDecay }
    : { kind: 'sgd', momentum: config.momentum, weightDecay: config.weightDecay };
}

/** Seed of the data order of trunk `init` (steps 0 → k). */
export function trunkNoiseSeed(config: ExperimentConfig, init: number): number {
  return deriveSeed(config.noiseSeed, 'trunk', init);
}

/** Seed of the data order of copy `copy` (0 or 1) of pair `pair` from initialisation `init`. */
export function copyNoiseSeed(config: ExperimentConfig, init: number, pair: number, copy: number): number {
  return deriveSeed(config.noiseSeed, 'copy', init, pair, copy);
}

/** Seed of the initial weights of initialisation `init`. */
export function initWeightSeed(config: ExperimentConfig, init: number): number {
  return deriveSeed(config.initSeed, 'init', init);
}

/** A fresh network at step 0 for initialisation `init` (the caller owns it). */
export function createTrunk(config: ExperimentConfig, model: Model, trainCount: number, init: number): Trainee {
  return {
    params: initParams(model.specs, initWeightSeed(config, init)),
    optimizer: createOptimizer(optimizerOf(config)),
    order: new DataOrder(trunkNoiseSeed(config, init), trainCount, config.batchSize),
    step: 0,
    scheduleOffset: 0,
  };
}

/** A copy of `trunk` that will train on its own data order (the caller owns it). */
export function copyTrainee(config: ExperimentConfig, trunk: Trainee, noiseSeed: number): Trainee {
  return {
    params: cloneParams(trunk.params),
    optimizer: config.optimizerAtCopy === 'copy' ? trunk.optimizer.clone() : createOptimizer(optimizerOf(config)),
    order: new DataOrder(noiseSeed, trunk.order.count, config.batchSize),
    step: trunk.step,
    scheduleOffset: config.resetSchedule ? trunk.step : 0,
  };
}

/** Step a copy made at k trains to: T, or k + T when the schedule is reset (Figure 4). */
export function copyEndStep(config: ExperimentConfig, k: number): number {
  return config.resetSchedule ? k + config.trainingSteps : config.trainingSteps;
}

function totalWork(config: ExperimentConfig, evalExamples: number): number {
  const ks = sortedRewindSteps(config);
  const trunk = config.inits * Math.max(...ks);
  const pairs = config.inits * config.pairsPerInit;
  const copies = ks.reduce((n, k) => n + 2 * pairs * (copyEndStep(config, k) - k), 0);
  return (trunk + copies) * config.batchSize + ks.length * pairs * config.alphas * evalExamples * EVAL_COST;
}

/**
 * Instability analysis (paper Algorithm 1) over every rewind step k, initialisation and pair:
 * train a trunk to k, copy it twice, train the copies to T on different data orders, evaluate
 * error at `alphas` points on the linear path between them, and report the barrier. Trunks
 * advance k by k so that the first curve appears as early as possible. Every tensor is freed
 * when the generator finishes, throws, is cancelled through `signal`, or is closed early.
 */
export async function* runInstabilityAnalysis(
  config: ExperimentConfig,
  data: ExperimentData,
  options: RunOptions,
): AsyncGenerator<ExperimentEvent, InstabilityResults> {
  const model = modelFor(config.model);
  const schedule = scheduleOf(config);
  const alphas = evenlySpacedAlphas(config.alphas);
  const startedAt = new Date();
  const evalSets: EvalSet[] = [];
  const live = new Set<Trainee>();
  const trainOptions = { model, data: data.train, schedule, signal: options.signal, reportEveryMs: options.reportEveryMs ?? 100 };
  try {
    const testSet = prepareEvalSet(takeFirst(data.test, config.testExamples));
    evalSets.push(testSet);
    const trainSet = config.trainEval ? prepareEvalSet(takeFirst(data.train, config.trainExamples)) : null;
    if (trainSet) evalSets.push(trainSet);
    const meter = new WorkMeter(totalWork(config, testSet.count + (trainSet?.count ?? 0)));
    const progress = (phase: Phase, k: number, init: number, extra: Partial<ProgressEvent>): ProgressEvent => ({
      type: 'progress',
      phase,
      k,
      init,
      ...extra,
      ...meter.snapshot(),
    });

    const timing = { trainingExamples: 0, trainingSeconds: 0, evaluatedExamples: 0, evaluationSeconds: 0 };
    async function* train(t: Trainee, to: number, phase: Phase, k: number, init: number, extra: Partial<ProgressEvent>) {
      let last = t.step;
      let since = performance.now();
      for await (const p of trainTo(t, to, trainOptions)) {
        meter.add((p.step - last) * config.batchSize);
        timing.trainingExamples += (p.step - last) * config.batchSize;
        timing.trainingSeconds += (performance.now() - since) / 1000;
        last = p.step;
        yield progress(phase, k, init, { ...extra, step: p.step, ...(p.loss === null ? {} : { loss: p.loss }) });
        since = performance.now();
      }
    }

    const trunks: Trainee[] = [];
    for (let init = 0; init < config.inits; init++) {
      const trunk = createTrunk(config, model, data.train.count, init);
      live.add(trunk);
      trunks.push(trunk);
    }
    const pairs: PairResult[] = [];
    const summaries: KSummary[] = [];
    for (const k of sortedRewindSteps(config)) {
      const atK: PairResult[] = [];
      for (let init = 0; init < config.inits; init++) {
        const trunk = trunks[init];
        if (!trunk) throw new Error(`missing trunk ${init}`);
        yield* train(trunk, k, 'trunk', k, init, {});
        for (let pair = 0; pair < config.pairsPerInit; pair++) {
          const copies = [0, 1].map((c) => copyTrainee(config, trunk, copyNoiseSeed(config, init, pair, c)));
          for (const c of copies) live.add(c);
          for (const [copy, c] of copies.entries()) yield* train(c, copyEndStep(config, k), 'copy', k, init, { pair, copy });
          const [a, b] = copies as [Trainee, Trainee];
          const testErrors: number[] = [];
          const trainErrors: number[] = [];
          for (const [alphaIndex, alpha] of alphas.entries()) {
            throwIfAborted(options.signal);
            const started = performance.now();
            const point = interpolateParams(a.params, b.params, alpha);
            try {
              testErrors.push(await evaluateError(model, point, testSet));
              if (trainSet) trainErrors.push(await evaluateError(model, point, trainSet));
            } finally {
              disposeParams(point);
            }
            const evaluated = testSet.count + (trainSet?.count ?? 0);
            timing.evaluatedExamples += evaluated;
            timing.evaluationSeconds += (performance.now() - started) / 1000;
            meter.add(evaluated * EVAL_COST);
            const trainError = trainErrors[alphaIndex];
            yield { type: 'point', k, init, pair, alphaIndex, alpha, testError: testErrors[alphaIndex] ?? Number.NaN, ...(trainError === undefined ? {} : { trainError }) };
            yield progress('interpolate', k, init, { pair });
            await yieldToEventLoop();
          }
          for (const c of copies) {
            disposeTrainee(c);
            live.delete(c);
          }
          const result: PairResult = {
            k,
            init,
            pair,
            alphas,
            testErrors,
            testBarrier: errorBarrier(testErrors),
            ...(trainSet ? { trainErrors, trainBarrier: errorBarrier(trainErrors) } : {}),
          };
          atK.push(result);
          pairs.push(result);
          yield { type: 'pair', result };
        }
      }
      const test = meanStd(atK.map((p) => p.testBarrier));
      const summary: KSummary = {
        k,
        test,
        ...(trainSet ? { train: meanStd(atK.map((p) => p.trainBarrier ?? Number.NaN)) } : {}),
        stable: isStable(test.mean),
      };
      summaries.push(summary);
      yield { type: 'summary', summary };
    }
    const finishedAt = new Date();
    const results: InstabilityResults = {
      format: RESULTS_FORMAT,
      version: RESULTS_VERSION,
      config,
      backend: options.backend,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationSeconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
      timing,
      pairs,
      summaries,
    };
    yield { type: 'done', results };
    return results;
  } finally {
    for (const t of live) disposeTrainee(t);
    for (const s of evalSets) disposeEvalSet(s);
  }
}
