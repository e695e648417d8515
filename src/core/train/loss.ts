import * as tf from '@tensorflow/tfjs';
import { fusedCrossEntropy, fusedCrossEntropyAvailable } from '../kernels/cross-entropy-webgpu.ts';

/**
 * Softmax cross-entropy of each example: logits [n, c] against class indices [n] → [n].
 * Creates tensors: call inside `tf.tidy`.
 */
export function perExampleCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  return tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(labels, logits.shape[1])), 1)) as tf.Tensor1D;
}

/** Mean softmax cross-entropy over the batch (the training loss); on webgpu in our kernels. Call inside `tf.tidy`. */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  if (fusedCrossEntropyAvailable()) return fusedCrossEntropy(logits, labels);
  return tf.mean(perExampleCrossEntropy(logits, labels)) as tf.Scalar;
}
