import { Rng, deriveSeed } from '../rng.ts';

/**
 * The data-order half of SGD noise: each epoch is a fresh permutation of the training set drawn
 * from `seed` and the epoch number, and step s reads the batch at position s mod stepsPerEpoch
 * of epoch ⌊s / stepsPerEpoch⌋ (the last incomplete batch of an epoch is dropped). Because the
 * batch depends only on (seed, step), a copy that starts at step k sees exactly the batches an
 * uninterrupted run with the same seed would see from step k on.
 */
export class DataOrder {
  private epoch = -1;
  private permutation: Int32Array;
  /** Number of full batches per epoch. */
  readonly stepsPerEpoch: number;

  /** @param count examples in the split; @param batchSize examples per step (≤ count). */
  constructor(
    readonly seed: number,
    readonly count: number,
    readonly batchSize: number,
  ) {
    if (batchSize < 1 || batchSize > count) throw new RangeError(`batch size ${batchSize} must be between 1 and the ${count} training examples`);
    this.stepsPerEpoch = Math.floor(count / batchSize);
    this.permutation = new Int32Array(count);
  }

  /** The generator of step `step`'s augmentation (the other half of SGD noise), from the same seed. */
  augmentationRng(step: number): Rng {
    return new Rng(deriveSeed(this.seed, 'augment', step));
  }

  /** Indices of the examples in the batch of global step `step` (a view valid until the next call). */
  batchIndices(step: number): Int32Array {
    const epoch = Math.floor(step / this.stepsPerEpoch);
    if (epoch !== this.epoch) {
      for (let i = 0; i < this.count; i++) this.permutation[i] = i;
      new Rng(deriveSeed(this.seed, 'epoch', epoch)).shuffle(this.permutation);
      this.epoch = epoch;
    }
    const start = (step % this.stepsPerEpoch) * this.batchSize;
    return this.permutation.subarray(start, start + this.batchSize);
  }
}
