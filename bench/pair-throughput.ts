/**
 * Instability-analysis throughput for `npm run bench`: copies (two per pair) trained one after
 * the other in this process, or at once in copy workers (worker threads), counted as examples/s
 * summed over the copies.
 */
import { DataOrder } from '../src/core/data/order.ts';
import type { CopyTrainer } from '../src/core/train/copy-trainer.ts';
import { snapshotTrainee } from '../src/core/train/snapshot.ts';
import { disposeTrainee, freshTrainee, trainTo } from '../src/core/train/trainer.ts';
import type { Workload } from './node-throughput.ts';

/** Runs an async generator to its end, discarding what it yields. */
async function drain(generator: AsyncGenerator<unknown, unknown>): Promise<void> {
  while (!(await generator.next()).done);
}

/**
 * Examples/s summed over a pair's two copies, each trained `steps` steps after `warmup` steps:
 * through `trainer` when given (snapshots sent and returned included), else one after the other here.
 */
export async function pairExamplesPerSecond(w: Workload, steps: number, warmup: number, trainer: CopyTrainer | null): Promise<number> {
  return copiesExamplesPerSecond(w, 2, steps, warmup, trainer);
}

/** As {@link pairExamplesPerSecond} for `count` copies (each with its own data order). */
export async function copiesExamplesPerSecond(w: Workload, count: number, steps: number, warmup: number, trainer: CopyTrainer | null): Promise<number> {
  const pair = Array.from({ length: count }, (_, i) => freshTrainee(w.model, w.optimizer, 0, new DataOrder(i + 1, w.data.count, w.batchSize)));
  const schedule = { learningRate: w.learningRate, milestones: [], gamma: 1, warmupSteps: 0 };
  const options = { model: w.model, data: w.data, schedule, reportEveryMs: 1000 };
  try {
    for (const c of pair) await drain(trainTo(c, warmup, options));
    const start = performance.now();
    if (trainer) {
      const jobs = await Promise.all(pair.map(async (c) => ({ snapshot: await snapshotTrainee(c), mask: null, to: warmup + steps })));
      await drain(trainer.train(jobs, schedule, { reportEveryMs: 1000 }));
    } else {
      for (const c of pair) await drain(trainTo(c, warmup + steps, options));
    }
    return (count * steps * w.batchSize * 1000) / (performance.now() - start);
  } finally {
    for (const c of pair) disposeTrainee(c);
  }
}
