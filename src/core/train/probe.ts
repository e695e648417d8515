import type { ImageDataset } from '../data/dataset.ts';
import { DataOrder } from '../data/order.ts';
import type { Model } from '../models/model.ts';
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

/** `step` run `warmup` times, then timed over `steps` runs: runs per second. */
async function timed(step: () => Promise<void>, steps: number, warmup: number): Promise<number> {
  for (let i = 0; i < warmup; i++) await step();
  const start = performance.now();
  for (let i = 0; i < steps; i++) await step();
  return (steps * 1000) / Math.max(1e-3, performance.now() - start);
}

/**
 * Measures training speed on the current backend (the backend probe and the benchmarks): `warmup` steps (shader compilation, kernel
 * set-up) then `steps` timed steps, each loss read back so queued GPU work is counted.
 * Returns steps per second. Frees everything it allocates.
 */
export async function measureStepsPerSecond(
  model: Model,
  data: ImageDataset,
  optimizer: OptimizerSettings,
  batchSize: number,
  steps = 5,
  warmup = 2,
  learningRate = 1e-3,
): Promise<number> {
  const trainee = freshTrainee(model, optimizer, 0, new DataOrder(0, data.count, batchSize));
  const schedule = { learningRate, milestones: [], gamma: 1, warmupSteps: 0 };
  try {
    return await timed(
      async () => {
        const loss = trainStep(trainee, model, data, schedule);
        await loss.data();
        loss.dispose();
      },
      steps,
      warmup,
    );
  } finally {
    disposeTrainee(trainee);
  }
}

/**
 * Like {@link measureStepsPerSecond} with its defaults, for a pair's two copies trained side by
 * side as one network (src/core/train/side-by-side.ts), the summed loss read back each step:
 * steps of the pair per second; null where the model has no side-by-side form.
 */
export async function measurePairStepsPerSecond(model: Model, data: ImageDataset, optimizer: OptimizerSettings, batchSize: number): Promise<number | null> {
  if (!model.sideBySide) return null;
  const { side, dispose } = freshPairSideBySide(model, optimizer, data, batchSize);
  const options = { model, schedule: { learningRate: 1e-3, milestones: [], gamma: 1, warmupSteps: 0 } };
  try {
    return await timed(
      async () => {
        // The summed loss, read back as training reads a loss (the copies' own are not asked for).
        const { total } = sideBySideStep(side, data, options, false);
        await total.data();
        total.dispose();
      },
      5,
      2,
    );
  } finally {
    dispose();
  }
}

/** One network's training speed here, and a pair's side by side where this backend trains pairs so (see {@link sideBySideWanted}). */
export async function measureTrainingSpeed(model: Model, data: ImageDataset, optimizer: OptimizerSettings, batchSize: number): Promise<TrainingSpeed> {
  const stepsPerSecond = await measureStepsPerSecond(model, data, optimizer, batchSize);
  const pairStepsPerSecond = sideBySideWanted() ? await measurePairStepsPerSecond(model, data, optimizer, batchSize) : null;
  return { stepsPerSecond, pairStepsPerSecond };
}
