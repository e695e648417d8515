import { errorBarrier } from '../analysis/barrier.ts';
import { countDifferent, paramDistances, vectorL2 } from '../analysis/distances.ts';
import { walkPath } from '../analysis/path.ts';
import type { ParamMap } from '../models/params.ts';
import type { Mask } from '../prune/mask.ts';
import { type PairKey, type PairResult, pairId } from '../records.ts';
import { restoreTrainee } from '../train/snapshot.ts';
import type { Trainee } from '../train/trainer.ts';
import { yieldToEventLoop } from '../train/yield.ts';
import { type InPairCheckpoints, trainCopies } from './copy-training.ts';
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

/**
 * Algorithm 1 for one pair: two copies of `start` (masked by `setup.mask`), trained to T on the
 * pair's two data orders, then evaluated at every α on the path between them. Yields training
 * progress and each point; returns the pair's curves, barrier and distances. `inPair`, when
 * given, checkpoints the copies while they train; a run resumed inside this pair continues
 * them from its checkpoint.
 */
export async function* runPair(
  ctx: RunContext,
  start: StartPoint,
  key: PairKey,
  setup: PairSetup,
  inPair: InPairCheckpoints | null,
): AsyncGenerator<ExperimentEvent, PairResult> {
  const { config } = ctx;
  const { k, init, pair, kind, level } = key;
  const copies = [0, 1].map((c) =>
    ctx.own(
      startTrainee(config, start, {
        noiseSeed: copyNoiseSeed(config, init, pair, c),
        trainCount: ctx.data.train.count,
        mask: setup.mask,
        keepOptimizer: setup.keepOptimizer,
        resetSchedule: config.resetSchedule,
      }),
    ),
  ) as [Trainee, Trainee];
  const initToK = (await paramDistances(copies[0].params, setup.origin, setup.mask)).l2;
  const stored = ctx.options.resume?.experiment === 'instability' ? ctx.options.resume.inPair : undefined;
  if (stored && pairId(stored.key) === pairId(key)) {
    // Resumed mid-pair: the copies continue from where the checkpoint left them.
    for (const [i, snapshot] of stored.copies.entries()) {
      const fresh = copies[i];
      if (!fresh) throw new Error(`the checkpoint holds ${stored.copies.length} copies of a pair`);
      ctx.free(fresh);
      copies[i] = ctx.own(restoreTrainee(snapshot, setup.mask));
    }
  }
  const where = { k, init, kind, level, pair };
  const [a, b] = (yield* trainCopies(ctx, copies, copyEndStep(config, k), where, inPair)) as [Trainee, Trainee];
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
