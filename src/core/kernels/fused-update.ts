import * as tf from '@tensorflow/tfjs';
import { flatProgram, float, int, registerWebGpuKernel, runProgram, runsFused } from './webgpu-program.ts';

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
      constants.map((c) => `${c} : f32,`).join(' '),
      `${reads}
          setOutputAtIndex(index, ${expression});`,
    );
    const values = (attrs ?? {}) as Record<string, number>;
    return runProgram(
      backend,
      program,
      infos,
      constants.map((c) => float(values[c] ?? Number.NaN)),
    );
  });
  return update;
}

/** SGD's momentum buffer: s·momentum + (g + p·weightDecay). */
export const SGD_MOMENTUM = fused('LmcSgdMomentum', ['S', 'G', 'P'], ['momentum', 'weightDecay'], 's * uniforms.momentum + (g + p * uniforms.weightDecay)');
/** A descent step: p − d·rate. */
export const DESCENT = fused('LmcDescent', ['P', 'D'], ['rate'], 'p - d * uniforms.rate');
/** A descent step on a pruned weight: (p − d·rate)·m, the mask m's zeros keeping pruned weights at exactly 0. */
export const MASKED_DESCENT = fused('LmcMaskedDescent', ['P', 'D', 'M'], ['rate'], '(p - d * uniforms.rate) * m');
/** Adam's first moment: m·β1 + (g + p·weightDecay)·(1 − β1). */
export const ADAM_FIRST = fused(
  'LmcAdamFirst',
  ['M', 'G', 'P'],
  ['beta1', 'rest1', 'weightDecay'],
  'm * uniforms.beta1 + (g + p * uniforms.weightDecay) * uniforms.rest1',
);
/** Adam's second moment: v·β2 + (g + p·weightDecay)²·(1 − β2). */
export const ADAM_SECOND = fused(
  'LmcAdamSecond',
  ['V', 'G', 'P'],
  ['beta2', 'rest2', 'weightDecay'],
  'v * uniforms.beta2 + (g + p * uniforms.weightDecay) * (g + p * uniforms.weightDecay) * uniforms.rest2',
);
/** Adam's step: p − m / (√v / √(1 − β2ᵗ) + ε) · stepSize. */
export const ADAM_STEP = fused(
  'LmcAdamStep',
  ['P', 'M', 'V'],
  ['sqrtBias2', 'epsilon', 'stepSize'],
  'p - m / (sqrt(v) / uniforms.sqrtBias2 + uniforms.epsilon) * uniforms.stepSize',
);
/** Adam's step on a pruned weight: {@link ADAM_STEP} times the mask m. */
export const MASKED_ADAM_STEP = fused(
  'LmcMaskedAdamStep',
  ['P', 'M', 'V', 'K'],
  ['sqrtBias2', 'epsilon', 'stepSize'],
  '(p - m / (sqrt(v) / uniforms.sqrtBias2 + uniforms.epsilon) * uniforms.stepSize) * k',
);

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
