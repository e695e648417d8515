import { type ExperimentConfig, analysedKinds, sortedRewindSteps, subnetKinds } from './config.ts';
import { EVAL_COST } from './progress.ts';
import { copyEndStep } from './trainees.ts';

/** The work a run will do: training steps (the copies' apart: two can train at once), and network evaluations. */
export interface WorkPlan {
  /** Steps of networks trained alone (trunks, dense runs, subnetworks). */
  readonly steps: number;
  /** Steps of the copies of pairs. */
  readonly copySteps: number;
  /** Evaluations of a network on the evaluation sets (each point of a path counts one). */
  readonly evaluations: number;
}

/** The work `config` describes (instability analysis or IMP). */
export function workPlan(config: ExperimentConfig): WorkPlan {
  const ks = sortedRewindSteps(config);
  if (config.experiment === 'instability') {
    const pairs = config.inits * config.pairsPerInit;
    return {
      steps: config.inits * Math.max(...ks),
      copySteps: ks.reduce((n, k) => n + 2 * pairs * (copyEndStep(config, k) - k), 0),
      evaluations: ks.length * pairs * config.alphas,
    };
  }
  const T = config.trainingSteps;
  const subnets = subnetKinds(config).length;
  const analysed = analysedKinds(config).length;
  const perLevel = (per: number) => ks.reduce((n, k) => n + per * (T - k), 0);
  return {
    steps: config.inits * (T + config.pruneRounds * perLevel(subnets)),
    copySteps: config.inits * config.pruneRounds * perLevel(2 * config.pairsPerInit * analysed),
    evaluations: config.inits * (1 + config.pruneRounds * ks.length * (subnets + config.pairsPerInit * analysed * config.alphas)),
  };
}

/** A run's total work in example-passes (a trained example counts 1, an evaluated one {@link EVAL_COST}). */
export function totalWork(config: ExperimentConfig, examplesPerEvaluation: number): number {
  const plan = workPlan(config);
  return (plan.steps + plan.copySteps) * config.batchSize + plan.evaluations * examplesPerEvaluation * EVAL_COST;
}

/** Examples one evaluation of a network reads, for splits of `sizes` (0 in the configuration: the whole split). */
export function examplesPerEvaluation(config: ExperimentConfig, sizes: { readonly train: number; readonly test: number }): number {
  const take = (n: number, count: number): number => (n > 0 ? Math.min(n, count) : count);
  return take(config.testExamples, sizes.test) + (config.trainEval ? take(config.trainExamples, sizes.train) : 0);
}

/**
 * Seconds `config` should take at `stepsPerSecond` training steps (measured on this device and
 * backend), with `copiesAtOnce` copies training at the same time: an estimate, since evaluation
 * is taken as {@link EVAL_COST} of a training pass per example.
 */
export function estimateSeconds(
  config: ExperimentConfig,
  stepsPerSecond: number,
  copiesAtOnce: number,
  sizes: { readonly train: number; readonly test: number },
): number {
  const plan = workPlan(config);
  const training = (plan.steps + plan.copySteps / Math.max(1, copiesAtOnce)) / stepsPerSecond;
  const evaluation = (plan.evaluations * examplesPerEvaluation(config, sizes) * EVAL_COST) / (stepsPerSecond * config.batchSize);
  return training + evaluation;
}
