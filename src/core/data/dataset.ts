import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng.ts';

/** Training-time augmentation a split asks for. `crop4-flip`: random 32×32 crop of the image
 * zero-padded by 4 pixels, then a horizontal flip with probability 1/2 (the paper's CIFAR-10). */
export type Augmentation = 'none' | 'crop4-flip';

/**
 * An image classification split held as raw bytes: `pixels` is `count × pixelsPerImage` uint8
 * values, channel-major per image (MNIST: 784 grey pixels; CIFAR-10: 1024 R, 1024 G, 1024 B),
 * `labels` one class per image.
 */
export interface ImageDataset {
  readonly name: string;
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly pixelsPerImage: number;
  readonly pixels: Uint8Array;
  readonly labels: Uint8Array;
  readonly numClasses: number;
  /** Normalisation applied as (pixel/255 − mean[c]) / std[c]. */
  readonly channelMean: readonly number[];
  readonly channelStd: readonly number[];
  readonly augmentation: Augmentation;
}

/** A batch on the current backend. The caller owns (must dispose) both tensors. */
export interface Batch {
  /** Normalised inputs, shape [n, height·width·channels], each row in HWC order (NHWC when reshaped). */
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

/** Maximum shift of the random crop, in pixels (open_lth: RandomCrop(32, padding=4)). */
export const CROP_PADDING = 4;

/**
 * Builds a normalised batch of the examples at `indices`, converting channel-major storage to
 * HWC rows. With `augment` (a generator seeded by the SGD noise and step) and a split whose
 * augmentation is `crop4-flip`, each image is shifted by a random (dy, dx) ∈ [−4, 4]², the
 * uncovered border filled with black (pixel 0, normalised like any pixel), and mirrored with
 * probability 1/2. Random draws per image, in order: dy, dx, flip. The caller owns the tensors.
 */
export function makeBatch(data: ImageDataset, indices: ArrayLike<number>, augment: Rng | null = null): Batch {
  const { x, y } = batchArrays(data, indices, augment);
  return { x: tf.tensor2d(x, [indices.length, data.pixelsPerImage]), y: tf.tensor1d(y, 'int32') };
}

/** {@link makeBatch}'s batch as host arrays: inputs [n·height·width·channels] in HWC rows, class indices [n]. */
export function batchArrays(data: ImageDataset, indices: ArrayLike<number>, augment: Rng | null = null): { x: Float32Array; y: Int32Array } {
  const n = indices.length;
  const { height: H, width: W, channels: C, pixelsPerImage: d } = data;
  const plane = H * W;
  const scale = data.channelStd.map((s) => 1 / (255 * s));
  const shift = data.channelMean.map((m, c) => m / (data.channelStd[c] ?? 1));
  const x = new Float32Array(n * d);
  const y = new Int32Array(n);
  const crop = augment !== null && data.augmentation === 'crop4-flip';
  for (let i = 0; i < n; i++) {
    const index = indices[i] ?? 0;
    const src = index * d;
    const dst = i * d;
    let dy = 0;
    let dx = 0;
    let flip = false;
    if (crop) {
      dy = augment.nextInt(2 * CROP_PADDING + 1) - CROP_PADDING;
      dx = augment.nextInt(2 * CROP_PADDING + 1) - CROP_PADDING;
      flip = augment.nextInt(2) === 1;
    }
    for (let c = 0; c < C; c++) {
      const a = scale[c] ?? 1;
      const b = shift[c] ?? 0;
      const base = src + c * plane;
      for (let r = 0; r < H; r++) {
        const sr = r + dy;
        const rowInside = sr >= 0 && sr < H;
        for (let col = 0; col < W; col++) {
          const sc0 = (flip ? W - 1 - col : col) + dx;
          const inside = rowInside && sc0 >= 0 && sc0 < W;
          const value = inside ? (data.pixels[base + sr * W + sc0] ?? 0) : 0;
          x[dst + (r * W + col) * C + c] = value * a - b;
        }
      }
    }
    y[i] = data.labels[index] ?? 0;
  }
  return { x, y };
}

/** Returns the indices [start, start + n) clipped to the split, for sequential evaluation batches. */
export function rangeIndices(start: number, n: number, count: number): Int32Array {
  const end = Math.min(count, start + n);
  const out = new Int32Array(Math.max(0, end - start));
  for (let i = 0; i < out.length; i++) out[i] = start + i;
  return out;
}
