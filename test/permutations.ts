import * as tf from '@tensorflow/tfjs';
import type { Model } from '../src/core/models/model.ts';
import type { ParamMap } from '../src/core/models/params.ts';
import { Rng } from '../src/core/rng.ts';

/** A uniformly random permutation of 0 … n − 1 from `rng`. */
export function shuffled(n: number, rng: Rng): Int32Array {
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [p[i], p[j]] = [p[j] as number, p[i] as number];
  }
  return p;
}

/**
 * Gives every BatchNorm running statistic of `params` its own value per channel (means near 0,
 * so ReLUs keep passing signal; variances in [0.5, 1.5)), so that a statistic moved with the
 * wrong channel changes the outputs; returns one random permutation per unit group of `model`.
 */
export function scrambleForPermutationTest(model: Model, params: ParamMap, seed: number): Int32Array[] {
  const rng = new Rng(seed);
  const statistic = (name: string) => (name.endsWith('running_mean') ? 0.2 * (rng.nextFloat() - 0.5) : 0.5 + rng.nextFloat());
  for (const [name, t] of params)
    if (name.includes('running_') && t instanceof tf.Variable)
      tf.tidy(() =>
        t.assign(
          tf.tensor(
            Float32Array.from({ length: t.size }, () => statistic(name)),
            t.shape,
          ),
        ),
      );
  return model.unitGroups.map((g) => shuffled(g.size, rng));
}
