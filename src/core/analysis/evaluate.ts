import * as tf from '@tensorflow/tfjs';
import { type Batch, type ImageDataset, makeBatch, rangeIndices } from '../data/dataset.ts';
import type { Model } from '../models/model.ts';
import type { ParamMap } from '../models/params.ts';

/** A split prepared once as device batches for repeated evaluation. Owns its tensors. */
export interface EvalSet {
  readonly name: string;
  readonly count: number;
  readonly batches: readonly Batch[];
}

/** Uploads `data` as batches of `batchSize` (the caller owns the result: {@link disposeEvalSet}). */
export function prepareEvalSet(data: ImageDataset, batchSize = 1000): EvalSet {
  const batches: Batch[] = [];
  for (let start = 0; start < data.count; start += batchSize) batches.push(makeBatch(data, rangeIndices(start, batchSize, data.count)));
  return { name: data.name, count: data.count, batches };
}

/** Frees an evaluation set's tensors. */
export function disposeEvalSet(set: EvalSet): void {
  for (const b of set.batches) {
    b.x.dispose();
    b.y.dispose();
  }
}

/** Classification error of the network `params` on `set`, in percent (0–100). */
export async function evaluateError(model: Model, params: ParamMap, set: EvalSet): Promise<number> {
  const correct = tf.tidy(() => {
    let total: tf.Scalar = tf.scalar(0, 'int32');
    for (const b of set.batches) {
      const predicted = tf.argMax(model.forward(params, b.x), 1);
      total = tf.add(total, tf.sum(tf.cast(tf.equal(predicted, b.y), 'int32')));
    }
    return total;
  });
  const n = (await correct.data())[0] ?? 0;
  correct.dispose();
  return (100 * (set.count - n)) / set.count;
}
