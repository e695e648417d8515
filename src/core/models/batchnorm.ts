import * as tf from '@tensorflow/tfjs';
import type { ForwardMode } from './model.ts';
import type { ParamMap, ParamSpec } from './params.ts';

/** BatchNorm's epsilon (PyTorch's default). */
export const BN_EPSILON = 1e-5;

/**
 * Specs of one BatchNorm layer over `channels`: trainable scale (U[0, 1], open_lth's CIFAR
 * ResNet init) and shift (0), and the running mean (0) and variance (1) buffers.
 */
export function batchNormSpecs(name: string, channels: number): ParamSpec[] {
  return [
    { name: `${name}.weight`, shape: [channels], init: { kind: 'uniform01' }, prunable: false },
    { name: `${name}.bias`, shape: [channels], init: { kind: 'zeros' }, prunable: false },
    { name: `${name}.running_mean`, shape: [channels], init: { kind: 'zeros' }, prunable: false, trainable: false },
    { name: `${name}.running_var`, shape: [channels], init: { kind: 'ones' }, prunable: false, trainable: false },
  ];
}

function get(params: ParamMap, name: string): tf.Tensor {
  const t = params.get(name);
  if (!t) throw new Error(`BatchNorm: missing ${name}`);
  return t;
}

/**
 * BatchNorm of an NHWC tensor written from primitive ops (TensorFlow.js's batchNorm gradient
 * spends its time in Tile). Train mode normalises with the biased batch variance and reports
 * the batch mean and unbiased variance for the running buffers; eval mode uses the buffers.
 */
export function batchNorm(x: tf.Tensor4D, params: ParamMap, name: string, mode: ForwardMode): tf.Tensor4D {
  const gamma = get(params, `${name}.weight`);
  const beta = get(params, `${name}.bias`);
  let mean: tf.Tensor;
  let variance: tf.Tensor;
  if (mode.mode === 'train') {
    mean = tf.mean(x, [0, 1, 2]);
    variance = tf.mean(tf.square(tf.sub(x, mean)), [0, 1, 2]);
    if (mode.batchStats) {
      const n = x.shape[0] * x.shape[1] * x.shape[2];
      mode.batchStats.set(`${name}.running_mean`, tf.keep(tf.clone(mean)));
      mode.batchStats.set(`${name}.running_var`, tf.keep(tf.mul(variance, n / Math.max(1, n - 1))));
    }
  } else {
    mean = get(params, `${name}.running_mean`);
    variance = get(params, `${name}.running_var`);
  }
  const scale = tf.mul(gamma, tf.rsqrt(tf.add(variance, BN_EPSILON)));
  return tf.add(tf.mul(tf.sub(x, mean), scale), beta) as tf.Tensor4D;
}
