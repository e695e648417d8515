import * as tf from '@tensorflow/tfjs';
import { reluGradientWgsl } from './relu-webgpu.ts';
import { flatProgram, float, int, meanAndVarianceProgram, reductionProgram, registerWebGpuKernel, runProgram, runsFused } from './webgpu-program.ts';

/**
 * Train-mode BatchNorm's work on webgpu in five kernels of ours: the per-channel mean and
 * variance (one kernel, one workgroup per channel: the flat [2·C] "statistics", means then
 * variances) and the normalisation; in the backward pass the shift's and the scale's
 * per-channel gradient sums and the input gradient. Each computes 1/√(variance + ε) where it
 * needs it rather than reading it from a kernel of its own. Where a ReLU follows (`relu`), the
 * normalisation applies it and the three backward kernels take its gradient themselves from the
 * ReLU's output Y, as LmcReluGradient would: two kernels fewer per layer. Where a residual
 * block adds its shortcut before the ReLU, the normalisation adds it too (one kernel fewer). TensorFlow.js ops take about thirty
 * kernels per layer for the same (every one a dispatch and host time). The formulas are the
 * same; the per-channel sums run in another order (a tree per channel) and the means multiply
 * by 1/rows, so results agree to float rounding. Tensors are NHWC, [N, H, W, C], read as N·H·W
 * rows of C channels.
 */

const STATS = 'LmcChannelStats';
const NORMALIZE = 'LmcBatchNormalize';
const SHIFT_GRADIENT = 'LmcBatchNormShiftGradient';
const SCALE_GRADIENT = 'LmcBatchNormScaleGradient';
const INPUT_GRADIENT = 'LmcBatchNormInputGradient';

/** Whether the current backend runs BatchNorm with these kernels (webgpu). */
export function fusedBatchNormAvailable(): boolean {
  return runsFused(STATS);
}

const rowsOf = (x: tf.TensorInfo): number => x.shape.slice(0, -1).reduce((a, b) => a * b, 1);
const channelsOf = (x: tf.TensorInfo): number => x.shape[x.shape.length - 1] ?? 0;

registerWebGpuKernel(STATS, ({ inputs, backend }) => {
  const x = inputs.x as tf.TensorInfo;
  const [rows, c] = [rowsOf(x), channelsOf(x)];
  return runProgram(backend, meanAndVarianceProgram('channel_stats', c), [x], [int(rows), int(c), float(1 / rows)]);
});

/** Whether a BatchNorm kernel's attributes ask for the ReLU after it. */
const withRelu = (attrs: unknown): boolean => (attrs as { relu?: number }).relu === 1;

/** WGSL of the output gradient at `at` (a flat index): DY's, or with a ReLU after BatchNorm, ReLU's gradient of it given the ReLU's output Y. */
const outputGradient = (relu: boolean, at: string): string => (relu ? reluGradientWgsl(`DY[${at}]`, `Y[${at}]`) : `DY[${at}]`);

/** The inputs dy (and y, with a ReLU after BatchNorm) of a backward kernel, their WGSL names first. */
function outputGradientInputs(relu: boolean, inputs: tf.NamedTensorInfoMap): { names: string[]; infos: tf.TensorInfo[] } {
  return relu ? { names: ['DY', 'Y'], infos: [inputs.dy, inputs.y] as tf.TensorInfo[] } : { names: ['DY'], infos: [inputs.dy as tf.TensorInfo] };
}

registerWebGpuKernel(NORMALIZE, ({ inputs, backend, attrs }) => {
  const add = inputs.add !== undefined;
  const infos = [inputs.x, inputs.stats, inputs.gamma, inputs.beta, ...(add ? [inputs.add] : [])] as tf.TensorInfo[];
  const x = infos[0] as tf.TensorInfo;
  const relu = withRelu(attrs);
  const program = flatProgram(
    `batch_normalize${add ? '_add' : ''}${relu ? '_relu' : ''}`,
    x.shape,
    ['X', 'Stats', 'G', 'B', ...(add ? ['S'] : [])],
    'channels : i32, epsilon : f32,',
    `let c = index % uniforms.channels;
        let v = (X[index] - Stats[c]) * inverseSqrt(Stats[uniforms.channels + c] + uniforms.epsilon) * G[c] + B[c]${add ? ' + S[index]' : ''};
        setOutputAtIndex(index, ${relu ? 'select(v, 0.0, v < 0.0)' : 'v'});`,
  );
  return runProgram(backend, program, infos, [int(channelsOf(x)), float((attrs as { epsilon: number }).epsilon)]);
});

registerWebGpuKernel(SHIFT_GRADIENT, ({ inputs, backend, attrs }) => {
  const relu = withRelu(attrs);
  const { names, infos } = outputGradientInputs(relu, inputs);
  const dy = infos[0] as tf.TensorInfo;
  const [rows, c] = [rowsOf(dy), channelsOf(dy)];
  const program = reductionProgram(
    relu ? 'batch_norm_relu_shift_gradient' : 'batch_norm_shift_gradient',
    c,
    names,
    'rows : i32, channels : i32, scale : f32,',
    '',
    outputGradient(relu, 'r * uniforms.channels + o'),
  );
  return runProgram(backend, program, infos, [int(rows), int(c), float(1)]);
});

