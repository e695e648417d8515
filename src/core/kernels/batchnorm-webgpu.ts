import * as tf from '@tensorflow/tfjs';
import { flatProgram, float, int, reductionProgram, registerWebGpuKernel, runProgram, runsFused } from './webgpu-program.ts';

/**
 * Train-mode BatchNorm's work on webgpu in four kernels of ours: the per-channel mean, the
 * per-channel variance, the normalisation, and in the backward pass both per-channel gradient
 * sums at once and then the input gradient. TensorFlow.js ops take about thirty kernels per
 * layer for the same (every one a dispatch and host time); the arithmetic is the same, in the
 * same order per element. Tensors are NHWC, [N, H, W, C], read as N·H·W rows of C channels.
 */

const MEAN = 'LmcChannelMean';
const VARIANCE = 'LmcChannelVariance';
const NORMALIZE = 'LmcBatchNormalize';
const GRADIENT_SUMS = 'LmcBatchNormGradientSums';
const INPUT_GRADIENT = 'LmcBatchNormInputGradient';

/** Whether the current backend runs BatchNorm with these kernels (webgpu). */
export function fusedBatchNormAvailable(): boolean {
  return runsFused(MEAN);
}

const rowsOf = (x: tf.TensorInfo): number => x.shape.slice(0, -1).reduce((a, b) => a * b, 1);
const channelsOf = (x: tf.TensorInfo): number => x.shape[x.shape.length - 1] ?? 0;

registerWebGpuKernel(MEAN, ({ inputs, backend }) => {
  const x = inputs.x as tf.TensorInfo;
  const [rows, c] = [rowsOf(x), channelsOf(x)];
  const program = reductionProgram('channel_mean', c, ['X'], 'rows : i32, channels : i32, scale : f32,', '', 'X[r * uniforms.channels + o]');
  return runProgram(backend, program, [x], [int(rows), int(c), float(1 / rows)]);
});

registerWebGpuKernel(VARIANCE, ({ inputs, backend }) => {
  const [x, mean] = [inputs.x, inputs.mean] as tf.TensorInfo[] as [tf.TensorInfo, tf.TensorInfo];
  const [rows, c] = [rowsOf(x), channelsOf(x)];
  const program = reductionProgram(
    'channel_variance',
    c,
    ['X', 'Mean'],
    'rows : i32, channels : i32, scale : f32,',
    'let m = Mean[o];',
    '(X[r * uniforms.channels + o] - m) * (X[r * uniforms.channels + o] - m)',
  );
  return runProgram(backend, program, [x, mean], [int(rows), int(c), float(1 / rows)]);
});

registerWebGpuKernel(NORMALIZE, ({ inputs, backend }) => {
  const names = ['X', 'Mean', 'InvStd', 'G', 'B'];
  const infos = [inputs.x, inputs.mean, inputs.invStd, inputs.gamma, inputs.beta] as tf.TensorInfo[];
  const x = infos[0] as tf.TensorInfo;
  const program = flatProgram(
    'batch_normalize',
    x.shape,
    names,
    'channels : i32,',
    `let c = index % uniforms.channels;
        setOutputAtIndex(index, (X[index] - Mean[c]) * InvStd[c] * G[c] + B[c]);`,
  );
  return runProgram(backend, program, infos, [int(channelsOf(x))]);
});

registerWebGpuKernel(GRADIENT_SUMS, ({ inputs, backend }) => {
  const infos = [inputs.dy, inputs.x, inputs.mean, inputs.invStd] as tf.TensorInfo[];
  const x = infos[1] as tf.TensorInfo;
  const [rows, c] = [rowsOf(x), channelsOf(x)];
  // Output [2·C]: first Σ dy (the shift's gradient), then Σ dy·x̂ (the scale's), per channel.
  const program = reductionProgram(
    'batch_norm_gradient_sums',
    2 * c,
    ['DY', 'X', 'Mean', 'InvStd'],
    'rows : i32, channels : i32, scale : f32,',
    `let c = o % uniforms.channels;
        let scaled = o >= uniforms.channels;
        let m = Mean[c];
        let inv = InvStd[c];`,
    'select(DY[r * uniforms.channels + c], DY[r * uniforms.channels + c] * ((X[r * uniforms.channels + c] - m) * inv), scaled)',
  );
  return runProgram(backend, program, infos, [int(rows), int(c), float(1)]);
});

registerWebGpuKernel(INPUT_GRADIENT, ({ inputs, backend }) => {
  const infos = [inputs.dy, inputs.x, inputs.mean, inputs.invStd, inputs.gamma, inputs.sums] as tf.TensorInfo[];
  const x = infos[1] as tf.TensorInfo;
  const program = flatProgram(
    'batch_norm_input_gradient',
    x.shape,
    ['DY', 'X', 'Mean', 'InvStd', 'G', 'Sums'],
    'channels : i32, count : f32,',
    `let c = index % uniforms.channels;
        let xh = (X[index] - Mean[c]) * InvStd[c];
        let dBeta = Sums[c];
        let dGamma = Sums[uniforms.channels + c];
        setOutputAtIndex(index, ((DY[index] * uniforms.count - dBeta) - xh * dGamma) * (G[c] * InvStd[c] / uniforms.count));`,
  );
  return runProgram(backend, program, infos, [int(channelsOf(x)), float(rowsOf(x))]);
});

const run = <T extends tf.Tensor>(name: string, inputs: Record<string, tf.Tensor>): T => tf.engine().runKernel(name, inputs) as T;

/** The per-channel batch mean of x [N, H, W, C], [C]. */
export function channelMean(x: tf.Tensor4D): tf.Tensor1D {
  return run(MEAN, { x });
}

/** The per-channel biased batch variance of x about `mean`, [C]. */
export function channelVariance(x: tf.Tensor4D, mean: tf.Tensor1D): tf.Tensor1D {
  return run(VARIANCE, { x, mean });
}

/** (x − mean) · invStd · γ + β, per channel. */
export function normalize(x: tf.Tensor4D, mean: tf.Tensor1D, invStd: tf.Tensor1D, gamma: tf.Tensor1D, beta: tf.Tensor1D): tf.Tensor4D {
  return run(NORMALIZE, { x, mean, invStd, gamma, beta });
}

/**
 * Train-mode BatchNorm's gradients from the output gradient dy: [dx, dγ, dβ], with dβ = Σ dy,
 * dγ = Σ dy·x̂ and dx = γ/(σ·n)·(n·dy − dβ − x̂·dγ), x̂ = (x − mean)·invStd.
 */
export function batchNormGradients(
  dy: tf.Tensor4D,
  x: tf.Tensor4D,
  mean: tf.Tensor1D,
  invStd: tf.Tensor1D,
  gamma: tf.Tensor1D,
): [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D] {
  const sums = run<tf.Tensor1D>(GRADIENT_SUMS, { dy, x, mean, invStd });
  const dx = run<tf.Tensor4D>(INPUT_GRADIENT, { dy, x, mean, invStd, gamma, sums });
  const [dBeta, dGamma] = tf.split(sums, 2) as [tf.Tensor1D, tf.Tensor1D];
  sums.dispose();
  return [dx, dGamma, dBeta];
}
