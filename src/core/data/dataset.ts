import * as tf from '@tensorflow/tfjs';

/**
 * An image classification split held as raw bytes: `pixels` is `count × pixelsPerImage` uint8
 * values in channel-major order per image (MNIST: 784 grey pixels), `labels` one class per image.
 */
export interface ImageDataset {
  readonly name: string;
  readonly count: number;
  readonly pixelsPerImage: number;
  readonly channels: number;
  readonly pixels: Uint8Array;
  readonly labels: Uint8Array;
  readonly numClasses: number;
  /** Normalisation applied as (pixel/255 − mean[c]) / std[c]. */
  readonly channelMean: readonly number[];
  readonly channelStd: readonly number[];
}

/** A batch on the current backend. The caller owns (must dispose) both tensors. */
export interface Batch {
  /** Normalised inputs, shape [n, pixelsPerImage], float32. */
  readonly x: tf.Tensor2D;
  /** Class indices, shape [n], int32. */
  readonly y: tf.Tensor1D;
}

/** Returns the first `n` examples (a view, no copy); `n` of 0 or ≥ count returns the whole split. */
export function takeFirst(data: ImageDataset, n: number): ImageDataset {
  if (n <= 0 || n >= data.count) return data;
  return {
    ...data,
    count: n,
    pixels: data.pixels.subarray(0, n * data.pixelsPerImage),
    labels: data.labels.subarray(0, n),
  };
}

/**
 * Builds a normalised batch of the examples at `indices`. The caller owns the returned tensors.
 */
export function makeBatch(data: ImageDataset, indices: ArrayLike<number>): Batch {
  const n = indices.length;
  const d = data.pixelsPerImage;
  const perChannel = d / data.channels;
  const scale = data.channelStd.map((s) => 1 / (255 * s));
  const shift = data.channelMean.map((m, c) => m / (data.channelStd[c] ?? 1));
  const x = new Float32Array(n * d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const src = (indices[i] ?? 0) * d;
    const dst = i * d;
    for (let c = 0; c < data.channels; c++) {
      const a = scale[c] ?? 1;
      const b = shift[c] ?? 0;
      const base = c * perChannel;
      for (let p = 0; p < perChannel; p++) x[dst + base + p] = (data.pixels[src + base + p] ?? 0) * a - b;
    }
    y[i] = data.labels[indices[i] ?? 0] ?? 0;
  }
  return { x: tf.tensor2d(x, [n, d]), y: tf.tensor1d(y, 'int32') };
}

/** Returns the indices [start, start + n) clipped to the split, for sequential evaluation batches. */
export function rangeIndices(start: number, n: number, count: number): Int32Array {
  const end = Math.min(count, start + n);
  const out = new Int32Array(Math.max(0, end - start));
  for (let i = 0; i < out.length; i++) out[i] = start + i;
  return out;
}
