import * as tf from '@tensorflow/tfjs';
import { type ProgramUniform, flatProgram, float, int, registerWebGpuKernel, runProgram, runsFused } from './webgpu-program.ts';

/**
 * An elementwise computation (an optimiser's update, a running statistic's, an activation's) as
 * one WebGPU kernel, registered by {@link fused}: `kernel` names it and `inputs` its
 * same-shaped inputs. Where TensorFlow.js would run one kernel per multiply and add, this is one
 * dispatch; the other backends keep their TensorFlow.js ops.
 */
export interface FusedUpdate {
  readonly kernel: string;
  readonly inputs: readonly string[];
}

/** WGSL declarations of float uniforms named `names` (`name : f32,` each). */
const floatUniforms = (names: readonly string[]): string => names.map((c) => `${c} : f32,`).join(' ');

/** The values of float uniforms `names` from a kernel's `attrs` (NaN where one is missing). */
const floatValues = (names: readonly string[], attrs: unknown): ProgramUniform[] =>
  names.map((c) => float((attrs as Record<string, number> | undefined)?.[c] ?? Number.NaN));

/** Registers elementwise kernel `kernel`: `expression` (WGSL) of the inputs, read as `p`, `g`, … (the names in `inputs`, lower-cased), and of float constants read as `uniforms.<name>`. */
export function fused(kernel: string, inputs: readonly string[], constants: readonly string[], expression: string): FusedUpdate {
  const update = { kernel, inputs };
  registerWebGpuKernel(kernel, ({ inputs: tensors, backend, attrs }) => {
    const infos = inputs.map((name) => tensors[name] as tf.TensorInfo);
    const reads = inputs.map((name) => `let ${name.toLowerCase()} = ${name}[index];`).join('\n          ');
    const program = flatProgram(
      kernel.replace(/^Lmc/, ''),
      infos[0]?.shape ?? [],
      inputs,
      floatUniforms(constants),
      `${reads}
          setOutputAtIndex(index, ${expression});`,
    );
    return runProgram(backend, program, infos, floatValues(constants, attrs));
  });
  return update;
}

/** SGD's momentum buffer: s·momentum + (g + p·weightDecay). */
export const SGD_MOMENTUM = fused('LmcSgdMomentum', ['S', 'G', 'P'], ['momentum', 'weightDecay'], 's * uniforms.momentum + (g + p * uniforms.weightDecay)');
/** A descent step: p − d·rate. */
export const DESCENT = fused('LmcDescent', ['P', 'D'], ['rate'], 'p - d * uniforms.rate');
/** A descent step on a pruned weight: (p − d·rate)·m, the mask m's zeros keeping pruned weights at exactly 0. */
export const MASKED_DESCENT = fused('LmcMaskedDescent', ['P', 'D', 'M'], ['rate'], '(p - d * uniforms.rate) * m');
const ADAM_MOMENTS = 'LmcAdamMoments';
const ADAM_STEP = 'LmcAdamStep';
const MASKED_ADAM_STEP = 'LmcMaskedAdamStep';

/** Adam's constants for one update, as uniforms of its kernels. */
export interface AdamConstants {
  readonly beta1: number;
  readonly rest1: number;
  readonly beta2: number;
  readonly rest2: number;
  readonly weightDecay: number;
  readonly sqrtBias2: number;
  readonly epsilon: number;
  readonly stepSize: number;
}

const MOMENT_CONSTANTS = ['beta1', 'rest1', 'beta2', 'rest2', 'weightDecay'] as const;
const STEP_CONSTANTS = ['sqrtBias2', 'epsilon', 'stepSize'] as const;

registerWebGpuKernel(ADAM_MOMENTS, ({ inputs, backend, attrs }) => {
  const infos = [inputs.moments, inputs.gradient, inputs.param] as tf.TensorInfo[];
  const program = flatProgram(
    'AdamMoments',
    infos[0]?.shape ?? [],
    ['MV', 'G', 'P'],
    floatUniforms(MOMENT_CONSTANTS),
    `let n = uniforms.size / 2;
          let second = index >= n;
          let i = select(index, index - n, second);
          let g = G[i] + P[i] * uniforms.weightDecay;
          setOutputAtIndex(index, select(MV[index] * uniforms.beta1 + g * uniforms.rest1, MV[index] * uniforms.beta2 + g * g * uniforms.rest2, second));`,
  );
  return runProgram(backend, program, infos, floatValues(MOMENT_CONSTANTS, attrs));
});

