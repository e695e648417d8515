import * as tf from '@tensorflow/tfjs';
import { ALIGNABLE_LAYERS, type HostWeights, alignMlp } from '../analysis/align.ts';
import type { DetailedEvaluation } from '../analysis/evaluate.ts';
import { walkPath } from '../analysis/path.ts';
import { walkTriangle } from '../analysis/plane.ts';
import { type ParamMap, disposeParams } from '../models/params.ts';
import type { ErrorPlane, PairKey, PairResult } from '../records.ts';
import { yieldToEventLoop } from '../train/yield.ts';
import type { ExperimentEvent } from './events.ts';
import type { RunContext } from './run-context.ts';

/**
 * The path from copy `a` to copy `b` with `b`'s hidden units permuted to match `a`'s by weight
 * matching ({@link alignMlp}): the same two functions, the units lined up. Yields progress.
 */
export async function* walkAlignedPath(
  ctx: RunContext,
  key: PairKey,
  a: ParamMap,
  b: ParamMap,
): AsyncGenerator<ExperimentEvent, NonNullable<PairResult['aligned']>> {
  const layers = ALIGNABLE_LAYERS[ctx.model.name];
  if (!layers) throw new Error(`permutation alignment is built for LeNet-300-100 only so far, not ${ctx.model.name}`);
  const { aligned } = alignMlp(await hostWeights(a), await hostWeights(b), layers);
  const permuted = new Map([...aligned].map(([name, w]) => [name, tf.tensor(w.values, [...w.shape])]));
  try {
    const { testErrors, trainErrors } = yield* walkPairPath(ctx, key, a, permuted, false);
    return { testErrors, ...(trainErrors ? { trainErrors } : {}) };
  } finally {
    disposeParams(permuted);
  }
}

/** Every parameter of `params` on the host, by name. */
async function hostWeights(params: ParamMap): Promise<HostWeights> {
  const out = new Map<string, { shape: readonly number[]; values: Float32Array }>();
  for (const [name, t] of params) out.set(name, { shape: t.shape, values: new Float32Array(await t.data<'float32'>()) });
  return out;
}

/** The test error over the triangle through the start point W_k and the trained copies `a` and `b`, yielding progress. */
export async function* walkPairPlane(ctx: RunContext, key: PairKey, start: ParamMap, a: ParamMap, b: ParamMap): AsyncGenerator<ExperimentEvent, ErrorPlane> {
  const where = { k: key.k, init: key.init, kind: key.kind, level: key.level, pair: key.pair };
  const batchNorm = { mode: ctx.config.bnMode, batches: ctx.config.bnBatches, batchSize: ctx.config.batchSize, data: ctx.data.train };
  const setup = { model: ctx.model, testSet: ctx.testSet, trainSet: null, batchNorm, timed: <T>(n: number, body: () => Promise<T>) => ctx.timed(n, body) };
  const testErrors: number[] = [];
  for await (const point of walkTriangle(setup, start, a, b, ctx.config.planeGrid)) {
    testErrors.push(point.testError);
    yield ctx.progress('interpolate', where);
    await yieldToEventLoop();
  }
  return { grid: ctx.config.planeGrid, testErrors };
}

/**
 * The errors along the path between copies `a` and `b` of pair `key` (train errors when the run
 * evaluates them), with the endpoints' detailed evaluations. Yields progress, and each point
 * when `points` (the final path; trace measurements stream as trace events instead).
 */
export async function* walkPairPath(
  ctx: RunContext,
  key: PairKey,
  a: ParamMap,
  b: ParamMap,
  points: boolean,
): AsyncGenerator<ExperimentEvent, { testErrors: number[]; trainErrors: number[] | null; endpoints: [DetailedEvaluation, DetailedEvaluation] }> {
  const { config } = ctx;
  const where = { k: key.k, init: key.init, kind: key.kind, level: key.level, pair: key.pair };
  const testErrors: number[] = [];
  const trainErrors: number[] = [];
  const batchNorm = { mode: config.bnMode, batches: config.bnBatches, batchSize: config.batchSize, data: ctx.data.train };
  const path = walkPath(
    { model: ctx.model, testSet: ctx.testSet, trainSet: ctx.trainSet, batchNorm, timed: (n, body) => ctx.timed(n, body) },
    a,
    b,
    ctx.alphas,
  );
  let step = await path.next();
  while (!step.done) {
    const point = step.value;
    testErrors.push(point.testError);
    if (point.trainError !== undefined) trainErrors.push(point.trainError);
    if (points) yield { type: 'point', ...key, ...point };
    yield ctx.progress('interpolate', where);
    await yieldToEventLoop();
    step = await path.next();
  }
  return { testErrors, trainErrors: ctx.trainSet ? trainErrors : null, endpoints: step.value };
}
