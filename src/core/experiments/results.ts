import type { Figure9Row, KSummary, PairResult, RunTiming, Table2Row, TrainedAccuracy } from '../records.ts';
import type { ExperimentConfig } from './config.ts';

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
