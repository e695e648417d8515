import * as tf from '@tensorflow/tfjs';
import { batchNormGradients, channelStats, fusedBatchNormAvailable, normalize } from '../kernels/batchnorm-webgpu.ts';
import { addRelu, relu, reluGradient } from './activations.ts';
import type { BatchStat, ForwardMode, UnitAxis } from './model.ts';
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

/** A batch statistic's value as BatchNorm gives it: a [C] tensor, or one part of several end to end (see `BatchStat`). */
type StatValue = Pick<BatchStat, 'value' | 'part'>;

/** Where a batch statistic's values start in its flat `value`, and how many there are. */
export function batchStatSpan(stat: Pick<BatchStat, 'value' | 'part'>): { readonly offset: number; readonly size: number } {
  const size = stat.part ? stat.value.size / stat.part.of : stat.value.size;
  return { offset: stat.part ? stat.part.index * size : 0, size };
}

/** A batch statistic's estimate, value (its part, where it has one) × scale, as a tensor (the value itself when whole with a scale of 1). Call inside `tf.tidy`. */
export function batchEstimate(stat: BatchStat): tf.Tensor {
  const { offset, size } = batchStatSpan(stat);
  const value = stat.part ? tf.slice(tf.reshape(stat.value, [-1]), offset, size) : stat.value;
  return stat.scale === 1 ? value : tf.mul(value, stat.scale);
}

/** The channel axis of each tensor of BatchNorm layer `name`: its parameters and running statistics move with their channels. */
export function batchNormUnitAxes(name: string): UnitAxis[] {
  return ['weight', 'bias', 'running_mean', 'running_var'].map((p) => ({ param: `${name}.${p}`, axis: 0 }));
}

function get(params: ParamMap, name: string): tf.Tensor {
  const t = params.get(name);
  if (!t) throw new Error(`BatchNorm: missing ${name}`);
  return t;
}

/**
 * Per-channel sums of an NHWC tensor, [C]: a depthwise convolution with an all-ones filter the
 * size of the image, then a sum over the batch. TensorFlow.js reduces leading axes by
 * transposing first; with this, a ResNet-20 training step on the WASM backend ran at 80
 * examples/s against 77–78 with tf.sum over axes [0, 1, 2] and 72 as a product with a row of
 * ones (whose large operand XNNPACK repacks every call), measured back to back here. The ones
 * are filled on the backend (tf.fill) rather than made on the CPU and uploaded each call.
 */
export function channelSum(x: tf.Tensor4D): tf.Tensor1D {
  const [n, h, w, c] = x.shape;
  return tf.tidy(() => tf.sum(tf.reshape(tf.depthwiseConv2d(x, tf.fill([h, w, c, 1], 1) as tf.Tensor4D, 1, 'valid'), [n, c]), 0));
}

/**
 * Train-mode BatchNorm as one differentiable op with the standard closed-form gradient
 * (x̂ = (x − μ)/σ, dβ = Σ dy, dγ = Σ dy·x̂, dx = γ/(σ·n)·(n·dy − dβ − x̂·dγ)): fewer, larger
 * ops than the gradient TensorFlow.js derives, and every reduction is a {@link channelSum} (on
 * webgpu, {@link fusedTrainBatchNorm} runs kernels of ours in its place). `onStats` receives the batch mean
 * and biased variance (copies, kept: the callee keeps or disposes them).
 */
function trainBatchNorm(x: tf.Tensor4D, gamma: tf.Tensor, beta: tf.Tensor, onStats: (mean: StatValue, variance: StatValue) => void): tf.Tensor4D {
  const [n, h, w] = x.shape;
  const count = n * h * w;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xs, g, b, save] = args as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
    const mean = tf.div(channelSum(xs), count) as tf.Tensor1D;
    const centred = tf.sub(xs, mean);
    const variance = tf.div(channelSum(tf.square(centred) as tf.Tensor4D), count) as tf.Tensor1D;
    onStats({ value: tf.keep(tf.clone(mean)) }, { value: tf.keep(tf.clone(variance)) });
    const invStd = tf.rsqrt(tf.add(variance, BN_EPSILON));
    const xhat = tf.mul(centred, invStd) as tf.Tensor4D;
    save([xhat, g, invStd]);
    return {
      value: tf.add(tf.mul(xhat, g), b) as tf.Tensor4D,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xh, gs, inv] = saved as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D];
        const dy4 = dy as tf.Tensor4D;
        const dBeta = channelSum(dy4);
        const dGamma = channelSum(tf.mul(dy4, xh) as tf.Tensor4D);
        const dx = tf.mul(tf.sub(tf.sub(tf.mul(dy4, count), dBeta), tf.mul(xh, dGamma)), tf.div(tf.mul(gs, inv), count));
        return [dx, dGamma, dBeta];
      },
    };
  });
  return op(x, gamma, beta) as tf.Tensor4D;
}

/**
 * {@link trainBatchNorm} with our WebGPU kernels (batchnorm-webgpu.ts): the same arithmetic in
 * five kernels, not thirty. The mean and variance come from one kernel, end to end in one
 * tensor, which `onStats` receives as its two parts.
 */
