import { errorBarrier } from '../analysis/barrier.ts';
import { countDifferent, paramDistances, vectorL2 } from '../analysis/distances.ts';
import { walkPath } from '../analysis/path.ts';
import type { ParamMap } from '../models/params.ts';
import type { Mask } from '../prune/mask.ts';
import { type PairKey, type PairResult, pairId } from '../records.ts';
import { type TraineeSnapshot, restoreTrainee } from '../train/snapshot.ts';
import type { Trainee } from '../train/trainer.ts';
import { yieldToEventLoop } from '../train/yield.ts';
import { type InPairCheckpoints, type PairCopies, trainCopies } from './copy-training.ts';
import type { ExperimentEvent } from './events.ts';
import type { RunContext } from './run-context.ts';
import { type StartPoint, copyEndStep, copyNoiseSeed, startTrainee } from './trainees.ts';

/** What a pair starts from besides its start point: its density and mask, the network's initialisation, and the optimiser rule. */
export interface PairSetup {
  readonly density: number;
  readonly mask: Mask | null;
  /** The network's initialisation, for the init → k distance. */
  readonly origin: ParamMap;
  /** Keep the start point's optimiser state (else a fresh optimiser). */
  readonly keepOptimizer: boolean;
}

/** One pair to run: where its copies start, its key, and its setup. */
export interface PairPlan {
  readonly start: StartPoint;
  readonly key: PairKey;
  readonly setup: PairSetup;
}

/** How many pairs train at once with `workers` copy workers: two copies each, at least one pair. */
export function pairsTogether(workers: number): number {
  return Math.max(1, Math.floor(workers / 2));
}

/** How many pairs of a run train at once: as many as its copy trainer has room for (one without). */
export function pairsAtOnce(ctx: RunContext): number {
  return pairsTogether(ctx.options.copyTrainer?.parallelism ?? 0);
}

/** What a run says about its copy workers: how many, and how many pairs they train at once. */
export function copyWorkersNotice(workers: number): string {
  const pairs = pairsTogether(workers);
  return pairs === 1 ? `the two copies of each pair train at once in ${workers} workers` : `the copies of ${pairs} pairs train at once in ${workers} workers`;
}

/**
 * Algorithm 1 for a batch of pairs that share k: two copies of each plan's start (masked by its
 * setup's mask), all trained at once to T on each pair's two data orders, then each pair
 * evaluated at every α on the path between its copies, in order. Yields training progress and
 * each point; returns each pair's curves, barrier and distances, in the order of `plans`. The
 * numbers are those of running the pairs one by one. `inPair`, when given, checkpoints the copies
 * while they train; a pair whose copies a resumed checkpoint holds continues them from there.
 */
export async function* runPairs(ctx: RunContext, plans: readonly PairPlan[], inPair: InPairCheckpoints | null): AsyncGenerator<ExperimentEvent, PairResult[]> {
  const ks = new Set(plans.map((p) => p.key.k));
  if (ks.size > 1) throw new Error(`pairs trained together must share k, not ${[...ks].join(', ')}`);
  const started: { plan: PairPlan; copies: [Trainee, Trainee]; initToK: number }[] = [];
  for (const plan of plans) started.push({ plan, ...(await startCopies(ctx, plan)) });
  const k = plans[0]?.key.k ?? 0;
  const trained = yield* trainCopies(
    ctx,
    started.map(({ plan, copies }) => ({ key: plan.key, copies })),
    copyEndStep(ctx.config, k),
    inPair,
  );
  const results: PairResult[] = [];
  for (const [i, { plan, initToK }] of started.entries()) {
    const [a, b] = (trained[i]?.copies ?? []) as [Trainee, Trainee];
    results.push(yield* evaluatePair(ctx, plan, initToK, a, b));
  }
  return results;
}

/**
 * Both copies of a pair at its start point, or where a resumed checkpoint left them, and the
 * distance from the initialisation to the start point (measured before any resume).
 */
async function startCopies(ctx: RunContext, { start, key, setup }: PairPlan): Promise<{ copies: [Trainee, Trainee]; initToK: number }> {
  const { config } = ctx;
  const copies = [0, 1].map((c) =>
    ctx.own(
      startTrainee(config, start, {
        noiseSeed: copyNoiseSeed(config, key.init, key.pair, c),
        trainCount: ctx.data.train.count,
        mask: setup.mask,
        keepOptimizer: setup.keepOptimizer,
        resetSchedule: config.resetSchedule,
      }),
    ),
  ) as [Trainee, Trainee];
  const initToK = (await paramDistances(copies[0].params, setup.origin, setup.mask)).l2;
  const stored = storedCopies(ctx).find((p) => pairId(p.key) === pairId(key));
  if (stored) {
    for (const [i, snapshot] of stored.copies.entries()) {
      const fresh = copies[i];
      if (!fresh) throw new Error(`the checkpoint holds ${stored.copies.length} copies of a pair`);
      ctx.free(fresh);
      copies[i] = ctx.own(restoreTrainee(snapshot, setup.mask));
    }
  }
  return { copies, initToK };
}

/** The copies in training that the checkpoint being resumed holds (older checkpoints hold one pair's). */
function storedCopies(ctx: RunContext): readonly PairCopies<TraineeSnapshot>[] {
  const resume = ctx.options.resume;
  if (resume?.experiment !== 'instability') return [];
  return [...(resume.inPairs ?? []), ...(resume.inPair ? [resume.inPair] : [])];
}

/** Walks the path between a pair's trained copies `a` and `b`, yielding each point; frees them and returns the pair's result. */
async function* evaluatePair(ctx: RunContext, plan: PairPlan, initToK: number, a: Trainee, b: Trainee): AsyncGenerator<ExperimentEvent, PairResult> {
  const { config } = ctx;
  const { key, start, setup } = plan;
  const where = { k: key.k, init: key.init, kind: key.kind, level: key.level, pair: key.pair };
  const kToT = ((await paramDistances(a.params, start.params, setup.mask)).l2 + (await paramDistances(b.params, start.params, setup.mask)).l2) / 2;
  const between = await paramDistances(a.params, b.params);
  const testErrors: number[] = [];
  const trainErrors: number[] = [];
  const batchNorm = { mode: config.bnMode, batches: config.bnBatches, batchSize: config.batchSize, data: ctx.data.train };
  const path = walkPath(
    { model: ctx.model, testSet: ctx.testSet, trainSet: ctx.trainSet, batchNorm, timed: (n, body) => ctx.timed(n, body) },
    a.params,
    b.params,
    ctx.alphas,
  );
  let step = await path.next();
  while (!step.done) {
    const point = step.value;
    testErrors.push(point.testError);
    if (point.trainError !== undefined) trainErrors.push(point.trainError);
    yield { type: 'point', ...key, ...point };
    yield ctx.progress('interpolate', where);
    await yieldToEventLoop();
    step = await path.next();
  }
  const [e0, e1] = step.value;
  for (const c of [a, b]) ctx.free(c);
  return {
    ...key,
    density: setup.density,
    alphas: [...ctx.alphas],
    testErrors,
    testBarrier: errorBarrier(testErrors),
    ...(ctx.trainSet ? { trainErrors, trainBarrier: errorBarrier(trainErrors) } : {}),
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
