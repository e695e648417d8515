import * as tf from '@tensorflow/tfjs';
import { batchNorm, batchNormRelu } from '../src/core/models/batchnorm.ts';
import type { BatchStat } from '../src/core/models/model.ts';

/**
 * Σ BatchNorm(x; γ, β)·dy in train mode, as a function of (x, γ, β) for tf.grads: its gradients
 * are BatchNorm's backward pass for the output gradient dy. The batch statistics go to `stats`.
 * With `relu`, of relu(BatchNorm(x; γ, β)) (batchNormRelu).
 */
export function trainBatchNormObjective(
  dy: tf.Tensor,
  stats: Map<string, BatchStat>,
  relu = false,
): (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => tf.Tensor {
  return (x, gamma, beta) =>
    tf.sum(
      tf.mul(
        (relu ? batchNormRelu : batchNorm)(
          x as tf.Tensor4D,
          new Map([
            ['bn.weight', gamma],
            ['bn.bias', beta],
          ]),
          'bn',
          { mode: 'train', batchStats: stats },
        ),
        dy,
      ),
    );
}
