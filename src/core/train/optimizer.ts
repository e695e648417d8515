import * as tf from '@tensorflow/tfjs';
import { DESCENT, MASKED_DESCENT, SGD_MOMENTUM, adamMoments, adamStep, fusedUpdatesAvailable, runUpdate } from '../kernels/fused-update.ts';
import type { ParamMap } from '../models/params.ts';
import { type Mask, applyMask } from '../prune/mask.ts';

/** Optimiser settings, PyTorch semantics. */
export type OptimizerSettings =
  | { readonly kind: 'adam'; readonly beta1: number; readonly beta2: number; readonly epsilon: number; readonly weightDecay: number }
  | { readonly kind: 'sgd'; readonly momentum: number; readonly weightDecay: number };

/**
 * An optimiser whose state is plain named tensors, so it can be copied with a network or reset
 * at a rewind. `step` updates the variables in place; it owns its state (call `dispose`).
 */
export interface Optimizer {
  readonly settings: OptimizerSettings;
  /** Number of updates applied so far (Adam's bias-correction counter). */
  readonly updates: number;
  /**
   * The state tensors by slot (Adam: `m`, `v`; SGD: `momentum`), each by parameter name. Read
   * them before the next `step`: where the optimiser keeps its state otherwise (Adam's moments
   * end to end on webgpu), these are copies made on reading, freed at the next step.
   */
  readonly state: Readonly<Record<string, ReadonlyMap<string, tf.Variable>>>;
  /**
   * Applies one update at learning rate `lr` to each variable of `params` that `grads` names,
   * then multiplies each variable that `mask` names by its mask (on webgpu in the update's own
   * kernel), so pruned weights stay exactly 0.
   */
  step(params: ReadonlyMap<string, tf.Variable>, grads: ParamMap, lr: number, mask?: Mask | null): void;
  /** A deep copy of this optimiser, state included (the caller owns it). */
  clone(): Optimizer;
  dispose(): void;
}

/**
 * Creates an optimiser for `settings`: fresh (zero moments) by default, or continuing from
 * `state` (slot → parameter → tensor, as {@link Optimizer.state} gives; the optimiser takes
 * ownership) after `updates` updates.
 */
export function createOptimizer(settings: OptimizerSettings, state: Readonly<Record<string, Map<string, tf.Variable>>> = {}, updates = 0): Optimizer {
  const slot = (name: string): Map<string, tf.Variable> => state[name] ?? new Map();
  return settings.kind === 'adam' ? new Adam(settings, slot('m'), slot('v'), updates) : new Sgd(settings, slot('momentum'), updates);
}

function cloneState(state: ReadonlyMap<string, tf.Variable>): Map<string, tf.Variable> {
  const out = new Map<string, tf.Variable>();
  for (const [k, v] of state) out.set(k, tf.variable(v, false));
  return out;
}

function slot(state: Map<string, tf.Variable>, name: string, like: tf.Tensor): tf.Variable {
  let v = state.get(name);
  if (!v) {
    v = tf.variable(tf.zerosLike(like), false);
    state.set(name, v);
  }
  return v;
}

/** Throws where `mask` names a tensor that this update does not step (a fused step masks only what it updates). */
function checkMask(mask: Mask | null, grads: ParamMap): void {
  for (const name of mask?.keys() ?? []) if (!grads.has(name)) throw new Error(`mask names ${name}, which has no gradient to step`);
}

function paramOf(params: ReadonlyMap<string, tf.Variable>, name: string): tf.Variable {
  const p = params.get(name);
  if (!p) throw new Error(`optimizer: gradient for ${name}, which is not a parameter`);
  return p;
}

/**
 * torch.optim.Adam (L2 weight decay added to the gradient, no amsgrad). On webgpu each
 * parameter's two moments lie end to end in one tensor [2, …shape] (`moments`), so that one
 * kernel moves both; `m` and `v` then hold copies made when {@link Optimizer.state} is read.
 */
class Adam implements Optimizer {
  /** Per parameter, both moments end to end (webgpu). Where a parameter has these, its `m` and `v` entries, if any, are copies made since the last step. */
  private readonly moments = new Map<string, tf.Variable>();

  constructor(
    readonly settings: Extract<OptimizerSettings, { kind: 'adam' }>,
    private readonly m: Map<string, tf.Variable>,
    private readonly v: Map<string, tf.Variable>,
    public updates: number,
  ) {}

  get state(): Record<string, ReadonlyMap<string, tf.Variable>> {
    this.copyOutMoments();
    return { m: this.m, v: this.v };
  }

  /** Writes `m` and `v` from `moments` (where they are not already current copies). */
  private copyOutMoments(): void {
    for (const [name, both] of this.moments) {
      if (this.m.has(name) && this.v.has(name)) continue;
      const [m, v] = tf.tidy(() => tf.unstack(both).map((t) => tf.variable(t, false)));
      this.m.set(name, m as tf.Variable);
      this.v.set(name, v as tf.Variable);
    }
  }

  /** Frees the copies {@link copyOutMoments} made: `moments` is about to move on. */
  private dropCopies(): void {
    for (const name of this.moments.keys()) {
      this.m.get(name)?.dispose();
      this.v.get(name)?.dispose();
      this.m.delete(name);
      this.v.delete(name);
    }
  }

  /** The parameter's moments end to end: from its `m` and `v` where it has them (which they replace), else zeros. */
  private bothMoments(name: string, p: tf.Tensor): tf.Variable {
    let both = this.moments.get(name);
    if (!both) {
      const [m, v] = [this.m.get(name), this.v.get(name)];
      both = tf.tidy(() => tf.variable(m && v ? tf.stack([m, v]) : tf.zeros([2, ...p.shape]), false));
      m?.dispose();
      v?.dispose();
      this.m.delete(name);
      this.v.delete(name);
      this.moments.set(name, both);
    }
    return both;
  }