for (const masked of [false, true])
  registerWebGpuKernel(masked ? MASKED_ADAM_STEP : ADAM_STEP, ({ inputs, backend, attrs }) => {
    const infos = [inputs.param, inputs.moments, ...(masked ? [inputs.mask] : [])] as tf.TensorInfo[];
    const program = flatProgram(
      masked ? 'MaskedAdamStep' : 'AdamStep',
      infos[0]?.shape ?? [],
      ['P', 'MV', ...(masked ? ['K'] : [])],
      floatUniforms(STEP_CONSTANTS),
      `let m = MV[index];
          let v = MV[index + uniforms.size];
          setOutputAtIndex(index, (P[index] - m / (sqrt(v) / uniforms.sqrtBias2 + uniforms.epsilon) * uniforms.stepSize)${masked ? ' * K[index]' : ''});`,
    );
    return runProgram(backend, program, infos, floatValues(STEP_CONSTANTS, attrs));
  });

function checkMoments(moments: tf.Tensor, param: tf.Tensor): void {
  if (moments.shape.join() !== [2, ...param.shape].join())
    throw new Error(`Adam's moments are [${moments.shape.join(', ')}], not [2, ${param.shape.join(', ')}]`);
}

/**
 * Adam's two moments of a parameter, held end to end in one tensor [2, …shape] (the first
 * moment, then the second), moved in one kernel: m·β1 + g′·(1 − β1) and v·β2 + g′²·(1 − β2),
 * where g′ = g + p·weightDecay. The caller owns the result.
 */
export function adamMoments(moments: tf.Tensor, gradient: tf.Tensor, param: tf.Tensor, constants: AdamConstants): tf.Tensor {
  checkMoments(moments, param);
  if (gradient.shape.join() !== param.shape.join()) throw new Error("LmcAdamMoments: the gradient is not of the parameter's shape");
  return tf.engine().runKernel(ADAM_MOMENTS, { moments, gradient, param }, { ...constants }) as tf.Tensor;
}

/**
 * Adam's step from the moments of {@link adamMoments}: p − m / (√v / √(1 − β2ᵗ) + ε) · stepSize,
 * times `mask` where given (its zeros keep pruned weights at exactly 0). The caller owns the result.
 */
export function adamStep(param: tf.Tensor, moments: tf.Tensor, mask: tf.Tensor | null, constants: AdamConstants): tf.Tensor {
  checkMoments(moments, param);
  if (mask && mask.shape.join() !== param.shape.join()) throw new Error("LmcMaskedAdamStep: the mask is not of the parameter's shape");
  const inputs = mask ? { param, moments, mask } : { param, moments };
  return tf.engine().runKernel(mask ? MASKED_ADAM_STEP : ADAM_STEP, inputs, { ...constants }) as tf.Tensor;
}

/** Whether the optimisers and the running statistics run these fused kernels on the current backend (webgpu, unless our kernels are turned off). */
export function fusedUpdatesAvailable(): boolean {
  return runsFused(SGD_MOMENTUM.kernel);
}

/** Runs `update` on `inputs` (by the update's input names, all of one shape: each element is read at its own index) with `constants`; the caller owns the result. */
export function runUpdate(update: FusedUpdate, inputs: Readonly<Record<string, tf.Tensor>>, constants: Readonly<Record<string, number>>): tf.Tensor {
  for (const name of update.inputs) {
    const shape = inputs[name]?.shape;
    if (!shape || shape.join() !== inputs[update.inputs[0] ?? '']?.shape.join())
      throw new Error(`${update.kernel}: input ${name} is missing or of another shape`);
  }
  return tf.engine().runKernel(update.kernel, { ...inputs }, { ...constants }) as tf.Tensor;
}

const RUNNING_MIX = 'LmcRunningMix';

registerWebGpuKernel(RUNNING_MIX, ({ inputs, backend, attrs }) => {
  const infos = [inputs.running, inputs.batch] as tf.TensorInfo[];
  const { keep, take, offset } = attrs as { keep: number; take: number; offset: number };
  const program = flatProgram(
    'RunningMix',
    infos[0]?.shape ?? [],
    ['R', 'S'],
    'keep : f32, take : f32, offset : i32,',
    'setOutputAtIndex(index, R[index] * uniforms.keep + S[index + uniforms.offset] * uniforms.take);',
  );
  return runProgram(backend, program, infos, [float(keep), float(take), int(offset)]);
});

/**
 * A running statistic moved towards a batch estimate, running·keep + batch[offset + i]·take
 * (PyTorch's BatchNorm momentum, the estimate's scale folded into `take`), in one kernel:
 * `batch` holds the estimate's values from element `offset` on (where BatchNorm's one kernel gave
 * means and variances end to end). The caller owns the result.
 */
export function runningMix(running: tf.Tensor, batch: tf.Tensor, keep: number, take: number, offset: number): tf.Tensor {
  if (offset < 0 || offset + running.size > batch.size)
    throw new Error(`${RUNNING_MIX}: ${running.size} values from element ${offset} of a batch statistic of ${batch.size}`);
  return tf.engine().runKernel(RUNNING_MIX, { running, batch }, { keep, take, offset }) as tf.Tensor;
}
