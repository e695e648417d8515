import type { ImageDataset } from '../src/core/data/dataset.ts';
import { CIFAR_NORMALIZATION } from '../src/core/data/cifar.ts';
import { Rng } from '../src/core/rng.ts';

/** A CIFAR-10-shaped split of `count` random images (generated data in the real layout). */
export function syntheticCifar(count: number, seed: number): ImageDataset {
  const rng = new Rng(seed);
  const pixels = Uint8Array.from({ length: count * 3072 }, () => rng.nextInt(256));
  const labels = Uint8Array.from({ length: count }, () => rng.nextInt(10));
  return {
    name: 'synthetic cifar',
    count,
    height: 32,
    width: 32,
    channels: 3,
    pixelsPerImage: 3072,
    pixels,
    labels,
    numClasses: 10,
    channelMean: CIFAR_NORMALIZATION.mean,
    channelStd: CIFAR_NORMALIZATION.std,
    augmentation: 'crop4-flip',
  };
}
