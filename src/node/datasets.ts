import type { ExperimentConfig } from '../core/experiments/config.ts';
import type { ExperimentData } from '../core/experiments/runner.ts';
import { loadCifar10 } from './cifar-files.ts';
import { loadMnist } from './mnist-files.ts';

/** Loads the prepared dataset a configuration's model trains on (MNIST or CIFAR-10). */
export function loadExperimentData(config: ExperimentConfig): Promise<ExperimentData> {
  return config.model === 'resnet-20' ? loadCifar10() : loadMnist();
}
