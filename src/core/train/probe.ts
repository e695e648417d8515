import type { ImageDataset } from '../data/dataset.ts';
import { DataOrder } from '../data/order.ts';
import type { Model } from '../models/model.ts';
import type { OptimizerSettings } from './optimizer.ts';
import { disposeTrainee, freshTrainee, trainStep } from './trainer.ts';

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
    const run = async (n: number): Promise<void> => {
      for (let i = 0; i < n; i++) {
        const loss = trainStep(trainee, model, data, schedule);
        await loss.data();
        loss.dispose();
      }
    };
    await run(warmup);
    const start = performance.now();
    await run(steps);
    return (steps * 1000) / Math.max(1e-3, performance.now() - start);
  } finally {
    disposeTrainee(trainee);
  }
}
