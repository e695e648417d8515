import { permuteUnits, weightMatching } from '../analysis/align.ts';
import type { DetailedEvaluation } from '../analysis/evaluate.ts';
import { type PathSetup, walkPath } from '../analysis/path.ts';
import { walkTriangle } from '../analysis/plane.ts';
import { type ParamMap, disposeParams } from '../models/params.ts';
import type { ErrorPlane, PairKey, PairResult, SubnetKind } from '../records.ts';
import { yieldToEventLoop } from '../train/yield.ts';
import type { ExperimentEvent } from './events.ts';
import type { ExperimentConfig } from './config.ts';
import type { RunContext } from './run-context.ts';

/** What a walk through networks of this run needs: its model, evaluation sets, BatchNorm mode and accounting. */
function pathSetup(ctx: RunContext): PathSetup {
  const { config } = ctx;
  const batchNorm = { mode: config.bnMode, batches: config.bnBatches, batchSize: config.batchSize, data: ctx.data.train };
  return { model: ctx.model, testSet: ctx.testSet, trainSet: ctx.trainSet, batchNorm, timed: (n, body) => ctx.timed(n, body) };
}

/**
 * The path from copy `a` to copy `b` with `b`'s units permuted to match `a`'s by weight matching
 * ({@link weightMatching}): the same two functions, the units lined up. Yields progress.
 */
export async function* walkAlignedPath(
  ctx: RunContext,
  key: PairKey,
  a: ParamMap,
  b: ParamMap,
): AsyncGenerator<ExperimentEvent, NonNullable<PairResult['aligned']>> {
  const { permutations } = await weightMatching(ctx.model, a, b);
  const permuted = permuteUnits(ctx.model, b, permutations);
  try {
    const { testErrors, trainErrors } = yield* walkPairPath(ctx, key, a, permuted, false);
    const moved = permutations.reduce((n, p) => n + p.filter((v, i) => v !== i).length, 0);
    return { testErrors, ...(trainErrors ? { trainErrors } : {}), moved, units: permutations.reduce((n, p) => n + p.length, 0) };
  } finally {
    disposeParams(permuted);
  }
}

/** The test error over the triangle through the start point W_k and the trained copies `a` and `b`, yielding progress. */
export async function* walkPairPlane(ctx: RunContext, key: PairKey, start: ParamMap, a: ParamMap, b: ParamMap): AsyncGenerator<ExperimentEvent, ErrorPlane> {
  const where = { k: key.k, init: key.init, kind: key.kind, level: key.level, pair: key.pair };
  const setup = pathSetup(ctx);
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
  const where = { k: key.k, init: key.init, kind: key.kind, level: key.level, pair: key.pair };
  const testErrors: number[] = [];
  const trainErrors: number[] = [];
  const path = walkPath(pathSetup(ctx), a, b, ctx.alphas);
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

/** True for the pair whose error plane a run measures: the first dense pair (init 0, pair 0) at each k, when `planeGrid` is on. */
export function measuresPlane(
  config: Pick<ExperimentConfig, 'planeGrid'>,
  key: { readonly kind: SubnetKind; readonly init: number; readonly pair: number },
): boolean {
  return config.planeGrid > 0 && key.kind === 'dense' && key.init === 0 && key.pair === 0;
}
