import * as tf from '@tensorflow/tfjs';
import { type ParamMap, disposeParams } from '../models/params.ts';
import { recomputeBatchNormStats } from './bn-recompute.ts';
import { evaluateError } from './evaluate.ts';
import type { PathSetup } from './path.ts';

/**
 * The points of the triangle through three networks at which {@link walkTriangle} measures the
 * error, for `grid` points per side: every (a, b) = (i, j)/(grid − 1) with i + j ≤ grid − 1, in
 * order of i then j. The network at (a, b) is (1 − a − b)·W₀ + a·W₁ + b·W₂, so (0, 0) is W₀,
 * (1, 0) is W₁, (0, 1) is W₂, and the side a + b = 1 is the linear path from W₁ (α = 0) to W₂
 * (α = 1 − a = b).
 */
export function trianglePoints(grid: number): TriangleCoords[] {
  if (!Number.isInteger(grid) || grid < 2) throw new RangeError(`need at least 2 points per side, got ${grid}`);
  const n = grid - 1;
  const points: TriangleCoords[] = [];
  for (let i = 0; i <= n; i++)
    for (let j = 0; j <= n - i; j++) {
      // On the path's side, a is computed as the path computes 1 − α, so the networks are the same.
      const b = j === n ? 1 : j / n;
      points.push(i + j === n ? { a: 1 - b, b, onPath: true } : { a: i / n, b, onPath: false });
    }
  return points;
}

/** Where (a, b) = (i, j)/(grid − 1) sits in {@link trianglePoints}(`grid`). */
export function triangleIndex(grid: number, i: number, j: number): number {
  // Rows i' < i hold grid − i' points each.
  return i * grid - (i * (i - 1)) / 2 + j;
}

/** How many points {@link trianglePoints}(`grid`) has. */
export function triangleSize(grid: number): number {
  return (grid * (grid + 1)) / 2;
}

/** Coordinates of a point of the triangle, and whether it lies on the path between W₁ and W₂ (a + b = 1). */
export interface TriangleCoords {
  readonly a: number;
  readonly b: number;
  readonly onPath: boolean;
}

/**
 * (1 − a − b)·w0 + a·w1 + b·w2 for every named tensor (BatchNorm running statistics too: a convex
 * combination, so variances stay positive). On the side a + b = 1 it is exactly the path's
 * (1 − α)·w1 + α·w2 with α = b (`onPath`). The caller owns the returned tensors.
 */
export function combineParams(w0: ParamMap, w1: ParamMap, w2: ParamMap, { a, b, onPath }: TriangleCoords): Map<string, tf.Tensor> {
  const out = new Map<string, tf.Tensor>();
  const c0 = onPath ? 0 : 1 - a - b;
  for (const [name, t0] of w0) {
    const t1 = w1.get(name);
    const t2 = w2.get(name);
    if (!t1 || !t2) throw new Error(`combineParams: ${name} is missing from a network`);
    // On the path's side the sum is exactly a·w1 + b·w2, as the path computes it.
    out.set(
      name,
      tf.tidy(() => (onPath ? tf.add(tf.mul(t1, a), tf.mul(t2, b)) : tf.add(tf.add(tf.mul(t0, c0), tf.mul(t1, a)), tf.mul(t2, b)))),
    );
  }
  return out;
}

/** One measured point of the triangle: its coordinates and the network's test error there (percent). */
export interface TrianglePoint {
  readonly a: number;
  readonly b: number;
  readonly testError: number;
}

/**
 * Walks the triangle through `w0`, `w1` and `w2` at {@link trianglePoints}(`grid`): each point's
 * network (BatchNorm statistics as `setup.batchNorm` says) is evaluated on the test set and
 * yielded. Every combined network is freed.
 */
export async function* walkTriangle(setup: PathSetup, w0: ParamMap, w1: ParamMap, w2: ParamMap, grid: number): AsyncGenerator<TrianglePoint> {
  const { model, testSet, batchNorm } = setup;
  for (const coords of trianglePoints(grid)) {
    const { a, b } = coords;
    const point = combineParams(w0, w1, w2, coords);
    try {
      const testError = await setup.timed(testSet.count, async () => {
        if (batchNorm.mode === 'recompute') recomputeBatchNormStats(model, point, batchNorm.data, batchNorm.batches, batchNorm.batchSize);
        return evaluateError(model, point, testSet);
      });
      yield { a, b, testError };
    } finally {
      disposeParams(point);
    }
  }
}
