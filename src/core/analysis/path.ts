import type { ImageDataset } from '../data/dataset.ts';
import type { Model } from '../models/model.ts';
import { type ParamMap, disposeParams } from '../models/params.ts';
import { recomputeBatchNormStats } from './bn-recompute.ts';
import { type DetailedEvaluation, type EvalSet, evaluateDetailed, evaluateError } from './evaluate.ts';
import { interpolateParams } from './interpolate.ts';

/** How BatchNorm running statistics are set at each point of the path. */
export interface PathBatchNorm {
  /** `interpolate` them with the weights (the paper), or `recompute` them from training batches. */
  readonly mode: 'interpolate' | 'recompute';
  /** Training batches (of `batchSize`, from `data`) a recompute reads. */
  readonly batches: number;
  readonly batchSize: number;
  readonly data: ImageDataset;
}

/** The network's error at one point (1 − α)·a + α·b of the path, in percent. */
export interface PathPoint {
  readonly alphaIndex: number;
  readonly alpha: number;
  readonly testError: number;
  readonly trainError?: number;
}

/** What the walk needs: the model, the sets evaluated, BatchNorm's mode, and a wrapper that accounts each point's work. */
export interface PathSetup {
  readonly model: Model;
  readonly testSet: EvalSet;
  readonly trainSet: EvalSet | null;
  readonly batchNorm: PathBatchNorm;
  /** Runs one point's evaluation of `examples` examples (the caller counts the time and work). */
  readonly timed: <T>(examples: number, body: () => Promise<T>) => Promise<T>;
}

/**
 * Walks the linear path between networks `a` and `b` at `alphas` (paper section 2): at each
 * point the interpolated network (with BatchNorm statistics as `batchNorm` says) is evaluated on
 * the test set (and the train set when given) and yielded. Returns the detailed evaluations of
 * the two endpoints (per-example predictions and losses, for Appendix G's distances). Every
 * interpolated network is freed.
 */
export async function* walkPath(
  setup: PathSetup,
  a: ParamMap,
  b: ParamMap,
  alphas: readonly number[],
): AsyncGenerator<PathPoint, [DetailedEvaluation, DetailedEvaluation]> {
  const { model, testSet, trainSet, batchNorm } = setup;
  const endpoints: DetailedEvaluation[] = [];
  const last = alphas.length - 1;
  const examples = testSet.count + (trainSet?.count ?? 0);
  for (const [alphaIndex, alpha] of alphas.entries()) {
    const point = interpolateParams(a, b, alpha);
    let errors: { testError: number; trainError?: number };
    try {
      errors = await setup.timed(examples, async () => {
        if (batchNorm.mode === 'recompute') recomputeBatchNormStats(model, point, batchNorm.data, batchNorm.batches, batchNorm.batchSize);
        let testError: number;
        if (alphaIndex === 0 || alphaIndex === last) {
          const detailed = await evaluateDetailed(model, point, testSet);
          endpoints.push(detailed);
          testError = detailed.error;
        } else testError = await evaluateError(model, point, testSet);
        return trainSet ? { testError, trainError: await evaluateError(model, point, trainSet) } : { testError };
      });
    } finally {
      disposeParams(point);
    }
    yield { alphaIndex, alpha, ...errors };
  }
  return endpoints as [DetailedEvaluation, DetailedEvaluation];
}
