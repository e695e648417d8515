import * as tf from '@tensorflow/tfjs';
import { fused, runUpdate } from './fused-update.ts';
import { runsFused } from './webgpu-program.ts';

/** WGSL of ReLU's gradient for the output gradient `d` and the ReLU's output `y` (expressions): see {@link RELU_GRADIENT}. */
export function reluGradientWgsl(d: string, y: string): string {
  return `select(select(${d} * 0.0, ${d}, ${y} > 0.0), ${y}, isnan(${y}))`;
}

/**
 * ReLU's gradient from its output: dy where y > 0, else dy·0 (TensorFlow.js: a Step and a
 * Multiply); NaN where y is NaN, as Step gives, so a diverged run still reads as one.
 */
const RELU_GRADIENT = fused('LmcReluGradient', ['D', 'Y'], [], reluGradientWgsl('d', 'y'));
/** relu(a + b), a residual block's output (TensorFlow.js: an Add and a Relu); NaN stays NaN, as in TensorFlow.js's Relu. */
const ADD_RELU = fused('LmcAddRelu', ['A', 'B'], [], 'select(a + b, 0.0, a + b < 0.0)');

/** Whether the current backend runs ReLU and its gradient in these kernels (webgpu, unless ours are off). */
export function fusedReluAvailable(): boolean {
  return runsFused(RELU_GRADIENT.kernel);
}

/** ReLU's gradient for an output gradient `dy` and the ReLU's output `y`, in one kernel of ours. Call inside `tf.tidy`. */
export function fusedReluGradient(dy: tf.Tensor, y: tf.Tensor): tf.Tensor {
  return runUpdate(RELU_GRADIENT, { D: dy, Y: y }, {});
}

const reluOp = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
  const y = tf.relu(x);
  save([y]);
  return { value: y, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => fusedReluGradient(dy, saved[0] as tf.Tensor) };
});

const addReluOp = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, b, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  const y = runUpdate(ADD_RELU, { A: a, B: b }, {});
  save([y]);
  return {
    value: y,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const g = fusedReluGradient(dy, saved[0] as tf.Tensor);
      // One tensor object per input (sharing the data): the engine frees each as it adds it up.
      return [g, tf.clone(g)];
    },
  };
});

/** ReLU with its gradient in one kernel of ours (one dispatch instead of two). Call inside `tf.tidy`. */
export function fusedRelu<T extends tf.Tensor>(x: T): T {
  return reluOp(x) as T;
}

/** relu(a + b) for same-shaped `a` and `b` in one kernel of ours, its gradient in one more. Call inside `tf.tidy`. */
export function fusedAddRelu<T extends tf.Tensor>(a: T, b: T): T {
  return addReluOp(a, b) as T;
}
