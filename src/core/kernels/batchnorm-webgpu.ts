import * as tf from '@tensorflow/tfjs';
import { flatProgram, float, int, reductionProgram, registerWebGpuKernel, runProgram, runsFused } from './webgpu-program.ts';

/**
 * Train-mode BatchNorm's work on webgpu in six kernels of ours: the per-channel mean, the
 * per-channel variance and the normalisation; in the backward pass the shift's and the scale's
 * per-channel gradient sums and the input gradient. Each computes 1/√(variance + ε) where it
 * needs it rather than reading it from a kernel of its own. TensorFlow.js ops take about thirty
 * kernels per layer for the same (every one a dispatch and host time). The formulas are the
 * same; the per-channel sums run in another order (a tree per channel) and the means multiply
 * by 1/rows, so results agree to float rounding. Tensors are NHWC, [N, H, W, C], read as N·H·W
 * rows of C channels.
 */

const MEAN = 'LmcChannelMean';
const VARIANCE = 'LmcChannelVariance';
const NORMALIZE = 'LmcBatchNormalize';
const SHIFT_GRADIENT = 'LmcBatchNormShiftGradient';
const SCALE_GRADIENT = 'LmcBatchNormScaleGradient';
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

registerWebGpuKernel(NORMALIZE, ({ inputs, backend, attrs }) => {
  const infos = [inputs.x, inputs.mean, inputs.variance, inputs.gamma, inputs.beta] as tf.TensorInfo[];
  const x = infos[0] as tf.TensorInfo;
  const program = flatProgram(
    'batch_normalize',
    x.shape,
    ['X', 'Mean', 'Var', 'G', 'B'],
    'channels : i32, epsilon : f32,',
    `let c = index % uniforms.channels;
        setOutputAtIndex(index, (X[index] - Mean[c]) * inverseSqrt(Var[c] + uniforms.epsilon) * G[c] + B[c]);`,
  );
  return runProgram(backend, program, infos, [int(channelsOf(x)), float((attrs as { epsilon: number }).epsilon)]);
});

registerWebGpuKernel(SHIFT_GRADIENT, ({ inputs, backend }) => {
  const dy = inputs.dy as tf.TensorInfo;
  const [rows, c] = [rowsOf(dy), channelsOf(dy)];
  const program = reductionProgram('batch_norm_shift_gradient', c, ['DY'], 'rows : i32, channels : i32, scale : f32,', '', 'DY[r * uniforms.channels + o]');
  return runProgram(backend, program, [dy], [int(rows), int(c), float(1)]);
});

registerWebGpuKernel(SCALE_GRADIENT, ({ inputs, backend, attrs }) => {
  const infos = [inputs.dy, inputs.x, inputs.mean, inputs.variance] as tf.TensorInfo[];
  const x = infos[1] as tf.TensorInfo;
  const [rows, c] = [rowsOf(x), channelsOf(x)];
  const program = reductionProgram(
    'batch_norm_scale_gradient',
    c,
    ['DY', 'X', 'Mean', 'Var'],
    'rows : i32, channels : i32, scale : f32, epsilon : f32,',
    `let m = Mean[o];
        let inv = inverseSqrt(Var[o] + uniforms.epsilon);`,
    'DY[r * uniforms.channels + o] * ((X[r * uniforms.channels + o] - m) * inv)',
  );
  return runProgram(backend, program, infos, [int(rows), int(c), float(1), float((attrs as { epsilon: number }).epsilon)]);
});

registerWebGpuKernel(INPUT_GRADIENT, ({ inputs, backend, attrs }) => {
  const infos = [inputs.dy, inputs.x, inputs.mean, inputs.variance, inputs.gamma, inputs.dBeta, inputs.dGamma] as tf.TensorInfo[];
  const x = infos[1] as tf.TensorInfo;
  const program = flatProgram(
    'batch_norm_input_gradient',
    x.shape,
    ['DY', 'X', 'Mean', 'Var', 'G', 'DBeta', 'DGamma'],
    'channels : i32, count : f32, epsilon : f32,',
    `let c = index % uniforms.channels;
        let inv = inverseSqrt(Var[c] + uniforms.epsilon);
        let xh = (X[index] - Mean[c]) * inv;
        setOutputAtIndex(index, ((DY[index] * uniforms.count - DBeta[c]) - xh * DGamma[c]) * (G[c] * inv / uniforms.count));`,
  );
  return runProgram(backend, program, infos, [int(channelsOf(x)), float(rowsOf(x)), float((attrs as { epsilon: number }).epsilon)]);
});

const run = <T extends tf.Tensor>(name: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, number> = {}): T =>
  tf.engine().runKernel(name, inputs, attrs) as T;

/** The per-channel batch mean of x [N, H, W, C], [C]. */
export function channelMean(x: tf.Tensor4D): tf.Tensor1D {
  return run(MEAN, { x });
}

/** The per-channel biased batch variance of x about `mean`, [C]. */
export function channelVariance(x: tf.Tensor4D, mean: tf.Tensor1D): tf.Tensor1D {
  return run(VARIANCE, { x, mean });
}

/** (x − mean) / √(variance + ε) · γ + β, per channel. */
export function normalize(x: tf.Tensor4D, mean: tf.Tensor1D, variance: tf.Tensor1D, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number): tf.Tensor4D {
  return run(NORMALIZE, { x, mean, variance, gamma, beta }, { epsilon });
}

/**
 * Train-mode BatchNorm's gradients from the output gradient dy: [dx, dγ, dβ], with dβ = Σ dy,
 * dγ = Σ dy·x̂ and dx = γ/(σ·n)·(n·dy − dβ − x̂·dγ), x̂ = (x − mean)/σ, σ = √(variance + ε).
 */
export function batchNormGradients(
  dy: tf.Tensor4D,
  x: tf.Tensor4D,
  mean: tf.Tensor1D,
  variance: tf.Tensor1D,
  gamma: tf.Tensor1D,
  epsilon: number,
): [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D] {
  const dBeta = run<tf.Tensor1D>(SHIFT_GRADIENT, { dy });
  const dGamma = run<tf.Tensor1D>(SCALE_GRADIENT, { dy, x, mean, variance }, { epsilon });
  const dx = run<tf.Tensor4D>(INPUT_GRADIENT, { dy, x, mean, variance, gamma, dBeta, dGamma }, { epsilon });
  return [dx, dGamma, dBeta];
}