  /** Moves `moments` back into `m` and `v` (for the backends that update them with TensorFlow.js ops). */
  private unpackMoments(): void {
    this.copyOutMoments();
    for (const t of this.moments.values()) t.dispose();
    this.moments.clear();
  }

  step(params: ReadonlyMap<string, tf.Variable>, grads: ParamMap, lr: number, mask: Mask | null = null): void {
    const { beta1, beta2, epsilon, weightDecay } = this.settings;
    checkMask(mask, grads);
    this.updates += 1;
    const t = this.updates;
    const stepSize = lr / (1 - beta1 ** t);
    const sqrtBias2 = Math.sqrt(1 - beta2 ** t);
    if (fusedUpdatesAvailable()) {
      // One kernel for both moments and one for the step (webgpu), in place of about a dozen.
      const constants = { beta1, rest1: 1 - beta1, beta2, rest2: 1 - beta2, weightDecay, sqrtBias2, epsilon, stepSize };
      this.dropCopies();
      tf.tidy(() => {
        for (const [name, grad] of grads) {
          const p = paramOf(params, name);
          const both = this.bothMoments(name, p);
          both.assign(adamMoments(both, grad, p, constants));
          p.assign(adamStep(p, both, mask?.get(name) ?? null, constants));
        }
      });
      return;
    }
    this.unpackMoments();
    tf.tidy(() => {
      // Each constant is made once per step, not once per parameter (each is an upload on a GPU).
      const wd = tf.scalar(weightDecay);
      const b1 = tf.scalar(beta1);
      const c1 = tf.scalar(1 - beta1);
      const b2 = tf.scalar(beta2);
      const c2 = tf.scalar(1 - beta2);
      const bias2 = tf.scalar(sqrtBias2);
      const eps = tf.scalar(epsilon);
      const size = tf.scalar(stepSize);
      for (const [name, grad] of grads) {
        const p = paramOf(params, name);
        let g = grad;
        if (weightDecay !== 0) g = tf.add(g, tf.mul(p, wd));
        const m = slot(this.m, name, p);
        const v = slot(this.v, name, p);
        const m1 = tf.add(tf.mul(m, b1), tf.mul(g, c1));
        const v1 = tf.add(tf.mul(v, b2), tf.mul(tf.square(g), c2));
        m.assign(m1);
        v.assign(v1);
        const denom = tf.add(tf.div(tf.sqrt(v1), bias2), eps);
        p.assign(tf.sub(p, tf.mul(tf.div(m1, denom), size)));
      }
    });
    if (mask) applyMask(params, mask);
  }

  clone(): Optimizer {
    const copy = new Adam(this.settings, cloneState(this.m), cloneState(this.v), this.updates);
    for (const [name, both] of this.moments) copy.moments.set(name, tf.variable(both, false));
    return copy;
  }

  dispose(): void {
    for (const s of [this.m, this.v, this.moments]) {
      for (const t of s.values()) t.dispose();
      s.clear();
    }
  }
}

/** torch.optim.SGD with momentum (dampening 0, not Nesterov) and L2 weight decay. */
class Sgd implements Optimizer {
  constructor(
    readonly settings: Extract<OptimizerSettings, { kind: 'sgd' }>,
    private readonly buf: Map<string, tf.Variable>,
    public updates: number,
  ) {}

  get state(): Record<string, ReadonlyMap<string, tf.Variable>> {
    return { momentum: this.buf };
  }

  step(params: ReadonlyMap<string, tf.Variable>, grads: ParamMap, lr: number, mask: Mask | null = null): void {
    const { momentum, weightDecay } = this.settings;
    checkMask(mask, grads);
    this.updates += 1;
    if (fusedUpdatesAvailable() && momentum !== 0) {
      // One kernel for the momentum buffer and one for the step (webgpu), in place of six.
      const constants = { momentum, weightDecay, rate: lr };
      tf.tidy(() => {
        for (const [name, grad] of grads) {
          const p = paramOf(params, name);
          const b = slot(this.buf, name, p);
          b.assign(runUpdate(SGD_MOMENTUM, { S: b, G: grad, P: p }, constants));
          const m = mask?.get(name);
          p.assign(m ? runUpdate(MASKED_DESCENT, { P: p, D: b, M: m }, constants) : runUpdate(DESCENT, { P: p, D: b }, constants));
        }
      });
      return;
    }
    tf.tidy(() => {
      // Each constant is made once per step, not once per parameter (each is an upload on a GPU).
      const wd = tf.scalar(weightDecay);
      const mom = tf.scalar(momentum);
      const rate = tf.scalar(lr);
      for (const [name, grad] of grads) {
        const p = paramOf(params, name);
        let g = grad;
        if (weightDecay !== 0) g = tf.add(g, tf.mul(p, wd));
        if (momentum !== 0) {
          const b = slot(this.buf, name, p);
          const b1 = tf.add(tf.mul(b, mom), g);
          b.assign(b1);
          g = b1;
        }
        p.assign(tf.sub(p, tf.mul(g, rate)));
      }
    });
    if (mask) applyMask(params, mask);
  }

  clone(): Optimizer {
    return new Sgd(this.settings, cloneState(this.buf), this.updates);
  }

  dispose(): void {
    for (const t of this.buf.values()) t.dispose();
    this.buf.clear();
  }
}
