/**
 * The GPU benchmarks' workloads: LeNet-300-100 (batch 60, Adam 1.2e-3), ResNet-20 width 16
 * (batch 128, SGD 0.1, momentum 0.9, weight decay 1e-4) and the lesson-scale VGG-16 (width 8, batch 64) on synthetic data in the real shapes
 * (the GPU machine has no datasets), CIFAR-10's with its crop-and-flip.
 */
import { CIFAR_NORMALIZATION } from '../../src/core/data/cifar.ts';
import type { ImageDataset } from '../../src/core/data/dataset.ts';
import { MNIST_NORMALIZATION } from '../../src/core/data/mnist.ts';
import { modelFor } from '../../src/core/models/registry.ts';
import type { Workload } from '../node-throughput.ts';

/** A synthetic split in the real shape: uniform random pixels and labels from a fixed seed. */
export function syntheticDataset(
  name: string,
  count: number,
  height: number,
  width: number,
  channels: number,
  mean: readonly number[],
  std: readonly number[],
  augmentation: ImageDataset['augmentation'],
): ImageDataset {
  const pixelsPerImage = height * width * channels;
  const pixels = new Uint8Array(count * pixelsPerImage);
  const labels = new Uint8Array(count);
  let s = 0x9e3779b9;
  const next = (): number => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
  for (let i = 0; i < pixels.length; i++) pixels[i] = next() & 255;
  for (let i = 0; i < count; i++) labels[i] = next() % 10;
  return { name, count, height, width, channels, pixelsPerImage, pixels, labels, numClasses: 10, channelMean: mean, channelStd: std, augmentation };
}

/** 10,000 synthetic MNIST-shaped images. */
export const mnistLike = /* @__PURE__ */ syntheticDataset(
  'synthetic MNIST-shaped (28×28×1)',
  10_000,
  28,
  28,
  1,
  [MNIST_NORMALIZATION.mean],
  [MNIST_NORMALIZATION.std],
  'none',
);
/** 10,000 synthetic CIFAR-10-shaped images, with crop-and-flip. */
export const cifarLike = /* @__PURE__ */ syntheticDataset(
  'synthetic CIFAR-10-shaped (32×32×3, crop4-flip)',
  10_000,
  32,
  32,
  3,
  CIFAR_NORMALIZATION.mean,
  CIFAR_NORMALIZATION.std,
  'crop4-flip',
);
/** LeNet-300-100 as the paper trains it. */
export const lenet: Workload = {
  name: 'LeNet-300-100, batch 60, Adam',
  model: modelFor('lenet-300-100'),
  data: mnistLike,
  optimizer: { kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 },
  learningRate: 1.2e-3,
  batchSize: 60,
};
/** VGG-16 at lesson scale (the vgg16-teach preset: width 8, batch 64), ResNet-20's optimiser. */
export const vggTeach: Workload = {
  name: 'VGG-16 width 8, batch 64, SGD momentum 0.9, wd 1e-4 (vgg16-teach)',
  model: modelFor('vgg-16', 8),
  data: cifarLike,
  optimizer: { kind: 'sgd', momentum: 0.9, weightDecay: 1e-4 },
  learningRate: 0.1,
  batchSize: 64,
};
/** ResNet-20 as the paper trains it. */
export const resnet: Workload = {
  name: 'ResNet-20 width 16, batch 128, SGD momentum 0.9, wd 1e-4',
  model: modelFor('resnet-20', 16),
  data: cifarLike,
  optimizer: { kind: 'sgd', momentum: 0.9, weightDecay: 1e-4 },
  learningRate: 0.1,
  batchSize: 128,
};
