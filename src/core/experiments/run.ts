import type { ExperimentConfig } from './config.ts';
import type { ExperimentEvent } from './events.ts';
import { runImp } from './imp.ts';
import { runInstabilityAnalysis } from './instability.ts';
import type { ExperimentResults } from './results.ts';
import type { ExperimentData, RunOptions } from './run-context.ts';

/** Runs the experiment `config.experiment` names: dense instability analysis or IMP. */
export function runExperiment(config: ExperimentConfig, data: ExperimentData, options: RunOptions): AsyncGenerator<ExperimentEvent, ExperimentResults> {
  return config.experiment === 'imp' ? runImp(config, data, options) : runInstabilityAnalysis(config, data, options);
}
