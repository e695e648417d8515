import * as tf from '@tensorflow/tfjs';
import { flatProgram, float, registerWebGpuKernel, runProgram, runsFused } from './webgpu-program.ts';

/**
 * An optimiser's elementwise update as one WebGPU kernel: `expression` (WGSL) of same-shaped
 * inputs, read as `P`, `G`, … (the names in `inputs`), and of float constants read as
 * `uniforms.<name>`. Where TensorFlow.js would run one kernel per multiply and add, this is
 * one dispatch; the optimiser keeps its TensorFlow.js ops for the other backends.
 */
interface FusedUpdate {
  readonly kernel: string;
  readonly inputs: readonly string[];
  readonly constants: readonly string[];
  readonly expression: string;
}

function fused(kernel: string, inputs: readonly string[], constants: readonly string[], expression: string): FusedUpdate {
  const update = { kernel, inputs, constants, expression };
  registerWebGpuKernel(kernel, ({ inputs: tensors, backend, attrs }) => {
    const infos = inputs.map((name) => tensors[name] as tf.TensorInfo);
    const reads = inputs.map((name) => `let ${name.toLowerCase()} = ${name}[index];`).join('\n          ');
    const program = flatProgram(
      kernel,
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
/** A running statistic moved towards its batch estimate: r·keep + s·take (PyTorch's BatchNorm momentum). */
export const RUNNING_MIX = fused('LmcRunningMix', ['R', 'S'], ['keep', 'take'], 'r * uniforms.keep + s * uniforms.take');
/** Adam's step: p − m / (√v / √(1 − β2ᵗ) + ε) · stepSize. */
export const ADAM_STEP = fused(
  'LmcAdamStep',
  ['P', 'M', 'V'],
  ['sqrtBias2', 'epsilon', 'stepSize'],
  'p - m / (sqrt(v) / uniforms.sqrtBias2 + uniforms.epsilon) * uniforms.stepSize',
);

/** Whether optimisers run their fused kernels on the current backend (webgpu only). */
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
