import { type ExperimentConfig, analysedKinds, sortedRewindSteps, subnetKinds } from './config.ts';
import { EVAL_COST } from './progress.ts';
import { copyEndStep } from './trainees.ts';
import { traceSteps } from './trace.ts';
import { triangleSize } from '../analysis/plane.ts';

/** The work a run will do: training steps (apart, those that copy workers train several at a time), and network evaluations. */
export interface WorkPlan {
  /** Steps of networks trained alone (trunks, dense runs). */
  readonly steps: number;
  /** Steps of IMP's subnetworks (the kinds of one level and k train at once in copy workers). */
  readonly subnetSteps: number;
  /** Steps of the copies of pairs (several pairs train at once in copy workers). */
  readonly copySteps: number;
  /** Evaluations of a network on the evaluation sets (each point of a path counts one). */
  readonly evaluations: number;
}

/** The work `config` describes (instability analysis or IMP). */
export function workPlan(config: ExperimentConfig): WorkPlan {
  const ks = sortedRewindSteps(config);
  // Paths walked per pair copied at k: the final one, and those measured while the copies train.
  const pathsAt = (k: number) => Math.max(1, traceSteps(k, copyEndStep(config, k), config.tracePoints).length) + (config.align ? 1 : 0);
  if (config.experiment === 'instability') {
    const pairs = config.inits * config.pairsPerInit;
    return {
      steps: config.inits * Math.max(...ks),
      subnetSteps: 0,
      copySteps: ks.reduce((n, k) => n + 2 * pairs * (copyEndStep(config, k) - k), 0),
      evaluations: ks.reduce((n, k) => n + pairs * config.alphas * pathsAt(k), 0) + (config.planeGrid > 0 ? ks.length * triangleSize(config.planeGrid) : 0),
    };
  }
  const T = config.trainingSteps;
  const subnets = subnetKinds(config).length;
  const analysed = analysedKinds(config).length;
  const perLevel = (per: number) => ks.reduce((n, k) => n + per * (T - k), 0);
  return {
    steps: config.inits * T,
    subnetSteps: config.inits * config.pruneRounds * perLevel(subnets),
    copySteps: config.inits * config.pruneRounds * perLevel(2 * config.pairsPerInit * analysed),
    evaluations: config.inits * (1 + config.pruneRounds * ks.reduce((n, k) => n + subnets + config.pairsPerInit * analysed * config.alphas * pathsAt(k), 0)),
  };
}

/** A run's total work in example-passes (a trained example counts 1, an evaluated one {@link EVAL_COST}). */
export function totalWork(config: ExperimentConfig, examplesPerEvaluation: number): number {
  const plan = workPlan(config);
  return (plan.steps + plan.subnetSteps + plan.copySteps) * config.batchSize + plan.evaluations * examplesPerEvaluation * EVAL_COST;
}

/** Examples one evaluation of a network reads, for splits of `sizes` (0 in the configuration: the whole split). */
export function examplesPerEvaluation(config: ExperimentConfig, sizes: { readonly train: number; readonly test: number }): number {
  const take = (n: number, count: number): number => (n > 0 ? Math.min(n, count) : count);
  return take(config.testExamples, sizes.test) + (config.trainEval ? take(config.trainExamples, sizes.train) : 0);
}

/** How much faster N networks train in N copy workers than one after the other, per worker (npm run bench measured 1.65× for 2 on 2 cores). */
export const COPY_WORKER_EFFICIENCY = 0.8;

/**
 * How many times faster than one after the other the networks that train together in a run of
 * `config` go with `workers` copy workers: the copies of as many pairs as the workers hold (no
 * more than a rewind step has), and IMP's subnetwork kinds of one level; each network at
 * {@link COPY_WORKER_EFFICIENCY} of a lone one. 1 without workers.
 */
export function copyWorkerSpeedups(config: ExperimentConfig, workers: number): { readonly copies: number; readonly subnets: number } {
  if (workers < 2) return { copies: 1, subnets: 1 };
  const pairsPerK = config.experiment === 'instability' ? config.inits * config.pairsPerInit : config.pairsPerInit * Math.max(1, analysedKinds(config).length);
  const copies = 2 * Math.min(Math.max(1, Math.floor(workers / 2)), pairsPerK);
  const subnets = config.experiment === 'instability' ? 1 : Math.min(workers, subnetKinds(config).length);
  const speedup = (n: number) => Math.max(1, COPY_WORKER_EFFICIENCY * n);
  return { copies: speedup(copies), subnets: speedup(subnets) };
}

/**
 * Seconds `config` should take at `stepsPerSecond` training steps (measured on this device and
 * backend) with `workers` copy workers (0 without): an estimate, since evaluation is taken as
 * {@link EVAL_COST} of a training pass per example and copy workers as
 * {@link copyWorkerSpeedups} says. With `pairStepsPerSecond` (a pair's two copies side by side,
 * measured where no workers run: webgpu), the copies train at that speed where it beats one
 * after the other (else apart, as the run then trains them); IMP's subnetworks, which may also
 * train two by two there, are counted one after another (they were not probed).
 */
export function estimateSeconds(
  config: ExperimentConfig,
  stepsPerSecond: number,
  workers: number,
  sizes: { readonly train: number; readonly test: number },
  pairStepsPerSecond: number | null = null,
): number {
  const plan = workPlan(config);
  const speedups = copyWorkerSpeedups(config, workers);
  // Without workers, a pair trained side by side goes 2 × pair ÷ single times as fast as one after
  // the other; where that is below 1 the run trains its copies apart (see sideBySidePays).
  const copies = workers < 2 && pairStepsPerSecond !== null ? Math.max(1, (2 * pairStepsPerSecond) / stepsPerSecond) : speedups.copies;
  const training = (plan.steps + plan.subnetSteps / speedups.subnets + plan.copySteps / copies) / stepsPerSecond;
  const evaluation = (plan.evaluations * examplesPerEvaluation(config, sizes) * EVAL_COST) / (stepsPerSecond * config.batchSize);
  return training + evaluation;
}

/** A backend's measured training speed on this device (steps of one network per second). */
export interface BackendProbe {
  readonly backend: string;
  readonly stepsPerSecond: number;
}

/**
 * The probed backend on which a run would end soonest, by `seconds` (the run's estimated time at
 * a probe's speed, e.g. {@link estimateSeconds} with the copy workers that backend gets and, on
 * webgpu, the speed of a pair's copies side by side), with a line for each other saying why it
 * lost. The first of equals wins; null without probes.
 */
export function fastestBackend<P extends BackendProbe>(
  probes: readonly P[],
  seconds: (probe: P) => number,
): { readonly best: P | null; readonly notices: string[] } {
  const timed = probes.map((p) => ({ p, s: seconds(p) }));
  const best = timed.reduce<(typeof timed)[number] | null>((b, t) => (b === null || t.s < b.s ? t : b), null);
  const notices = timed
    .filter((t) => t !== best && best !== null)
    .map(
      (t) =>
        `${t.p.backend} would take longer for this run (about ${Math.round(t.s)} s against ${Math.round(best?.s ?? 0)} s on ${best?.p.backend}, at ${t.p.stepsPerSecond.toFixed(1)} against ${best?.p.stepsPerSecond.toFixed(1)} steps/s of one network, counting the copies each trains at once)`,
    );
  return { best: best?.p ?? null, notices };
}
