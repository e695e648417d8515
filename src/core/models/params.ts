import * as tf from '@tensorflow/tfjs';
import { Rng } from '../rng.ts';

/** How a parameter tensor is initialised (open_lth's choices). */
export type ParamInit =
  /** Kaiming/He normal, fan-in mode, gain √2: N(0, 2/fanIn) (open_lth's `kaiming_normal`). */
  | { kind: 'kaiming-normal'; fanIn: number }
  /** PyTorch's default bias init: U(−1/√fanIn, 1/√fanIn). */
  | { kind: 'uniform-fan-in'; fanIn: number }
  /** U[0, 1): open_lth's `batchnorm_init='uniform'` for BatchNorm scales. */
  | { kind: 'uniform01' }
  | { kind: 'zeros' }
  | { kind: 'ones' };

/** One named parameter of a model: its shape, initialiser and whether pruning may touch it. */
export interface ParamSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly init: ParamInit;
  /** True for conv and linear weight matrices only; never biases or BatchNorm parameters. */
  readonly prunable: boolean;
  /**
   * False for buffers such as BatchNorm running statistics: part of the network's state
   * (copied, rewound and interpolated with it) but not trained by the optimiser. Default true.
   */
  readonly trainable?: boolean;
}

/** True when the optimiser trains this tensor (not a buffer). */
export function isTrainable(spec: ParamSpec): boolean {
  return spec.trainable !== false;
}

/** Named parameter tensors. Whoever created the map owns (must dispose) its tensors. */
export type ParamMap = ReadonlyMap<string, tf.Tensor>;

/** Number of scalars in a tensor of this shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Total number of scalars across `specs`, buffers included (LeNet-300-100: 266,610; ResNet-20: 274,042). */
export function countParams(specs: readonly ParamSpec[]): number {
  return specs.reduce((n, s) => n + sizeOf(s.shape), 0);
}

/** Draws the values of one parameter from `rng` as a flat Float32Array. */
export function initValues(spec: ParamSpec, rng: Rng): Float32Array {
  const out = new Float32Array(sizeOf(spec.shape));
  const init = spec.init;
  switch (init.kind) {
    case 'kaiming-normal': {
      const std = Math.sqrt(2 / init.fanIn);
      for (let i = 0; i < out.length; i++) out[i] = rng.nextNormal() * std;
      break;
    }
    case 'uniform-fan-in': {
      const bound = 1 / Math.sqrt(init.fanIn);
      for (let i = 0; i < out.length; i++) out[i] = (rng.nextFloat() * 2 - 1) * bound;
      break;
    }
    case 'uniform01':
      for (let i = 0; i < out.length; i++) out[i] = rng.nextFloat();
      break;
    case 'zeros':
      break;
    case 'ones':
      out.fill(1);
      break;
  }
  return out;
}

/**
 * Initialises every parameter of `specs` from one seeded generator, in spec order, so the same
 * seed gives bit-identical weights on every backend. The caller owns the returned variables.
 */
export function initParams(specs: readonly ParamSpec[], seed: number): Map<string, tf.Variable> {
  const rng = new Rng(seed);
  const params = new Map<string, tf.Variable>();
  for (const spec of specs) {
    const initial = tf.tensor(initValues(spec, rng), [...spec.shape]);
    params.set(spec.name, tf.variable(initial, isTrainable(spec), undefined, 'float32'));
    initial.dispose();
  }
  return params;
}

/** Creates trainable copies of `params` (the caller owns them). */
export function cloneParams(params: ParamMap): Map<string, tf.Variable> {
  const out = new Map<string, tf.Variable>();
  for (const [name, t] of params) out.set(name, tf.variable(t, t instanceof tf.Variable ? t.trainable : true));
  return out;
}

/** Disposes every tensor of `params`. */
export function disposeParams(params: ParamMap): void {
  for (const t of params.values()) t.dispose();
}
