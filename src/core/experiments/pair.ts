import { errorBarrier } from '../analysis/barrier.ts';
import { countDifferent, paramDistances, vectorL2 } from '../analysis/distances.ts';
import type { ParamMap } from '../models/params.ts';
import type { Mask } from '../prune/mask.ts';
import { type PairKey, type PairResult, type TracePoint, pairId } from '../records.ts';
import { type TraineeSnapshot, restoreTrainee } from '../train/snapshot.ts';
import type { Trainee } from '../train/trainer.ts';
import type { TrainingSpeed } from '../train/probe.ts';
import { type InPairCheckpoints, type PairCopies, trainCopies } from './copy-training.ts';
import type { ExperimentEvent } from './events.ts';
import type { RunContext } from './run-context.ts';
import { type StartPoint, copyEndStep, copyNoiseSeed, startTrainee } from './trainees.ts';
import { measuresPlane, walkAlignedPath, walkPairPath, walkPairPlane } from './pair-paths.ts';
import { traceEvent, traceSteps } from './trace.ts';

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
  /** Where copy 2 starts, and that network's initialisation, when not at `start` (copies from two initialisations: the other init's network at k). */
  readonly second?: { readonly start: StartPoint; readonly origin: ParamMap };
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
 * Whether training a pair's two copies side by side beats training them one after the other at
 * the speeds a probe measured: a step of the pair side by side takes less than two steps of one
 * network.
 */
export function sideBySidePays(speed: TrainingSpeed): boolean {
  return speed.pairStepsPerSecond !== null && 2 * speed.pairStepsPerSecond > speed.stepsPerSecond;
}

/** What a run says about training its pairs side by side (`on`), or not, with the speeds that decided it where a probe measured them. */
export function sideBySideNotice(on: boolean, speed: TrainingSpeed | null): string {
  const measured =
    speed && speed.pairStepsPerSecond !== null
      ? ` (measured just now: ${speed.pairStepsPerSecond.toFixed(1)} steps/s of a pair side by side against ${speed.stepsPerSecond.toFixed(1)} of one network)`
      : '';
  return on
    ? `the two copies of each pair train side by side as one network twice as wide${measured}`
    : `the copies of each pair train one after the other: side by side was slower here${measured}`;
}

/**
 * Algorithm 1 for a batch of pairs that share k: two copies of each plan's start (masked by its
 * setup's mask), all trained at once to T on each pair's two data orders, then each pair
 * evaluated at every α on the path between its copies, in order. With `tracePoints`, training
 * stops at each of {@link traceSteps} to measure every pair's path there too (Appendix C), the
 * last measurement being the ordinary one at T. Yields training progress, each trace point and
 * each point of the final paths; returns each pair's curves, barrier, distances and trace, in
 * the order of `plans`. The numbers are those of running the pairs one by one. `inPair`, when
 * given, checkpoints the copies (and traces so far) while they train; a pair whose copies a
 * resumed checkpoint holds continues them from there.
 */
export async function* runPairs(ctx: RunContext, plans: readonly PairPlan[], inPair: InPairCheckpoints | null): AsyncGenerator<ExperimentEvent, PairResult[]> {
  const ks = new Set(plans.map((p) => p.key.k));
  if (ks.size > 1) throw new Error(`pairs trained together must share k, not ${[...ks].join(', ')}`);
  const started: { plan: PairPlan; copies: [Trainee, Trainee]; initToK: number; trace: TracePoint[] }[] = [];
  for (const plan of plans) started.push({ plan, ...(await startCopies(ctx, plan)) });
  const k = plans[0]?.key.k ?? 0;
  const end = copyEndStep(ctx.config, k);
  const steps = traceSteps(k, end, ctx.config.tracePoints);
  // Checkpoints inside training also hold each pair's trace so far.
  const checkpointing: InPairCheckpoints | null = inPair && {
    ...inPair,
    save: (held) => inPair.save(held.map((p, i) => ({ ...p, trace: started[i]?.trace ?? [] }))),
  };
  let current: PairCopies[] = started.map(({ plan, copies }) => ({ key: plan.key, copies }));
  for (const step of steps.slice(0, -1)) {
    if (started.every((s) => s.trace.some((t) => t.step === step))) continue; // measured before a resume
    current = yield* trainCopies(ctx, current, step, checkpointing);
    for (const [i, s] of started.entries()) {
      if (s.trace.some((t) => t.step === step)) continue; // this pair's copies are past it already
      const [a, b] = (current[i]?.copies ?? []) as [Trainee, Trainee];
      const path = yield* walkPairPath(ctx, s.plan.key, a.params, b.params, false);
      const point = { step, testErrors: path.testErrors, ...(path.trainErrors ? { trainErrors: path.trainErrors } : {}) };
      s.trace.push(point);
      yield traceEvent(s.plan.key, point);
    }
  }
  current = yield* trainCopies(ctx, current, end, checkpointing);
  const results: PairResult[] = [];
  for (const [i, { plan, initToK, trace }] of started.entries()) {
    const [a, b] = (current[i]?.copies ?? []) as [Trainee, Trainee];
    const result = yield* evaluatePair(ctx, plan, initToK, a, b);
    if (steps.length === 0) {
      results.push(result);
      continue;
    }
    const last = { step: end, testErrors: result.testErrors, ...(result.trainErrors ? { trainErrors: result.trainErrors } : {}) };
    yield traceEvent(plan.key, last);
    results.push({ ...result, trace: [...trace, last] });
  }
  return results;
}

