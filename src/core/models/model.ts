import type * as tf from '@tensorflow/tfjs';
import type { ParamMap, ParamSpec } from './params.ts';

/** One axis of one parameter along which a {@link UnitGroup}'s units lie. */
export interface UnitAxis {
  readonly param: string;
  readonly axis: number;
}

/**
 * A set of interchangeable units: a dense layer's hidden neurons, a convolution's channels, or
 * the channels of a residual stream (every layer that writes to or reads from the stream).
 * Reordering the units the same way along every one of `axes` leaves the network's function
 * unchanged; this is what permutation alignment permutes.
 */
export interface UnitGroup {
  readonly name: string;
  readonly size: number;
  readonly axes: readonly UnitAxis[];
}

/** Names of the models LMC Lab can build. */
export type ModelName = 'lenet-300-100' | 'resnet-20' | 'vgg-16';

/** Each model's name as the paper writes it. */
export const MODEL_TITLE: Readonly<Record<ModelName, string>> = { 'lenet-300-100': 'LeNet-300-100', 'resnet-20': 'ResNet-20', 'vgg-16': 'VGG-16' };

/** The dataset each model trains on. */
export const MODEL_DATASET: Readonly<Record<ModelName, 'mnist' | 'cifar10'>> = { 'lenet-300-100': 'mnist', 'resnet-20': 'cifar10', 'vgg-16': 'cifar10' };

/** True for the models that train on CIFAR-10 (convolutional, with BatchNorm and a width setting). */
export function usesCifar(model: ModelName): boolean {
  return MODEL_DATASET[model] === 'cifar10';
}

/**
 * A BatchNorm running buffer's estimate from one batch: `value` times `scale`. The running
 * variance's estimate is the unbiased batch variance, the biased one (which normalised the
 * batch) times n/(n − 1): the factor is applied where the buffer moves, not by a kernel of its own.
 */
export interface BatchStat {
  readonly value: tf.Tensor;
  readonly scale: number;
  /**
   * Where set, `value` holds `of` statistics of the buffer's size end to end (on webgpu, one
   * kernel's means then variances) and the estimate is the one at `index`.
   */
  readonly part?: { readonly index: number; readonly of: number };
}

/**
 * How a forward pass runs. In `train` mode BatchNorm normalises with batch statistics and, when
 * `batchStats` is given, stores there (values kept with `tf.keep`, owned by the caller) each
 * running buffer's batch estimate, keyed by buffer name: the batch mean, and the unbiased batch
 * variance (as the biased one with its n/(n − 1) as the scale, see {@link BatchStat}).
 */
export type ForwardMode = { readonly mode: 'eval' } | { readonly mode: 'train'; readonly batchStats?: Map<string, BatchStat> };

/**
 * A network as data: its parameter specs (trainable tensors and buffers) plus a pure forward
 * pass returning logits [n, numClasses] for inputs [n, inputSize] (rows in HWC order). It
 * creates tensors, so call it inside `tf.tidy`.
 */
export interface Model {
  readonly name: ModelName;
  readonly specs: readonly ParamSpec[];
  readonly inputSize: number;
  readonly numClasses: number;
  /** Name of the output layer's weight (pruning's output-layer rule governs it). */
  readonly outputLayer: string;
  /** Examples per evaluation batch: large for speed, small enough that one forward pass's activations fit in memory. */
  readonly evalBatchSize: number;
  /** Momentum of BatchNorm running statistics (PyTorch: 0.1); 0 for models without BatchNorm. */
  readonly bnMomentum: number;
  /** The network's permutable hidden units (inputs and output classes have fixed meanings and are never permuted); empty when it has none. */
  readonly unitGroups: readonly UnitGroup[];
  /**
   * Channels of one input pixel, the axis along which side-by-side copies' inputs interleave:
   * 3 for CIFAR-10; LeNet's first layer mixes the whole row, so for it the whole row (784).
   */
  readonly inputChannels: number;
  /**
   * This network with `copies` independent copies side by side as one network `copies` times
   * as wide (every channel count, the input's included, times `copies`; weights block-diagonal
   * over their last two axes): what `train/side-by-side.ts` trains. Absent where the
   * architecture has no such form.
   */
  readonly sideBySide?: (copies: number) => Model;
  forward(params: ParamMap, x: tf.Tensor2D, mode?: ForwardMode): tf.Tensor2D;
}
