import * as tf from '@tensorflow/tfjs';
import { type Batch, type ImageDataset, augmentationDraws, writeBatch } from '../data/dataset.ts';
import { type DeviceImages, deviceImagesAvailable, gatherImages, imagesFitOnDevice, uploadImages } from '../kernels/gather-images-webgpu.ts';
import type { DataOrder } from '../data/order.ts';
import type { Rng } from '../rng.ts';

/** One network's part of a batch: its examples and the generator of its augmentation (null for none). */
export interface BatchPart {
  readonly indices: ArrayLike<number>;
  readonly augment: Rng | null;
}

/**
 * Where training batches come from: built on the host and uploaded each step, or gathered on the
 * GPU from the training images uploaded once. `batch` gives the parts of networks side by side
 * as one batch (inputs [n, parts·d], their images interleaved by runs of `unit` values; labels
 * [n·parts], part c's example i at row i·parts + c; see `BatchLayout`); one part is one network's
 * plain batch. The caller owns the batch; `dispose` frees what the source uploaded.
 */
export interface BatchSource {
  batch(parts: readonly BatchPart[], unit: number): Batch;
  dispose(): void;
}

/** A network's part of the batch of step `step` in data order `order`: its examples, and its augmentation's generator where the split augments. */
export function batchPartAt(data: ImageDataset, order: DataOrder, step: number): BatchPart {
  return { indices: order.batchIndices(step), augment: data.augmentation === 'none' ? null : order.augmentationRng(step) };
}

/** The labels of `parts` interleaved, and each part's augmentation draws. */
function labelsAndDraws(data: ImageDataset, parts: readonly BatchPart[]): { y: Int32Array; draws: (Int32Array | null)[] } {
  const n = parts[0]?.indices.length ?? 0;
  const y = new Int32Array(n * parts.length);
  parts.forEach((p, c) => {
    for (let i = 0; i < n; i++) y[i * parts.length + c] = data.labels[p.indices[i] ?? 0] ?? 0;
  });
  return { y, draws: parts.map((p) => augmentationDraws(data, n, p.augment)) };
}

/** Batches of `data` built on the host (the inputs normalised and augmented in JavaScript) and uploaded. */
export function hostBatches(data: ImageDataset): BatchSource {
  return {
    batch(parts, unit) {
      const n = parts[0]?.indices.length ?? 0;
      const copies = parts.length;
      const x = new Float32Array(n * data.pixelsPerImage * copies);
      const y = new Int32Array(n * copies);
      parts.forEach((p, copy) => writeBatch(data, p.indices, augmentationDraws(data, n, p.augment), { x, y, copies, copy, unit }));
      return { x: tf.tensor2d(x, [n, data.pixelsPerImage * copies]), y: tf.tensor1d(y, 'int32') };
    },
    dispose() {},
  };
}

/**
 * Batches of `data` gathered on the GPU (webgpu) from its images uploaded once as bytes: each
 * step uploads only the examples' indices, augmentation draws and labels, and one kernel of ours
 * normalises, crops, flips and interleaves (`src/core/kernels/gather-images-webgpu.ts`). The same
 * inputs as {@link hostBatches} to float rounding. `chunkBytes` bounds each uploaded chunk (tests).
 */
export function deviceBatches(data: ImageDataset, chunkBytes?: number): BatchSource {
  let images: DeviceImages | null = uploadImages(data, chunkBytes);
  return {
    batch(parts, unit) {
      if (!images) throw new Error('these batches were disposed');
      const { y, draws } = labelsAndDraws(data, parts);
      const x = gatherImages(
        images,
        parts.map((p, c) => ({ indices: p.indices, draws: draws[c] ?? null })),
        unit,
      );
      return { x, y: tf.tensor1d(y, 'int32') };
    },
    dispose() {
      images?.dispose();
      images = null;
    },
  };
}

/** The batches a run on the current backend trains on: gathered on the GPU where it can (webgpu, unless our kernels are off, for a split that fits), else built on the host. */
export function batchSourceFor(data: ImageDataset): BatchSource {
  return deviceImagesAvailable() && imagesFitOnDevice(data) ? deviceBatches(data) : hostBatches(data);
}
