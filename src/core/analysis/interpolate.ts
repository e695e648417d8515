import * as tf from '@tensorflow/tfjs';
import type { ParamMap } from '../models/params.ts';

/**
 * The point at `alpha` on the linear path from `a` (alpha = 0) to `b` (alpha = 1):
 * (1 − alpha)·a + alpha·b for every named tensor. At 0 and 1 it returns the endpoints' values
 * exactly. The caller owns the returned tensors.
 */
export function interpolateParams(a: ParamMap, b: ParamMap, alpha: number): Map<string, tf.Tensor> {
  const out = new Map<string, tf.Tensor>();
  for (const [name, ta] of a) {
    const tb = b.get(name);
    if (!tb) throw new Error(`interpolateParams: ${name} is missing from the second network`);
    out.set(
      name,
      tf.tidy(() => tf.add(tf.mul(ta, 1 - alpha), tf.mul(tb, alpha))),
    );
  }
  return out;
}

/** `count` evenly spaced values in [0, 1], endpoints included (paper: 30). count ≥ 2. */
export function evenlySpacedAlphas(count: number): number[] {
  if (!Number.isInteger(count) || count < 2) throw new RangeError(`need at least 2 interpolation points, got ${count}`);
  return Array.from({ length: count }, (_, i) => (i === count - 1 ? 1 : i / (count - 1)));
}
