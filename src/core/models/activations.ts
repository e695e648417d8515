import * as tf from '@tensorflow/tfjs';
import { fusedAddRelu, fusedRelu, fusedReluAvailable, fusedReluGradient } from '../kernels/relu-webgpu.ts';

/** ReLU; on webgpu its gradient is one kernel of ours instead of TensorFlow.js's Step and Multiply. Call inside `tf.tidy`. */
export function relu<T extends tf.Tensor>(x: T): T {
  return fusedReluAvailable() ? fusedRelu(x) : tf.relu(x);
}

/** relu(a + b), a residual block's output; on webgpu one kernel of ours forward and one backward. Call inside `tf.tidy`. */
export function addRelu<T extends tf.Tensor>(a: T, b: T): T {
  return fusedReluAvailable() ? fusedAddRelu(a, b) : (tf.relu(tf.add(a, b)) as T);
}

/** ReLU's gradient from the output gradient `dy` and the ReLU's output `y`: dy where y > 0, else 0. Call inside `tf.tidy`. */
export function reluGradient(dy: tf.Tensor, y: tf.Tensor): tf.Tensor {
  return fusedReluAvailable() ? fusedReluGradient(dy, y) : tf.mul(dy, tf.step(y));
}
