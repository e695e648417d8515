import type { PairKey, TracePoint } from '../records.ts';
import { CopyDivergedError, type CopyJob, type CopyProgress } from '../train/copy-trainer.ts';
import { type SideBySideProgress, sideBySideModel, sideBySideWanted, trainSideBySide } from '../train/side-by-side.ts';
import { type TraineeSnapshot, hostTensors, restoreTrainee, snapshotTrainee } from '../train/snapshot.ts';
import type { Trainee } from '../train/trainer.ts';
import type { Phase, ProgressEvent } from './events.ts';
import type { RunContext, Where } from './run-context.ts';

/** The copies of one pair, under the pair's key (and, in a checkpoint, the pair's trace so far). */
export interface PairCopies<T = Trainee> {
  readonly key: PairKey;
  readonly copies: readonly T[];
  readonly trace?: readonly TracePoint[];
}

/** How to checkpoint while copies train: what saves a checkpoint holding them, and how often. */
export interface InPairCheckpoints {
  readonly save: (inPairs: readonly PairCopies<TraineeSnapshot>[]) => Promise<void>;
  /** Seconds of training between checkpoints. */
  readonly everySeconds: number;
}

/**
 * Trains the copies of one or more pairs to step `to` as {@link trainTogether} does: all at once
 * through the run's copy trainer when it has one (each copy to a free worker), else side by side
 * where that is on (webgpu), else one after the other. With `inPair`, it trains in chunks of
 * about `everySeconds`, each followed by a checkpoint holding every pair's copies. Returns the
 * trained copies, pair by pair (owned by the context; trained by a copy trainer or side by side,
 * they replace the ones given, which are freed).
 */
export async function* trainCopies(
  ctx: RunContext,
  pairs: readonly PairCopies[],
  to: number,
  inPair: InPairCheckpoints | null,
): AsyncGenerator<ProgressEvent, PairCopies[]> {
  if (!inPair) return yield* trainCopiesTo(ctx, pairs, to);
  // Chunks of about `everySeconds` (guessing 10 steps/s at first), each followed by a checkpoint.
  let chunk = Math.max(1, Math.round(inPair.everySeconds * 10));
  let current = [...pairs];
  for (;;) {
    const from = Math.min(...current.flatMap((p) => p.copies.map((c) => c.step)));
    const target = Math.min(to, from + chunk);
    const started = performance.now();
    current = yield* trainCopiesTo(ctx, current, target);
    if (target >= to) return current;
    const seconds = Math.max(1e-3, (performance.now() - started) / 1000);
    chunk = Math.max(1, Math.round(((target - from) * inPair.everySeconds) / seconds));
    await inPair.save(await Promise.all(current.map(async (p) => ({ key: p.key, copies: await Promise.all(p.copies.map((c) => snapshotTrainee(c))) }))));
  }
}

/** Where copy `copy` of pair `key` is, for progress events and error messages. */
function copyWhere(key: PairKey, copy: number): Where {
  return { k: key.k, init: key.init, kind: key.kind, level: key.level, pair: key.pair, copy };
}

/** Trains the copies to step `to` in one stretch (see {@link trainCopies}). */
async function* trainCopiesTo(ctx: RunContext, pairs: readonly PairCopies[], to: number): AsyncGenerator<ProgressEvent, PairCopies[]> {
  const flat = pairs.flatMap((p) => p.copies.map((trainee, copy) => ({ trainee, where: copyWhere(p.key, copy) })));
  const trained = yield* trainTogether(ctx, flat, to, 'copy');
  let index = 0;
  return pairs.map((p) => ({ key: p.key, copies: p.copies.map(() => trained[index++] as Trainee) }));
}

/**
 * Trains independent networks to step `to` (a copy already past it stays where it is): all at
 * once through the run's copy trainer when it has one and there are at least two; else two by
 * two side by side as one wide network where that is on (the run's `sideBySide`, by default on
 * webgpu) and they can (same step and schedule offset, same optimiser settings and update
 * count); else one after the other here. The numbers are the same every way (side by
 * side within float rounding). Progress is reported under each network's `where` and `phase`.
 * Returns the trained networks in order (owned by the context; trained by a copy trainer or
 * side by side, they replace the ones given, which are freed).
 */
