import type { MeanStd } from '../analysis/stats.ts';
import type { ExperimentConfig } from './config.ts';

/** Which network a pair or accuracy belongs to: the dense network or a class of subnetwork. */
export type SubnetKind = 'dense' | 'imp' | 'random-prune' | 'random-reinit';

/**
 * Identifies a pair of copies: the kind of network, its pruning level (0 = dense; level L has
 * density ≈ (1 − fraction)^L), rewind step k, initialisation index and pair index.
 */
export interface PairKey {
  readonly kind: SubnetKind;
  readonly level: number;
  readonly k: number;
  readonly init: number;
  readonly pair: number;
}

/** A string naming a pair uniquely within a run. */
export function pairId(key: PairKey): string {
  return `${key.kind}/${key.level}/${key.k}/${key.init}/${key.pair}`;
}

/** Appendix G's alternative comparisons of the two trained copies (test set for the last two). */
export interface PairDistances {
  /** ‖W¹_T − W²_T‖ over all parameters (pruned weights are 0 in both). */
  readonly l2: number;
  /** 1 − cos(W¹_T, W²_T). */
  readonly cosine: number;
  /** ‖W_k − W_0‖: how far the shared start travelled before the copies split. */
  readonly initToK: number;
  /** Mean over the copies of ‖W^c_T − W_k‖. */
  readonly kToT: number;
  /** Test examples the two copies classify differently. */
  readonly classifiedDifferently: number;
  /** ‖ℓ¹ − ℓ²‖ of the per-example test losses. */
  readonly lossL2: number;
}

/** One pair's error along the linear path and its barrier; errors and barriers in percent. */
export interface PairResult extends PairKey {
  /** Fraction of prunable weights alive (1 for dense). */
  readonly density: number;
  readonly alphas: readonly number[];
  readonly testErrors: readonly number[];
  /** Present when train-set evaluation is on. */
  readonly trainErrors?: readonly number[];
  /** Test-error barrier (instability), percentage points. */
  readonly testBarrier: number;
  readonly trainBarrier?: number;
  readonly distances: PairDistances;
}

/** Instability at one (kind, level, k) over every pair (mean ± sample std, percentage points). */
export interface KSummary {
  readonly kind: SubnetKind;
  readonly level: number;
  readonly density: number;
  readonly k: number;
  readonly test: MeanStd;
  readonly train?: MeanStd;
  /** Mean test instability < 2 points. */
  readonly stable: boolean;
}

/** Work and wall time split between training and evaluation. */
export interface RunTiming {
  readonly trainingExamples: number;
  readonly trainingSeconds: number;
  readonly evaluatedExamples: number;
  readonly evaluationSeconds: number;
}

/** Fields every results file has. */
interface ResultsBase {
  readonly version: typeof RESULTS_VERSION;
  readonly config: ExperimentConfig;
  readonly backend: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** Wall time of the run in seconds. */
  readonly durationSeconds: number;
  /** Where the time went: training and path evaluation. */
  readonly timing: RunTiming;
  readonly pairs: readonly PairResult[];
  readonly summaries: readonly KSummary[];
}

/** Bumped when the results schema changes meaning. */
export const RESULTS_VERSION = 1;

/** A dense instability-analysis run (paper section 3), as written to results JSON. */
export interface InstabilityResults extends ResultsBase {
  readonly format: 'lmc-lab/instability';
}

/** Test (and train) error of one trained network, in percent. */
export interface TrainedAccuracy {
  readonly kind: SubnetKind;
  readonly level: number;
  readonly density: number;
  /** Rewind step the subnetwork was trained from (T for the dense network's own run). */
  readonly k: number;
  readonly init: number;
  readonly testError: number;
  readonly trainError?: number;
}

/** Table 2's columns for one density and rewind step: accuracies in percent, means over inits. */
export interface Table2Row {
  readonly level: number;
  readonly density: number;
  readonly k: number;
  readonly full: number;
  readonly imp: number;
  readonly randomPrune: number | null;
  readonly randomReinit: number | null;
  /** full − imp, percentage points. */
  readonly delta: number;
  readonly matching: boolean;
}

/** Figure 9's summary for one density: median (over inits) first k that is stable / matching. */
export interface Figure9Row {
  readonly level: number;
  readonly density: number;
  readonly kind: SubnetKind;
  readonly stableFromK: number | null;
  readonly matchingFromK: number | null;
}

/** An IMP run with rewinding and its baselines (paper section 4), as written to results JSON. */
export interface ImpResults extends ResultsBase {
  readonly format: 'lmc-lab/imp';
  /** Every trained network's accuracy: the dense runs (level 0) and each subnetwork. */
  readonly accuracies: readonly TrainedAccuracy[];
  readonly table: readonly Table2Row[];
  readonly figure9: readonly Figure9Row[];
  /** Appendix A: the lowest density at which IMP is matching at some k, or null. */
  readonly extremeMatchingDensity: number | null;
}

/** Any results file LMC Lab writes. */
export type ExperimentResults = InstabilityResults | ImpResults;
