import type { PairKey } from '../records.ts';
import { CopyDivergedError, type CopyJob } from '../train/copy-trainer.ts';
import { type TraineeSnapshot, hostTensors, restoreTrainee, snapshotTrainee } from '../train/snapshot.ts';
import type { Trainee } from '../train/trainer.ts';
import type { ProgressEvent } from './events.ts';
import type { RunContext, Where } from './run-context.ts';

/** How to checkpoint inside a pair's training: the pair, and what saves a checkpoint holding the copies. */
export interface InPairCheckpoints {
  readonly key: PairKey;
  readonly save: (key: PairKey, copies: readonly TraineeSnapshot[]) => Promise<void>;
  /** Seconds of training between checkpoints. */
  readonly everySeconds: number;
}

/**
 * Trains the copies of a pair to step `to`: at the same time through the run's copy trainer
 * when it has one, else one after the other. With `inPair`, it trains in chunks of about
 * `everySeconds`, each followed by a checkpoint holding the copies. Returns the trained copies
 * (owned by the context; with a copy trainer they replace the ones given, which are freed).
 */
export async function* trainCopies(
  ctx: RunContext,
  copies: readonly Trainee[],
  to: number,
  where: Where,
  inPair: InPairCheckpoints | null,
): AsyncGenerator<ProgressEvent, Trainee[]> {
  if (!inPair) return yield* trainCopiesTo(ctx, copies, to, where);
  // Chunks of about `everySeconds` (guessing 10 steps/s at first), each followed by a checkpoint.
  let chunk = Math.max(1, Math.round(inPair.everySeconds * 10));
  let current = [...copies];
  for (;;) {
    const from = Math.min(...current.map((c) => c.step));
    const target = Math.min(to, from + chunk);
    const started = performance.now();
    current = yield* trainCopiesTo(ctx, current, target, where);
    if (target >= to) return current;
    const seconds = Math.max(1e-3, (performance.now() - started) / 1000);
    chunk = Math.max(1, Math.round(((target - from) * inPair.everySeconds) / seconds));
    await inPair.save(inPair.key, await Promise.all(current.map((c) => snapshotTrainee(c))));
  }
}

/** Trains the copies to step `to` in one stretch (see {@link trainCopies}). */
async function* trainCopiesTo(ctx: RunContext, copies: readonly Trainee[], to: number, where: Where): AsyncGenerator<ProgressEvent, Trainee[]> {
  const trainer = ctx.options.copyTrainer;
  if (!trainer || copies.length < 2) {
    for (const [copy, c] of copies.entries()) yield* ctx.train(c, to, 'copy', { ...where, copy });
    return [...copies];
  }
  const jobs: CopyJob[] = [];
  for (const c of copies) jobs.push({ snapshot: await snapshotTrainee(c), mask: c.mask ? await hostTensors(c.mask) : null, to });
  const last = copies.map((c) => c.step);
  let since = performance.now();
  const generator = trainer.train(jobs, ctx.schedule, { signal: ctx.options.signal, reportEveryMs: ctx.options.reportEveryMs ?? 100 });
  let trained: TraineeSnapshot[];
  try {
    for (;;) {
      const next = await generator.next();
      if (next.done) {
        since = ctx.countTraining(0, since);
        trained = next.value;
        break;
      }
      const p = next.value;
      since = ctx.countTraining((p.step - (last[p.job] ?? p.step)) * ctx.config.batchSize, since);
      last[p.job] = p.step;
      yield ctx.progress('copy', { ...where, copy: p.job }, { step: p.step, ...(p.loss === null ? {} : { loss: p.loss }) });
    }
  } catch (error) {
    throw ctx.named(error, 'copy', error instanceof CopyDivergedError ? { ...where, copy: error.job } : where);
  } finally {
    await generator.return(undefined as never);
  }
  return copies.map((c, i) => {
    const snapshot = trained[i];
    if (!snapshot) throw new Error(`the copy trainer returned ${trained.length} networks for ${copies.length} copies`);
    ctx.free(c);
    return ctx.own(restoreTrainee(snapshot, c.mask));
  });
}
