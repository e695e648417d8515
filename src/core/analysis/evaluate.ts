import * as tf from '@tensorflow/tfjs';
import { type Batch, type ImageDataset, makeBatch, rangeIndices } from '../data/dataset.ts';
import type { Model } from '../models/model.ts';
import type { ParamMap } from '../models/params.ts';
import { perExampleCrossEntropy } from '../train/loss.ts';

/** A split prepared once as device batches for repeated evaluation. Owns its tensors. */
export interface EvalSet {
  readonly name: string;
  readonly count: number;
  readonly batches: readonly Batch[];
}

/**
 * Uploads `data` as batches of `batchSize` (the caller owns the result: {@link disposeEvalSet}).
 * Pick the batch size with the model's `evalBatchSize`: a forward pass holds all of one batch's
 * activations, and the wasm backend's heap must hold them.
 */
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
  // One tidy per batch, so that a batch's activations are freed before the next one runs.
  let correct: tf.Tensor = tf.scalar(0, 'int32');
  for (const b of set.batches) {
    const total = correct;
    correct = tf.tidy(() => tf.add(total, tf.sum(tf.cast(tf.equal(tf.argMax(model.forward(params, b.x), 1), b.y), 'int32'))));
    total.dispose();
  }
  const n = (await correct.data())[0] ?? 0;
  correct.dispose();
  return (100 * (set.count - n)) / set.count;
}

/** A network's behaviour on a split, example by example. */
export interface DetailedEvaluation {
  /** Error in percent (0–100). */
  readonly error: number;
  /** Predicted class per example. */
  readonly predictions: Int32Array;
  /** Cross-entropy loss per example. */
  readonly losses: Float32Array;
}

/** Error plus per-example predictions and losses (for the Appendix G distances). */
export async function evaluateDetailed(model: Model, params: ParamMap, set: EvalSet): Promise<DetailedEvaluation> {
  const predictions = new Int32Array(set.count);
  const losses = new Float32Array(set.count);
  let offset = 0;
  let wrong = 0;
  for (const b of set.batches) {
    const [pred, loss] = tf.tidy(() => {
      const logits = model.forward(params, b.x);
      return [tf.argMax(logits, 1), perExampleCrossEntropy(logits, b.y)];
    });
    const [p, l, y] = await Promise.all([pred.data(), loss.data(), b.y.data()]);
    tf.dispose([pred, loss]);
    predictions.set(p, offset);
    losses.set(l, offset);
    for (let i = 0; i < p.length; i++) if (p[i] !== y[i]) wrong++;
    offset += p.length;
  }
  return { error: (100 * wrong) / set.count, predictions, losses };
}
