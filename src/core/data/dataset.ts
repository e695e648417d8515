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
  const x = new Float32Array(indices.length * data.pixelsPerImage);
  const y = new Int32Array(indices.length);
  writeBatch(data, indices, augmentationDraws(data, indices.length, augment), { x, y, copies: 1, copy: 0, unit: data.pixelsPerImage });
  return { x: tf.tensor2d(x, [indices.length, data.pixelsPerImage]), y: tf.tensor1d(y, 'int32') };
}

/**
 * Each image's augmentation for a batch of `n`: [dy, dx, flip] per image in order (flip 1 or 0),
 * drawn from `augment` as {@link makeBatch} draws them; null without augmentation.
 */
export function augmentationDraws(data: ImageDataset, n: number, augment: Rng | null): Int32Array | null {
  if (augment === null || data.augmentation !== 'crop4-flip') return null;
  const draws = new Int32Array(3 * n);
  for (let i = 0; i < n; i++) {
    draws[3 * i] = augment.nextInt(2 * CROP_PADDING + 1) - CROP_PADDING;
    draws[3 * i + 1] = augment.nextInt(2 * CROP_PADDING + 1) - CROP_PADDING;
    draws[3 * i + 2] = augment.nextInt(2);
  }
  return draws;
}

/**
 * Where {@link writeBatch} puts copy `copy`'s batch in a batch of `copies` side by side: inputs
 * `x` [n, copies·d], each row the copies' images interleaved by runs of `unit` values (the
 * channels of one pixel, or a whole image), and labels `y` [n·copies], copy c's example i at row
 * i·copies + c. One copy with `unit` = d is {@link makeBatch}'s plain layout.
 */
export interface BatchLayout {
  readonly x: Float32Array;
  readonly y: Int32Array;
  readonly copies: number;
  readonly copy: number;
  /** The split's channels (interleave pixel by pixel) or its pixels per image (image by image). */
  readonly unit: number;
}

/** Writes the normalised, augmented (by `draws`, see {@link augmentationDraws}) examples at `indices` into `layout`. */
export function writeBatch(data: ImageDataset, indices: ArrayLike<number>, draws: Int32Array | null, layout: BatchLayout): void {
  const { height: H, width: W, channels: C, pixelsPerImage: d } = data;
  const { x, y, copies, copy, unit } = layout;
  if (unit !== C && unit !== d) throw new Error(`a batch interleaves by ${C} channels or ${d} pixels, not ${unit}`);
  const plane = H * W;
  // Output position of value e (HWC order) of image i: i·d·copies + copy·unit + (e − e mod unit)·copies + e mod unit.
  const pixelStride = unit === d ? C : C * copies;
  const scale = data.channelStd.map((s) => 1 / (255 * s));
  const shift = data.channelMean.map((m, c) => m / (data.channelStd[c] ?? 1));
  for (let i = 0; i < indices.length; i++) {
    const index = indices[i] ?? 0;
    const src = index * d;
    const dst = i * d * copies + copy * unit;
    const dy = draws ? (draws[3 * i] ?? 0) : 0;
    const dx = draws ? (draws[3 * i + 1] ?? 0) : 0;
    const flip = draws ? draws[3 * i + 2] === 1 : false;
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
          x[dst + (r * W + col) * pixelStride + c] = value * a - b;
        }
      }
    }
    y[i * copies + copy] = data.labels[index] ?? 0;
  }
}

/** Returns the indices [start, start + n) clipped to the split, for sequential evaluation batches. */
export function rangeIndices(start: number, n: number, count: number): Int32Array {
  const end = Math.min(count, start + n);
  const out = new Int32Array(Math.max(0, end - start));
  for (let i = 0; i < out.length; i++) out[i] = start + i;
  return out;
}