registerWebGpuKernel(SCALE_GRADIENT, ({ inputs, backend, attrs }) => {
  const relu = withRelu(attrs);
  const { names, infos } = outputGradientInputs(relu, inputs);
  const x = inputs.x as tf.TensorInfo;
  const [rows, c] = [rowsOf(x), channelsOf(x)];
  const program = reductionProgram(
    relu ? 'batch_norm_relu_scale_gradient' : 'batch_norm_scale_gradient',
    c,
    [...names, 'X', 'Stats'],
    'rows : i32, channels : i32, scale : f32, epsilon : f32,',
    `let m = Stats[o];
        let inv = inverseSqrt(Stats[uniforms.channels + o] + uniforms.epsilon);`,
    `${outputGradient(relu, 'r * uniforms.channels + o')} * ((X[r * uniforms.channels + o] - m) * inv)`,
  );
  return runProgram(
    backend,
    program,
    [...infos, x, inputs.stats as tf.TensorInfo],
    [int(rows), int(c), float(1), float((attrs as { epsilon: number }).epsilon)],
  );
});

registerWebGpuKernel(INPUT_GRADIENT, ({ inputs, backend, attrs }) => {
  const relu = withRelu(attrs);
  const { names, infos } = outputGradientInputs(relu, inputs);
  const x = inputs.x as tf.TensorInfo;
  // With the ReLU: DY, Y, X, Stats, G, DBeta, DGamma and the output, WebGPU's default limit of eight storage buffers.
  const program = flatProgram(
    relu ? 'batch_norm_relu_input_gradient' : 'batch_norm_input_gradient',
    x.shape,
    [...names, 'X', 'Stats', 'G', 'DBeta', 'DGamma'],
    'channels : i32, count : f32, epsilon : f32,',
    `let c = index % uniforms.channels;
        let inv = inverseSqrt(Stats[uniforms.channels + c] + uniforms.epsilon);
        let xh = (X[index] - Stats[c]) * inv;
        let d = ${outputGradient(relu, 'index')};
        setOutputAtIndex(index, ((d * uniforms.count - DBeta[c]) - xh * DGamma[c]) * (G[c] * inv / uniforms.count));`,
  );
  const rest = [inputs.x, inputs.stats, inputs.gamma, inputs.dBeta, inputs.dGamma] as tf.TensorInfo[];
  return runProgram(backend, program, [...infos, ...rest], [int(channelsOf(x)), float(rowsOf(x)), float((attrs as { epsilon: number }).epsilon)]);
});

const run = <T extends tf.Tensor>(name: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, number> = {}): T =>
  tf.engine().runKernel(name, inputs, attrs) as T;

/** The per-channel batch mean and biased variance of x [N, H, W, C]: [2·C], the C means then the C variances. */
export function channelStats(x: tf.Tensor4D): tf.Tensor1D {
  return run(STATS, { x });
}

/**
 * (x − mean) / √(variance + ε) · γ + β, per channel, the mean and variance from
 * {@link channelStats}; plus `add` (of x's shape) where given (a residual block's shortcut);
 * with `relu`, a ReLU of that.
 */
export function normalize(
  x: tf.Tensor4D,
  stats: tf.Tensor1D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon: number,
  relu = false,
  add: tf.Tensor4D | null = null,
): tf.Tensor4D {
  return run(NORMALIZE, { x, stats, gamma, beta, ...(add ? { add } : {}) }, { epsilon, relu: relu ? 1 : 0 });
}

/**
 * Train-mode BatchNorm's gradients from the output gradient dy: [dx, dγ, dβ], with dβ = Σ dy,
 * dγ = Σ dy·x̂ and dx = γ/(σ·n)·(n·dy − dβ − x̂·dγ), x̂ = (x − mean)/σ, σ = √(variance + ε), the
 * mean and variance from {@link channelStats}. With `reluOutput` (the output of a ReLU after
 * BatchNorm, {@link normalize} with `relu`), dy is the ReLU's output gradient, taken through it.
 */
export function batchNormGradients(
  dy: tf.Tensor4D,
  x: tf.Tensor4D,
  stats: tf.Tensor1D,
  gamma: tf.Tensor1D,
  epsilon: number,
  reluOutput: tf.Tensor4D | null = null,
): [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D] {
  const relu = reluOutput ? 1 : 0;
  const gradient = reluOutput ? { dy, y: reluOutput } : { dy };
  const dBeta = run<tf.Tensor1D>(SHIFT_GRADIENT, gradient, { relu });
  const dGamma = run<tf.Tensor1D>(SCALE_GRADIENT, { ...gradient, x, stats }, { epsilon, relu });
  const dx = run<tf.Tensor4D>(INPUT_GRADIENT, { ...gradient, x, stats, gamma, dBeta, dGamma }, { epsilon, relu });
  return [dx, dGamma, dBeta];
}
