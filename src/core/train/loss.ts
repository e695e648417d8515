import * as tf from '@tensorflow/tfjs';
import { fusedCrossEntropy, fusedCrossEntropyAvailable } from '../kernels/cross-entropy-webgpu.ts';

/**
 * Softmax cross-entropy of each example: logits [n, c] against class indices [n] → [n].
 * Creates tensors: call inside `tf.tidy`.
 */
export function perExampleCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  return tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(labels, logits.shape[1])), 1)) as tf.Tensor1D;
}

/**
 * Mean softmax cross-entropy over the batch (the training loss), times `scale` (on webgpu in
 * our kernels, the scale inside them). Call inside `tf.tidy`.
 */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D, scale = 1): tf.Scalar {
  if (fusedCrossEntropyAvailable()) return fusedCrossEntropy(logits, labels, scale);
  const mean = tf.mean(perExampleCrossEntropy(logits, labels)) as tf.Scalar;
  return scale === 1 ? mean : tf.mul(mean, scale);
}
