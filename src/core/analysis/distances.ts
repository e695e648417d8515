import * as tf from '@tensorflow/tfjs';
import type { ParamMap } from '../models/params.ts';
import type { Mask } from '../prune/mask.ts';

/**
 * L2 distance ‖a − b‖ and cosine distance 1 − ⟨a, b⟩/(‖a‖‖b‖) over the weights of `a` (every
 * named tensor except non-trainable variables such as BatchNorm running statistics), flattened;
 * with `mask`, both are first multiplied by it (pruned weights count as 0).
 */
export async function paramDistances(a: ParamMap, b: ParamMap, mask?: Mask | null): Promise<{ l2: number; cosine: number }> {
  const sums = tf.tidy(() => {
    let diff: tf.Tensor = tf.scalar(0);
    let dot: tf.Tensor = tf.scalar(0);
    let na: tf.Tensor = tf.scalar(0);
    let nb: tf.Tensor = tf.scalar(0);
    for (const [name, rawA] of a) {
      if (rawA instanceof tf.Variable && !rawA.trainable) continue;
      const rawB = b.get(name);
      if (!rawB) throw new Error(`paramDistances: ${name} is missing from the second network`);
      const m = mask?.get(name);
      const ta = m ? tf.mul(rawA, m) : rawA;
      const tb = m ? tf.mul(rawB, m) : rawB;
      diff = tf.add(diff, tf.sum(tf.square(tf.sub(ta, tb))));
      dot = tf.add(dot, tf.sum(tf.mul(ta, tb)));
      na = tf.add(na, tf.sum(tf.square(ta)));
      nb = tf.add(nb, tf.sum(tf.square(tb)));
    }
    return tf.stack([diff, dot, na, nb]);
  });
  const [d = 0, dot = 0, na = 0, nb = 0] = await sums.data();
  sums.dispose();
  const denom = Math.sqrt(na) * Math.sqrt(nb);
  return { l2: Math.sqrt(d), cosine: denom === 0 ? 0 : 1 - dot / denom };
}

/** Number of positions where two prediction vectors differ. */
export function countDifferent(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`prediction vectors differ in length (${a.length} vs ${b.length})`);
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

/** Euclidean distance between two equally long vectors (e.g. per-example losses). */
export function vectorL2(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`vectors differ in length (${a.length} vs ${b.length})`);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += ((a[i] ?? 0) - (b[i] ?? 0)) ** 2;
  return Math.sqrt(s);
}