function fusedTrainBatchNorm(
  x: tf.Tensor4D,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  onStats: (mean: StatValue, variance: StatValue) => void,
  relu: boolean,
): tf.Tensor4D {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xs, g, b, save] = args as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
    const stats = fusedStats(xs, onStats);
    const y = normalize(xs, stats, g, b, BN_EPSILON, relu);
    save(relu ? [xs, stats, g, y] : [xs, stats, g]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xk, sk, gk, yk] = saved as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D, tf.Tensor4D | undefined];
        return batchNormGradients(dy as tf.Tensor4D, xk, sk, gk, BN_EPSILON, yk ?? null);
      },
    };
  });
  return op(x, gamma, beta) as tf.Tensor4D;
}

/**
 * relu(BatchNorm(x) + shortcut) with our WebGPU kernels: the shortcut is added and the ReLU
 * applied in the normalisation's kernel; backward, ReLU's gradient (one kernel) is the
 * shortcut's gradient and BatchNorm's output gradient.
 */
function fusedTrainBatchNormAddRelu(
  x: tf.Tensor4D,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  shortcut: tf.Tensor4D,
  onStats: (mean: StatValue, variance: StatValue) => void,
): tf.Tensor4D {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xs, g, b, s, save] = args as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D, tf.Tensor4D, tf.GradSaveFunc];
    const stats = fusedStats(xs, onStats);
    const y = normalize(xs, stats, g, b, BN_EPSILON, true, s);
    save([xs, stats, g, y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xk, sk, gk, yk] = saved as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D, tf.Tensor4D];
        const d = reluGradient(dy, yk) as tf.Tensor4D;
        return [...batchNormGradients(d, xk, sk, gk, BN_EPSILON), d];
      },
    };
  });
  return op(x, gamma, beta, shortcut) as tf.Tensor4D;
}

/** The batch's per-channel mean and variance in one tensor (channelStats), each half given to `onStats` (a kept copy). */
function fusedStats(x: tf.Tensor4D, onStats: (mean: StatValue, variance: StatValue) => void): tf.Tensor1D {
  const stats = channelStats(x);
  onStats({ value: tf.keep(tf.clone(stats)), part: { index: 0, of: 2 } }, { value: tf.keep(tf.clone(stats)), part: { index: 1, of: 2 } });
  return stats;
}

/**
 * BatchNorm of an NHWC tensor (TensorFlow.js's batchNorm gradient spends its time in Tile).
 * Train mode normalises with the biased batch variance and reports the batch mean and the
 * unbiased variance (the biased one scaled by n/(n − 1), see `BatchStat`) for the running
 * buffers; eval mode uses the buffers.
 */
export function batchNorm(x: tf.Tensor4D, params: ParamMap, name: string, mode: ForwardMode): tf.Tensor4D {
  return batchNormThen(x, params, name, mode, 'none');
}

/** relu({@link batchNorm}(…)); on webgpu in train mode the ReLU and its gradient run inside BatchNorm's own kernels (two kernels fewer). Call inside `tf.tidy`. */
export function batchNormRelu(x: tf.Tensor4D, params: ParamMap, name: string, mode: ForwardMode): tf.Tensor4D {
  return batchNormThen(x, params, name, mode, 'relu');
}

/** relu({@link batchNorm}(…) + shortcut), a residual block's output; on webgpu in train mode the addition and the ReLU run in BatchNorm's normalisation (one kernel fewer). Call inside `tf.tidy`. */
export function batchNormAddRelu(x: tf.Tensor4D, params: ParamMap, name: string, mode: ForwardMode, shortcut: tf.Tensor4D): tf.Tensor4D {
  return batchNormThen(x, params, name, mode, { addRelu: shortcut });
}

/** What follows BatchNorm in {@link batchNormThen}: nothing, a ReLU, or a shortcut added and then a ReLU. */
type AfterBatchNorm = 'none' | 'relu' | { readonly addRelu: tf.Tensor4D };

/** {@link batchNorm}, followed by `after`. */
function batchNormThen(x: tf.Tensor4D, params: ParamMap, name: string, mode: ForwardMode, after: AfterBatchNorm): tf.Tensor4D {
  const gamma = get(params, `${name}.weight`);
  const beta = get(params, `${name}.bias`);
  if (mode.mode === 'train') {
    const n = x.shape[0] * x.shape[1] * x.shape[2];
    const onStats = (mean: StatValue, variance: StatValue) => {
      if (mode.batchStats) {
        mode.batchStats.set(`${name}.running_mean`, { ...mean, scale: 1 });
        mode.batchStats.set(`${name}.running_var`, { ...variance, scale: n / Math.max(1, n - 1) });
      } else tf.dispose([mean.value, variance.value]);
    };
    if (fusedBatchNormAvailable())
      return typeof after === 'string'
        ? fusedTrainBatchNorm(x, gamma, beta, onStats, after === 'relu')
        : fusedTrainBatchNormAddRelu(x, gamma, beta, after.addRelu, onStats);
    return applyAfter(trainBatchNorm(x, gamma, beta, onStats), after);
  }
  const mean = get(params, `${name}.running_mean`);
  const variance = get(params, `${name}.running_var`);
  const scale = tf.mul(gamma, tf.rsqrt(tf.add(variance, BN_EPSILON)));
  return applyAfter(tf.add(tf.mul(tf.sub(x, mean), scale), beta) as tf.Tensor4D, after);
}

/** `y` followed by `after`, as TensorFlow.js ops (or our ReLU kernels, see activations.ts). */
function applyAfter(y: tf.Tensor4D, after: AfterBatchNorm): tf.Tensor4D {
  if (after === 'none') return y;
  return after === 'relu' ? relu(y) : addRelu(y, after.addRelu);
}
