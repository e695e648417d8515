import * as tf from '@tensorflow/tfjs';
import { type ImageDataset, makeBatch, rangeIndices } from '../data/dataset.ts';
import { batchEstimate } from '../models/batchnorm.ts';
import type { BatchStat, Model } from '../models/model.ts';

/**
 * Re-estimates every BatchNorm running statistic of the network `params` from the first
 * `batches` training batches of `batchSize` (fixed order, no augmentation): each buffer becomes
 * the average of its batch estimates (PyTorch's cumulative average, momentum=None), as
 * mode-connectivity and REPAIR do after interpolating weights. Replaces (and disposes) the
 * buffer tensors in `params`; a model without BatchNorm is left unchanged.
 */
export function recomputeBatchNormStats(model: Model, params: Map<string, tf.Tensor>, data: ImageDataset, batches: number, batchSize: number): void {
  if (model.bnMomentum === 0) return;
  const sums = new Map<string, tf.Tensor>();
  let seen = 0;
  for (let b = 0; b < batches; b++) {
    const indices = rangeIndices(b * batchSize, batchSize, data.count);
    if (indices.length === 0) break;
    const batch = makeBatch(data, indices);
    const stats = new Map<string, BatchStat>();
    tf.tidy(() => {
      model.forward(params, batch.x, { mode: 'train', batchStats: stats });
    });
    for (const [name, stat] of stats) {
      const previous = sums.get(name);
      sums.set(
        name,
        tf.tidy(() => (previous ? tf.add(previous, batchEstimate(stat)) : tf.clone(batchEstimate(stat)))),
      );
      previous?.dispose();
      stat.value.dispose();
    }
    tf.dispose([batch.x, batch.y]);
    seen += 1;
  }
  for (const [name, sum] of sums) {
    params.get(name)?.dispose();
    params.set(
      name,
      tf.tidy(() => tf.div(sum, seen)),
    );
    sum.dispose();
  }
}
