import type * as tf from '@tensorflow/tfjs';
import type { ParamMap, ParamSpec } from './params.ts';

/** Names of the models LMC Lab can build. */
export type ModelName = 'lenet-300-100' | 'resnet-20';

/**
 * How a forward pass runs. In `train` mode BatchNorm normalises with batch statistics and, when
 * `batchStats` is given, stores there (kept with `tf.keep`, owned by the caller) each running
 * buffer's batch estimate: the batch mean, and the unbiased batch variance, keyed by buffer name.
 */
export type ForwardMode = { readonly mode: 'eval' } | { readonly mode: 'train'; readonly batchStats?: Map<string, tf.Tensor> };

/**
 * A network as data: its parameter specs (trainable tensors and buffers) plus a pure forward
 * pass returning logits [n, numClasses] for inputs [n, inputSize] (rows in HWC order). It
 * creates tensors, so call it inside `tf.tidy`.
 */
export interface Model {
  readonly name: ModelName;
  readonly specs: readonly ParamSpec[];
  readonly inputSize: number;
  readonly numClasses: number;
  /** Name of the output layer's weight (pruning's output-layer rule governs it). */
  readonly outputLayer: string;
  /** Examples per evaluation batch: large for speed, small enough that one forward pass's activations fit in memory. */
  readonly evalBatchSize: number;
  /** Momentum of BatchNorm running statistics (PyTorch: 0.1); 0 for models without BatchNorm. */
  readonly bnMomentum: number;
  forward(params: ParamMap, x: tf.Tensor2D, mode?: ForwardMode): tf.Tensor2D;
}
