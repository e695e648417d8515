import type { ExperimentConfig } from '../core/experiments/config.ts';
import type { ProgressEvent } from '../core/experiments/events.ts';
import { copyEndStep } from '../core/experiments/trainees.ts';
import { KIND_LABEL, formatDensity } from './kinds.ts';

/** What the UI knows beside a progress event: points already evaluated on the current pair's path, and known densities by level. */
export interface ProgressContext {
  readonly pointsDone: number;
  /** Density (0–1) of each pruning level reached so far. */
  readonly densityOf: (level: number) => number | null;
}

const of = (n: number, count: number, noun: string): string => (count > 1 ? `${noun} ${n + 1} of ${count}` : '');

/**
 * A progress event in the words of the paper: which network trains towards which step, or which
 * path is evaluated, e.g. "Training copy 2 of pair 1 from k = 100 (step 552 of 600)" or, for IMP,
 * the round, the density and which subnetwork.
 */
export function describeProgress(p: ProgressEvent, config: ExperimentConfig, context: ProgressContext): string {
  const step = (to: number): string => (p.step === undefined ? '' : ` (step ${p.step} of ${to})`);
  const init = of(p.init, config.inits, 'init');
  const initPart = init ? `, ${init}` : '';
  const level = p.level ?? 0;
  const density = context.densityOf(level);
  const subnet =
    p.kind && p.kind !== 'dense'
      ? `the ${KIND_LABEL[p.kind]} subnetwork of round ${level}${density === null ? '' : ` (${formatDensity(density)} of the weights left)`}`
      : null;
  switch (p.phase) {
    case 'trunk':
      return config.experiment === 'imp'
        ? `Training the full network${initPart} to T = ${config.trainingSteps}, keeping its weights at every rewind step${step(config.trainingSteps)}`
        : `Training the network${initPart} to the rewind step k = ${p.k}${step(p.k)}`;
    case 'copy':
      return `Training copy ${(p.copy ?? 0) + 1} of pair ${(p.pair ?? 0) + 1}${subnet ? ` of ${subnet}` : ''}${initPart} from k = ${p.k}${step(copyEndStep(config, p.k))}`;
    case 'subnet':
      return `Training ${subnet ?? 'the subnetwork'}${initPart}, rewound to k = ${p.k}${step(config.trainingSteps)}`;
    case 'interpolate':
      return `Evaluating the path between the copies of pair ${(p.pair ?? 0) + 1}${subnet ? ` of ${subnet}` : ''}${initPart} from k = ${p.k} (α ${Math.min(context.pointsDone, config.alphas)} of ${config.alphas})`;
  }
}
