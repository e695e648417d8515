import type * as tf from '@tensorflow/tfjs';
import type { ParamMap, ParamSpec } from './params.ts';

/** Names of the models LMC Lab can build. */
export type ModelName = 'lenet-300-100';

/**
 * A network as data: its parameter specs plus a pure forward pass. `forward` returns logits
 * [n, numClasses] for inputs [n, inputSize]; it creates tensors, so call it inside `tf.tidy`.
 */
export interface Model {
  readonly name: ModelName;
  readonly specs: readonly ParamSpec[];
  readonly inputSize: number;
  readonly numClasses: number;
  forward(params: ParamMap, x: tf.Tensor2D): tf.Tensor2D;
}
