import * as tf from '@tensorflow/tfjs';
import type { ParamMap, ParamSpec } from '../models/params.ts';

/**
 * A pruning mask: for each prunable tensor, a 0/1 float32 tensor of the same shape (1 = alive).
 * Tensors not in the mask (biases, BatchNorm) are never pruned. The creator owns the tensors.
 */
export type Mask = ReadonlyMap<string, tf.Tensor>;

/** A mask held as host arrays, for counting and for computing the next mask. */
export type HostMask = ReadonlyMap<string, Uint8Array>;

/** What the output layer gets when pruning (open_lth: `keep` for LeNet; lottery-ticket code: `half`). */
export type OutputLayerRule = 'prune' | 'keep' | 'half';

/** The all-alive mask over the prunable tensors of `specs`. */
export function fullHostMask(specs: readonly ParamSpec[]): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const s of specs) if (s.prunable) out.set(s.name, new Uint8Array(s.shape.reduce((a, b) => a * b, 1)).fill(1));
  return out;
}

/** Alive and total weight counts of a mask, overall and per tensor. */
export function maskCounts(mask: HostMask): { alive: number; total: number; perTensor: Map<string, { alive: number; total: number }> } {
  let alive = 0;
  let total = 0;
  const perTensor = new Map<string, { alive: number; total: number }>();
  for (const [name, m] of mask) {
    let a = 0;
    for (const v of m) a += v;
    perTensor.set(name, { alive: a, total: m.length });
    alive += a;
    total += m.length;
  }
  return { alive, total, perTensor };
}

/** Fraction of prunable weights still alive (0–1). */
export function maskDensity(mask: HostMask): number {
  const { alive, total } = maskCounts(mask);
  return total === 0 ? 1 : alive / total;
}

/** Uploads a host mask as float32 0/1 tensors shaped like `specs` (the caller owns them). */
export function uploadMask(mask: HostMask, specs: readonly ParamSpec[]): Map<string, tf.Tensor> {
  const out = new Map<string, tf.Tensor>();
  for (const s of specs) {
    const m = mask.get(s.name);
    if (m) out.set(s.name, tf.tensor(Float32Array.from(m), [...s.shape]));
  }
  return out;
}

/** Multiplies every masked variable by its mask in place, so pruned weights are exactly 0. */
export function applyMask(params: ReadonlyMap<string, tf.Variable>, mask: Mask): void {
  tf.tidy(() => {
    for (const [name, m] of mask) {
      const p = params.get(name);
      if (!p) throw new Error(`mask names ${name}, which the network does not have`);
      p.assign(tf.mul(p, m));
    }
  });
}

/** Frees a mask's tensors. */
export function disposeMask(mask: Mask): void {
  for (const t of mask.values()) t.dispose();
}

/** Reads the masked tensors' current values to the host (for pruning decisions). */
export async function readPrunable(params: ParamMap, mask: HostMask): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  for (const name of mask.keys()) {
    const t = params.get(name);
    if (!t) throw new Error(`no parameter ${name} to prune`);
    out.set(name, (await t.data()) as Float32Array);
  }
  return out;
}