/**
 * Both copies of a pair at its start point, or where a resumed checkpoint left them (with the
 * trace measured before it), and the distance from the initialisation to the start point
 * (measured before any resume).
 */
async function startCopies(ctx: RunContext, plan: PairPlan): Promise<{ copies: [Trainee, Trainee]; initToK: number; trace: TracePoint[] }> {
  const { config } = ctx;
  const { key, setup } = plan;
  const copies = [0, 1].map((c) =>
    ctx.own(
      startTrainee(config, startOf(plan, c), {
        noiseSeed: copyNoiseSeed(config, key.init, key.pair, c),
        trainCount: ctx.data.train.count,
        mask: setup.mask,
        keepOptimizer: setup.keepOptimizer,
        resetSchedule: config.resetSchedule,
      }),
    ),
  ) as [Trainee, Trainee];
  // How far the start travelled from its initialisation (with two starts, the mean of both).
  const measured = plan.second ? copies : [copies[0]];
  const distances = await Promise.all(measured.map(async (c, i) => (await paramDistances(c.params, originOf(plan, i), setup.mask)).l2));
  const initToK = distances.reduce((sum, d) => sum + d, 0) / distances.length;
  const stored = storedCopies(ctx).find((p) => pairId(p.key) === pairId(key));
  if (stored) {
    for (const [i, snapshot] of stored.copies.entries()) {
      const fresh = copies[i];
      if (!fresh) throw new Error(`the checkpoint holds ${stored.copies.length} copies of a pair`);
      ctx.free(fresh);
      copies[i] = ctx.own(restoreTrainee(snapshot, setup.mask));
    }
  }
  return { copies, initToK, trace: [...(stored?.trace ?? [])] };
}

/** Where copy `copy` (0 or 1) of a pair starts. */
function startOf(plan: PairPlan, copy: number): StartPoint {
  return copy === 1 && plan.second ? plan.second.start : plan.start;
}

/** The initialisation of the network copy `copy` (0 or 1) of a pair starts from. */
function originOf(plan: PairPlan, copy: number): ParamMap {
  return copy === 1 && plan.second ? plan.second.origin : plan.setup.origin;
}

/** The copies in training that the checkpoint being resumed holds (older checkpoints hold one pair's). */
function storedCopies(ctx: RunContext): readonly PairCopies<TraineeSnapshot>[] {
  const resume = ctx.options.resume;
  if (resume?.experiment !== 'instability') return [];
  return [...(resume.inPairs ?? []), ...(resume.inPair ? [resume.inPair] : [])];
}

/** Walks the path between a pair's trained copies `a` and `b`, yielding each point; frees them and returns the pair's result. */
async function* evaluatePair(ctx: RunContext, plan: PairPlan, initToK: number, a: Trainee, b: Trainee): AsyncGenerator<ExperimentEvent, PairResult> {
  const { key, start, setup } = plan;
  const kToT = ((await paramDistances(a.params, start.params, setup.mask)).l2 + (await paramDistances(b.params, startOf(plan, 1).params, setup.mask)).l2) / 2;
  const between = await paramDistances(a.params, b.params);
  const { testErrors, trainErrors, endpoints } = yield* walkPairPath(ctx, key, a.params, b.params, true);
  const [e0, e1] = endpoints;
  const plane = measuresPlane(ctx.config, key) ? yield* walkPairPlane(ctx, key, start.params, a.params, b.params) : null;
  const aligned = ctx.config.align ? yield* walkAlignedPath(ctx, key, a.params, b.params) : null;
  for (const c of [a, b]) ctx.free(c);
  return {
    ...key,
    density: setup.density,
    alphas: [...ctx.alphas],
    testErrors,
    testBarrier: errorBarrier(testErrors),
    ...(trainErrors ? { trainErrors, trainBarrier: errorBarrier(trainErrors) } : {}),
    distances: {
      l2: between.l2,
      cosine: between.cosine,
      initToK,
      kToT,
      classifiedDifferently: countDifferent(e0.predictions, e1.predictions),
      lossL2: vectorL2(e0.losses, e1.losses),
    },
    ...(plane ? { plane } : {}),
    ...(aligned ? { aligned } : {}),
  };
}
