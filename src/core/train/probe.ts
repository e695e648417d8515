import type * as tf from '@tensorflow/tfjs';
import { type ImageDataset, takeFirst } from '../data/dataset.ts';
import { DataOrder } from '../data/order.ts';
import type { Model } from '../models/model.ts';
import { type BatchSource, batchSourceFor, hostBatches } from './batches.ts';
import type { OptimizerSettings } from './optimizer.ts';
import { freshPairSideBySide, sideBySideStep, sideBySideWanted } from './side-by-side.ts';
import { disposeTrainee, freshTrainee, trainStep } from './trainer.ts';

/** A backend's training speed on this device, as `auto` and the duration estimate use it. */
export interface TrainingSpeed {
  /** Steps per second of one network. */
  readonly stepsPerSecond: number;
  /** Steps per second of a pair's two copies side by side as one network, where this backend trains them so (webgpu); null elsewhere. */
  readonly pairStepsPerSecond: number | null;
}

/**
 * How a timed run reads its losses back: after every step (`every-step`, which on a GPU waits for
 * each step before the host records the next), or only the last step's (`last`, as training
 * does: it reads one loss about every 100 ms, so the host records steps while the GPU runs).
 */
export type LossReads = 'every-step' | 'last';

/**
 * `step` run `warmup` times (each loss read back: shader compilation, kernel set-up), then
 * timed over `steps` runs whose losses are read back as `reads` says, the last one always, so
 * all queued work is counted: runs per second. Frees every loss.
 */
async function timed(step: () => tf.Tensor, steps: number, warmup: number, reads: LossReads): Promise<number> {
  const run = async (read: boolean) => {
    const loss = step();
    if (read) await loss.data();
    loss.dispose();
  };
  for (let i = 0; i < warmup; i++) await run(true);
  const start = performance.now();
  for (let i = 0; i < steps; i++) await run(reads === 'every-step' || i === steps - 1);
  return (steps * 1000) / Math.max(1e-3, performance.now() - start);
}

/**
 * Measures training speed on the current backend (the backend probe and the benchmarks): `warmup` steps (shader compilation, kernel
 * set-up) then `steps` timed steps, their losses read back as `reads` says (default: each).
 * Batches come from `batches` (default: built on the host). Returns steps per second. Frees
 * everything it allocates.
 */
export async function measureStepsPerSecond(
  model: Model,
  data: ImageDataset,
  optimizer: OptimizerSettings,
  batchSize: number,
  steps = 5,
  warmup = 2,
  learningRate = 1e-3,
  reads: LossReads = 'every-step',
  batches: BatchSource = hostBatches(data),
): Promise<number> {
  const trainee = freshTrainee(model, optimizer, 0, new DataOrder(0, data.count, batchSize));
  const schedule = { learningRate, milestones: [], gamma: 1, warmupSteps: 0 };
  try {
    return await timed(() => trainStep(trainee, model, data, schedule, batches), steps, warmup, reads);
  } finally {
    disposeTrainee(trainee);
  }
}

/**
 * Like {@link measureStepsPerSecond}, for a pair's two copies trained side by side as one network
 * (src/core/train/side-by-side.ts), the summed loss read back as `reads` says: steps of the pair
 * per second; null where the model has no side-by-side form.
 */
export async function measurePairStepsPerSecond(
  model: Model,
  data: ImageDataset,
  optimizer: OptimizerSettings,
  batchSize: number,
  reads: LossReads = 'every-step',
  batches: BatchSource = hostBatches(data),
): Promise<number | null> {
  if (!model.sideBySide) return null;
  const { side, dispose } = freshPairSideBySide(model, optimizer, data, batchSize);
  const options = { model, schedule: { learningRate: 1e-3, milestones: [], gamma: 1, warmupSteps: 0 }, batches };
  try {
    // The summed loss, read back as training reads a loss (the copies' own are not asked for).
    return await timed(() => sideBySideStep(side, data, options, false).total, PROBE_STEPS, PROBE_WARMUP, reads);
  } finally {
    dispose();
  }
}

/** Timed steps of the probe ({@link measureTrainingSpeed}), after {@link PROBE_WARMUP} untimed ones. */
const PROBE_STEPS = 5;
const PROBE_WARMUP = 2;

/**
 * One network's training speed here, and a pair's side by side where this backend trains pairs
 * so (see {@link sideBySideWanted}): `auto`'s probe and the duration estimate. Measured as a run
 * trains: batches gathered as a run gathers them here (on the GPU from images uploaded once,
 * where it can; only the first few batches' images, to keep the probe short), and only the last
 * loss read back. Frees everything it allocates.
 */
export async function measureTrainingSpeed(model: Model, data: ImageDataset, optimizer: OptimizerSettings, batchSize: number): Promise<TrainingSpeed> {
  const probeData = takeFirst(data, (PROBE_STEPS + PROBE_WARMUP) * batchSize);
  const batches = batchSourceFor(probeData);
  try {
    const stepsPerSecond = await measureStepsPerSecond(model, probeData, optimizer, batchSize, PROBE_STEPS, PROBE_WARMUP, 1e-3, 'last', batches);
    const pairStepsPerSecond = sideBySideWanted() ? await measurePairStepsPerSecond(model, probeData, optimizer, batchSize, 'last', batches) : null;
    return { stepsPerSecond, pairStepsPerSecond };
  } finally {
    batches.dispose();
  }
}