export async function* trainTogether(
  ctx: RunContext,
  networks: readonly { readonly trainee: Trainee; readonly where: Where }[],
  to: number,
  phase: Phase,
): AsyncGenerator<ProgressEvent, Trainee[]> {
  const trainer = ctx.options.copyTrainer;
  if (!trainer && networks.length >= 2 && (ctx.options.sideBySide ?? sideBySideWanted())) {
    const trained: Trainee[] = [];
    for (let i = 0; i < networks.length; i += SIDE_BY_SIDE) trained.push(...(yield* trainSideBySideIn(ctx, networks.slice(i, i + SIDE_BY_SIDE), to, phase)));
    return trained;
  }
  if (!trainer || networks.length < 2) {
    for (const { trainee, where } of networks) yield* ctx.train(trainee, to, phase, where);
    return networks.map((n) => n.trainee);
  }
  const jobs: CopyJob[] = [];
  for (const { trainee } of networks)
    jobs.push({ snapshot: await snapshotTrainee(trainee), mask: trainee.mask ? await hostTensors(trainee.mask) : null, to: Math.max(to, trainee.step) });
  const generator = trainer.train(jobs, ctx.schedule, { signal: ctx.options.signal, reportEveryMs: ctx.options.reportEveryMs ?? 100 });
  const trained = yield* followJobs(ctx, networks, phase, generator);
  return networks.map(({ trainee }, i) => {
    const snapshot = trained[i];
    if (!snapshot) throw new Error(`the copy trainer returned ${trained.length} networks for ${networks.length}`);
    ctx.free(trainee);
    return ctx.own(restoreTrainee(snapshot, trainee.mask));
  });
}

/**
 * How many networks at most train side by side as one. Each weight of the wide network is
 * block-diagonal, so a convolution does copies² times one copy's arithmetic: with two, twice
 * what the copies need, which the GPU's slack absorbs (see {@link sideBySideWanted}).
 */
const SIDE_BY_SIDE = 2;

/**
 * Trains `networks` to `to` side by side when they can (see {@link sideBySideModel}), else one
 * after the other; returns them trained, as {@link trainTogether} does.
 */
async function* trainSideBySideIn(
  ctx: RunContext,
  networks: readonly { readonly trainee: Trainee; readonly where: Where }[],
  to: number,
  phase: Phase,
): AsyncGenerator<ProgressEvent, Trainee[]> {
  const trainees = networks.map((n) => n.trainee);
  if ((trainees[0]?.step ?? to) >= to || !sideBySideModel(ctx.model, trainees)) {
    for (const { trainee, where } of networks) yield* ctx.train(trainee, to, phase, where);
    return trainees;
  }
  const trained = yield* followJobs(ctx, networks, phase, eachCopy(trainSideBySide(trainees, to, ctx.trainOptions())));
  return networks.map(({ trainee }, i) => {
    ctx.free(trainee);
    return ctx.own(trained[i] as Trainee);
  });
}

/** Side-by-side training's progress as one report per copy. */
async function* eachCopy<R>(generator: AsyncGenerator<SideBySideProgress, R>): AsyncGenerator<CopyProgress, R> {
  try {
    for (;;) {
      const next = await generator.next();
      if (next.done) return next.value;
      for (const [job, loss] of next.value.losses.entries()) yield { job, step: next.value.step, loss };
    }
  } finally {
    await generator.return(undefined as never);
  }
}

/**
 * Follows networks trained together by `generator`: yields each report as a progress event
 * under its network's `where`, counts the examples and time, and names the network in a
 * divergence. Returns what the generator returns.
 */
async function* followJobs<R>(
  ctx: RunContext,
  networks: readonly { readonly trainee: Trainee; readonly where: Where }[],
  phase: Phase,
  generator: AsyncGenerator<CopyProgress, R>,
): AsyncGenerator<ProgressEvent, R> {
  const whereOf = (job: number): Where => networks[job]?.where ?? networks[0]?.where ?? { k: 0, init: 0 };
  const last = networks.map((n) => n.trainee.step);
  let since = performance.now();
  try {
    for (;;) {
      const next = await generator.next();
      if (next.done) {
        ctx.countTraining(0, since);
        return next.value;
      }
      const p = next.value;
      since = ctx.countTraining((p.step - (last[p.job] ?? p.step)) * ctx.config.batchSize, since);
      last[p.job] = p.step;
      yield ctx.progress(phase, whereOf(p.job), { step: p.step, ...(p.loss === null ? {} : { loss: p.loss }) });
    }
  } catch (error) {
    throw ctx.named(error, phase, whereOf(error instanceof CopyDivergedError ? error.job : 0));
  } finally {
    await generator.return(undefined as never);
  }
}
