/**
 * Runs in the browser (bundled by e2e/kernels.e2e.test.ts): our own WebGPU kernels and each way
 * of computing convolution gradients, on Chromium's WebGPU, against the same computation on the
 * cpu backend. `window.kernelCheck()` returns the largest differences found and the tensors
 * left behind on webgpu; `window.dispatchCounts()` counts one training step's compute
 * dispatches with our kernels and without them, and a pair's step side by side
 * (bench/browser-dispatches.ts reports them).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { DataOrder } from '../src/core/data/order.ts';
import { fusedUpdatesAvailable } from '../src/core/kernels/fused-update.ts';
import { im2col } from '../src/core/kernels/im2col.ts';
import { dilate, rotateFilter } from '../src/core/kernels/conv-layout.ts';
import { sumFirstAxis } from '../src/core/kernels/first-axis-sum.ts';
import { CONV_GRADIENT_WAYS, type ConvGradients, GRADIENTS_AS_CONVOLUTIONS, withConvGradients } from '../src/core/models/conv.ts';
import { disableFusedKernels } from '../src/core/kernels/webgpu-program.ts';
import type { BatchStat, Model } from '../src/core/models/model.ts';
import { batchEstimate } from '../src/core/models/batchnorm.ts';
import type { ImageDataset } from '../src/core/data/dataset.ts';
import { lenet } from '../bench/gpu/workloads.ts';
import { resnet20 } from '../src/core/models/resnet.ts';
import { type Optimizer, type OptimizerSettings, createOptimizer } from '../src/core/train/optimizer.ts';
import { disposeTrainee, freshTrainee, trainStep, updateRunningStats } from '../src/core/train/trainer.ts';
import { crossEntropy } from '../src/core/train/loss.ts';
import { addRelu, relu } from '../src/core/models/activations.ts';
import { type BatchPart, type BatchSource, batchSourceFor, deviceBatches } from '../src/core/train/batches.ts';
import { deviceImagesAvailable } from '../src/core/kernels/gather-images-webgpu.ts';
import { Rng } from '../src/core/rng.ts';
import { freshPairSideBySide, sideBySideStep, trainSideBySide } from '../src/core/train/side-by-side.ts';
import { syntheticCifar } from '../test/synthetic-cifar.ts';
import { trainBatchNormObjective } from '../test/batchnorm-objective.ts';

/** The largest absolute difference between two equally long arrays (NaN if their lengths differ). */
function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.NaN;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return m;
}

/** The patch matrix of a random [2, 7, 7, 3] input, 3×3 taps, stride 2, padding 1. */
async function patches(): Promise<number[]> {
  const x = tf.randomNormal([2, 7, 7, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
  const p = im2col(x, { kh: 3, kw: 3, stride: 2, pad: 1, ho: 4, wo: 4 });
  const values = [...(await p.data())];
  tf.dispose([x, p]);
  return values;
}

/**
 * Train-mode BatchNorm of a random [8, 8, 8, 5] input (512 rows: more than one stride of a
 * reduction's threads): its output, its gradients and the batch statistics; with `relu`, of
 * BatchNorm followed by a ReLU (batchNormRelu).
 */
async function batchNormed(relu = false): Promise<number[]> {
  const x = tf.randomNormal([8, 8, 8, 5], 1, 2, 'float32', 21) as tf.Tensor4D;
  const dy = tf.randomNormal([8, 8, 8, 5], 0, 1, 'float32', 24);
  const params = new Map<string, tf.Tensor>([
    ['bn.weight', tf.randomUniform([5], 0, 1, 'float32', 22)],
    ['bn.bias', tf.randomNormal([5], 0, 1, 'float32', 23)],
  ]);
  const stats = new Map<string, BatchStat>();
  const { value, grads } = tf.valueAndGrads(trainBatchNormObjective(dy, stats, relu))([
    x,
    params.get('bn.weight') as tf.Tensor,
    params.get('bn.bias') as tf.Tensor,
  ]);
  const values = [...(await value.data())];
  const estimates = tf.tidy(() => [...stats.values()].map(batchEstimate));
  for (const t of [...grads, ...estimates]) values.push(...(await t.data()));
  tf.dispose([x, dy, value, ...grads, ...params.values(), ...[...stats.values()].map((s) => s.value), ...estimates]);
  return values;
}

/** A random [2, 3, 4, 5] gradient dilated by stride 2, then a random [3, 3, 4, 6] filter rotated 180° with its channels swapped. */
async function rearranged(): Promise<number[]> {
  const dy = tf.randomNormal([2, 3, 4, 5], 0, 1, 'float32', 41) as tf.Tensor4D;
  const w = tf.randomNormal([3, 3, 4, 6], 0, 1, 'float32', 42) as tf.Tensor4D;
  const [d, r] = [dilate(dy, 2), rotateFilter(w)];
  const values = [...d.shape, ...(await d.data()), ...r.shape, ...(await r.data())];
  tf.dispose([dy, w, d, r]);
  return values;
}

/** Sums over the first axis, as a bias gradient takes them ([60, 300]) and as the filter gradient's split-K parts do ([5, 3, 3, 4, 6]). */
async function firstAxisSums(): Promise<number[]> {
  const bias = tf.randomNormal([60, 300], 0, 1, 'float32', 61);
  const parts = tf.randomNormal([5, 3, 3, 4, 6], 0, 1, 'float32', 62);
  const sums = [sumFirstAxis(bias), sumFirstAxis(parts)];
  const values = [...sums.flatMap((t) => t.shape), ...(await sums[0]!.data()), ...(await sums[1]!.data())];
  tf.dispose([bias, parts, ...sums]);
  return values;
}

/** The training loss (times `scale`, as a pair side by side takes it) of random logits [7, 10] against fixed labels, and its gradient for the logits. */
async function lossAndGradient(scale = 1): Promise<number[]> {
  const logits = tf.randomNormal([7, 10], 0, 3, 'float32', 51) as tf.Tensor2D;
  const labels = tf.tensor1d([3, 0, 9, 9, 4, 1, 7], 'int32');
  const { value, grads } = tf.valueAndGrads((l: tf.Tensor) => crossEntropy(l as tf.Tensor2D, labels, scale))([logits]);
  const values = [...(await value.data()), ...(await (grads[0] as tf.Tensor).data())];
  tf.dispose([logits, labels, value, ...grads]);
  return values;
}

/**
 * Training batches as the current backend's run gathers them (on webgpu from the images on the
 * GPU, here in chunks of six images so that a batch reads four; elsewhere built on the host):
 * CIFAR-10-shaped with crops and flips, two copies interleaved by channel and one alone, then
 * MNIST-shaped two copies interleaved by image. Inputs, then labels.
 */
async function gathered(): Promise<number[]> {
  const cifar = syntheticCifar(22, 9);
  const values: number[] = [];
  const take = async (source: BatchSource, parts: BatchPart[], unit: number) => {
    const batch = source.batch(parts, unit);
    for (const t of [batch.x, batch.y]) for (const v of await t.data()) values.push(v);
    tf.dispose([batch.x, batch.y]);
  };
  const cifarSource = deviceImagesAvailable() ? deviceBatches(cifar, 6 * 3072) : batchSourceFor(cifar);
  const crops = (seed: number): BatchPart => ({ indices: [21, 0, 13, 6, 17], augment: new Rng(seed) });
  await take(cifarSource, [crops(1), { ...crops(2), indices: [5, 11, 2, 19, 12] }], 3);
  await take(cifarSource, [crops(3)], 3072);
  cifarSource.dispose();
  const mnistSource = batchSourceFor(lenet.data);
  await take(
    mnistSource,
    [
      { indices: [4, 8], augment: null },
      { indices: [15, 16], augment: null },
    ],
    784,
  );
  mnistSource.dispose();
  return values;
}

/** ReLU and relu(a + b) of random [3, 5] tensors, and their gradients for random output gradients. */
async function activations(): Promise<number[]> {
  const [x, b, dy, dz] = [41, 42, 43, 44].map((seed) => tf.randomNormal([3, 5], 0, 1, 'float32', seed));
  const objective = (xs: tf.Tensor, bs: tf.Tensor) => tf.add(tf.sum(tf.mul(relu(xs), dy as tf.Tensor)), tf.sum(tf.mul(addRelu(xs, bs), dz as tf.Tensor)));
  const { value, grads } = tf.valueAndGrads(objective)([x as tf.Tensor, b as tf.Tensor]);
  const values = [...(await value.data())];
  for (const g of grads) values.push(...(await g.data()));
  tf.dispose([x, b, dy, dz, value, ...grads] as tf.Tensor[]);
  return values;
}

/**
 * Two running statistics [6] after one BatchNorm-momentum update (0.1), each towards its half of
 * a [12] batch statistic, as webgpu's BatchNorm gives its means then variances: the mean as it
 * is, the variance scaled to the unbiased one.
 */
async function runningStat(): Promise<number[]> {
  const buffers = [31, 32].map((seed) => {
    const start = tf.randomNormal([6], 0, 1, 'float32', seed);
    const buffer = tf.variable(start, false);
    start.dispose();
    return buffer;
  });
  updateRunningStats(
    new Map([
      ['bn.running_var', buffers[0] as tf.Variable],
      ['bn.running_mean', buffers[1] as tf.Variable],
    ]),
    new Map<string, BatchStat>([
      // The unbiased variance of a batch of 8 values per channel: the biased one times 8/7.
      ['bn.running_var', { value: tf.randomUniform([12], 0, 2, 'float32', 33), scale: 8 / 7, part: { index: 1, of: 2 } }],
      ['bn.running_mean', { value: tf.randomUniform([12], 0, 2, 'float32', 34), scale: 1, part: { index: 0, of: 2 } }],
    ]),
    0.1,
  );
  const values: number[] = [];
  for (const buffer of buffers) values.push(...(await buffer.data()));
  tf.dispose(buffers);
  return values;
}

/** A copy of `optimizer`'s state as it reads it out, slot by slot (the caller owns it). */
function copiedState(optimizer: Optimizer): Record<string, Map<string, tf.Variable>> {
  return Object.fromEntries(
    Object.entries(optimizer.state).map(([slot, tensors]) => [slot, new Map([...tensors].map(([name, t]) => [name, tf.variable(t, false)]))]),
  );
}

/**
 * A [5, 7] parameter after `updates` updates of `settings` with fixed gradients (with `masked`, a
 * third of it pruned), then its optimiser state. The second update continues from a copy of the
 * state as read out, the third from a clone: the ways state leaves and re-enters an optimiser.
 */
async function optimised(settings: OptimizerSettings, updates = 3, masked = false): Promise<number[]> {
  const start = tf.randomNormal([5, 7], 0, 1, 'float32', 6);
  const p = tf.variable(start);
  start.dispose();
  const params = new Map([['w', p]]);
  const mask = masked
    ? new Map([
        [
          'w',
          tf.tensor2d(
            Array.from({ length: 35 }, (_, i) => (i % 3 === 0 ? 0 : 1)),
            [5, 7],
          ),
        ],
      ])
    : null;
  let optimizer = createOptimizer(settings);
  for (let i = 0; i < updates; i++) {
    // The second update continues from a copy of the state as read (as a restored snapshot does), the third from a clone.
    const next = i === 1 ? createOptimizer(settings, copiedState(optimizer), optimizer.updates) : i === 2 ? optimizer.clone() : optimizer;
    if (next !== optimizer) optimizer.dispose();
    optimizer = next;
    const g = tf.randomNormal([5, 7], 0, 1, 'float32', 10 + i);
    optimizer.step(params, new Map([['w', g]]), 0.05, mask);
    g.dispose();
  }
  mask?.get('w')?.dispose();
  const values = [...(await p.data())];
  for (const slot of Object.values(optimizer.state)) for (const t of slot.values()) values.push(...(await t.data()));
  optimizer.dispose();
  p.dispose();
  return values;
}

/** The first two training losses of ResNet-20 width 2 (batch 8, SGD), and its first convolution's weights and first BatchNorm's running statistics after them. */
async function resnetSteps(ways: ConvGradients): Promise<number[]> {
  const model = resnet20(2);
  const data = syntheticCifar(16, 3);
  const trainee = freshTrainee(model, { kind: 'sgd', momentum: 0.9, weightDecay: 1e-4 }, 7, new DataOrder(0, data.count, 8));
  const schedule = { learningRate: 0.1, milestones: [], gamma: 1, warmupSteps: 0 };
  try {
    return await withConvGradients(ways, async () => {
      const values: number[] = [];
      for (let i = 0; i < 2; i++) {
        const loss = trainStep(trainee, model, data, schedule);
        values.push((await loss.data())[0] ?? Number.NaN);
        loss.dispose();
      }
      for (const name of ['conv.weight', 'bn.running_mean', 'bn.running_var']) values.push(...(await (trainee.params.get(name) as tf.Tensor).data()));
      return values;
    });
  } finally {
    disposeTrainee(trainee);
  }
}

const SGD: OptimizerSettings = { kind: 'sgd', momentum: 0.9, weightDecay: 1e-4 };

/** Two copies of `model` trained two steps side by side: each copy's losses, then each trained copy's first weight. */
async function sideBySideSteps(model: Model, data: ImageDataset, optimizer: OptimizerSettings, batchSize: number): Promise<number[]> {
  const copies = [0, 1].map((c) => freshTrainee(model, optimizer, 7 + c, new DataOrder(c, data.count, batchSize)));
  const schedule = { learningRate: 0.05, milestones: [], gamma: 1, warmupSteps: 0 };
  const values: number[] = [];
  const generator = trainSideBySide(copies, 2, { model, data, schedule, reportEveryMs: 0 });
  let next = await generator.next();
  for (; !next.done; next = await generator.next()) values.push(...next.value.losses);
  for (const t of next.value) {
    for (const v of await (t.params.get(model.specs[0]?.name ?? '') as tf.Tensor).data()) values.push(v);
    disposeTrainee(t);
  }
  copies.forEach(disposeTrainee);
  return values;
}

/** The names of the kernels `body` runs, in order, without the ones that only reshape or name a tensor. */
async function kernelsOf(body: () => Promise<unknown>): Promise<string[]> {
  const info = await tf.profile(async () => {
    await body();
    return [];
  });
  return info.kernels.map((k) => k.name).filter((name) => !['Reshape', 'Identity'].includes(name));
}

const CHECKS: Record<string, () => Promise<number[]>> = {
  im2col: patches,
  dilateAndRotate: rearranged,
  batchNorm: () => batchNormed(),
  batchNormRelu: () => batchNormed(true),
  runningStat,
  activations,
  gathered,
  crossEntropy: () => lossAndGradient(),
  firstAxisSums,
  crossEntropyScaled: () => lossAndGradient(3),
  sgd: () => optimised({ kind: 'sgd', momentum: 0.9, weightDecay: 1e-4 }),
  adam: () => optimised({ kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 }),
  adamWeightDecay: () => optimised({ kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 1e-3 }),
  sgdMasked: () => optimised({ kind: 'sgd', momentum: 0.9, weightDecay: 1e-4 }, 3, true),
  adamMasked: () => optimised({ kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 }, 3, true),
  ...Object.fromEntries(Object.entries(CONV_GRADIENT_WAYS).map(([name, ways]) => [`resnet20 ${name}`, () => resnetSteps(ways)])),
  // SGD: Adam's first steps are ±lr wherever a gradient is near 0, whatever its rounding.
  'lenet side by side': () => sideBySideSteps(lenet.model, lenet.data, SGD, 16),
  'resnet20 side by side': () => sideBySideSteps(resnet20(2), syntheticCifar(16, 3), SGD, 8),
};

/** What {@link kernelCheck} found. */
export interface KernelCheck {
  readonly adapter: string | null;
  /** Whether the optimisers ran their fused kernels on webgpu. */
  readonly fused: boolean;
  /** Per check, the largest absolute difference between webgpu and cpu. */
  readonly maxAbsDiff: Record<string, number>;
  /** The kernels each check ran on webgpu: one SGD (momentum) and one Adam update of one parameter (unpruned and pruned), a BatchNorm forward and backward (alone, and with a ReLU after it), a running statistic's update, ReLU and relu(a + b) with their gradients, the loss and its gradient, the patch matrix, the dilation and rotation. */
  readonly updateKernels: {
    readonly sgd: string[];
    readonly adam: string[];
    readonly sgdMasked: string[];
    readonly adamMasked: string[];
    readonly batchNorm: string[];
    readonly batchNormRelu: string[];
    readonly runningStat: string[];
    readonly activations: string[];
    readonly gathered: string[];
    readonly crossEntropy: string[];
    readonly firstAxisSums: string[];
    readonly im2col: string[];
    readonly dilateAndRotate: string[];
  };
  /** Per check, the tensors it left alive on webgpu. */
  readonly leakedOnWebgpu: Record<string, number>;
}

/** The WebGPU adapter's name, or null when there is none or the webgpu backend does not start. */
async function startWebgpu(): Promise<string | null> {
  const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<{ info?: { description?: string; vendor?: string } } | null> } }).gpu;
  const adapter = gpu ? await gpu.requestAdapter() : null;
  if (!adapter || !(await tf.setBackend('webgpu'))) return null;
  await tf.ready();
  return adapter.info?.description || adapter.info?.vendor || 'unnamed';
}

async function kernelCheck(): Promise<KernelCheck> {
  const adapter = await startWebgpu();
  if (adapter === null)
    return {
      adapter: null,
      fused: false,
      maxAbsDiff: {},
      updateKernels: {
        sgd: [],
        adam: [],
        sgdMasked: [],
        adamMasked: [],
        batchNorm: [],
        batchNormRelu: [],
        runningStat: [],
        activations: [],
        gathered: [],
        crossEntropy: [],
        firstAxisSums: [],
        im2col: [],
        dilateAndRotate: [],
      },
      leakedOnWebgpu: {},
    };
  const fused = fusedUpdatesAvailable();
  const updateKernels = {
    sgd: await kernelsOf(() => optimised({ kind: 'sgd', momentum: 0.9, weightDecay: 1e-4 }, 1)),
    adam: await kernelsOf(() => optimised({ kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 }, 1)),
    sgdMasked: await kernelsOf(() => optimised({ kind: 'sgd', momentum: 0.9, weightDecay: 1e-4 }, 1, true)),
    adamMasked: await kernelsOf(() => optimised({ kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 }, 1, true)),
    batchNorm: await kernelsOf(() => batchNormed()),
    batchNormRelu: await kernelsOf(() => batchNormed(true)),
    runningStat: await kernelsOf(runningStat),
    activations: await kernelsOf(activations),
    gathered: await kernelsOf(gathered),
    crossEntropy: await kernelsOf(() => lossAndGradient()),
    firstAxisSums: await kernelsOf(firstAxisSums),
    im2col: await kernelsOf(patches),
    dilateAndRotate: await kernelsOf(rearranged),
  };
  const onGpu: Record<string, number[]> = {};
  const leakedOnWebgpu: Record<string, number> = {};
  for (const [name, run] of Object.entries(CHECKS)) {
    const before = tf.memory().numTensors;
    onGpu[name] = await run();
    leakedOnWebgpu[name] = tf.memory().numTensors - before;
  }
  await tf.setBackend('cpu');
  const maxAbsDiff: Record<string, number> = {};
  for (const [name, run] of Object.entries(CHECKS)) maxAbsDiff[name] = maxDiff(onGpu[name] ?? [], await run());
  return { adapter, fused, maxAbsDiff, updateKernels, leakedOnWebgpu };
}

/** The compute dispatches of `step`'s third run (after two of warm-up) on webgpu. */
async function dispatchesOf(step: () => Promise<void>): Promise<number> {
  const encoder = (globalThis as unknown as { GPUComputePassEncoder: { prototype: { dispatchWorkgroups: (...a: unknown[]) => unknown } } })
    .GPUComputePassEncoder.prototype;
  const original = encoder.dispatchWorkgroups;
  let dispatches = 0;
  try {
    for (let i = 0; i < 2; i++) await step();
    encoder.dispatchWorkgroups = function (this: unknown, ...a: unknown[]) {
      dispatches += 1;
      return original.apply(this, a);
    };
    await step();
  } finally {
    encoder.dispatchWorkgroups = original;
  }
  return dispatches;
}

/** The compute dispatches of one training step on webgpu: of one network, and of two side by side (a pair's step, its losses not read). */
async function dispatchesOfStep(
  model: Model,
  optimizer: OptimizerSettings,
  data: ImageDataset,
  batchSize: number,
  learningRate: number,
): Promise<{ one: number; sideBySide: number }> {
  const schedule = { learningRate, milestones: [], gamma: 1, warmupSteps: 0 };
  const trainee = freshTrainee(model, optimizer, 0, new DataOrder(0, data.count, batchSize));
  const { side, dispose } = freshPairSideBySide(model, optimizer, data, batchSize);
  try {
    const one = await dispatchesOf(async () => {
      const loss = trainStep(trainee, model, data, schedule);
      await loss.data();
      loss.dispose();
    });
    const sideBySide = await dispatchesOf(async () => {
      const { total } = sideBySideStep(side, data, { model, schedule }, false);
      await total.data();
      total.dispose();
    });
    return { one, sideBySide };
  } finally {
    dispose();
    disposeTrainee(trainee);
  }
}

/**
 * One training step's compute dispatches with this round's kernels (`ours`) and without them
 * (`before`: both convolution gradients as convolutions, TensorFlow.js ops for BatchNorm and the
 * optimisers); and, with ours, one step of a pair's two copies side by side (`pairSideBySide`;
 * apart, a pair's step is two of `ours`).
 */
export interface DispatchCounts {
  readonly adapter: string | null;
  readonly lenet: { readonly ours: number; readonly before: number; readonly pairSideBySide: number };
  readonly resnet20: { readonly ours: number; readonly before: number; readonly pairSideBySide: number };
}

async function dispatchCounts(): Promise<DispatchCounts> {
  const adapter = await startWebgpu();
  if (adapter === null) return { adapter, lenet: { ours: 0, before: 0, pairSideBySide: 0 }, resnet20: { ours: 0, before: 0, pairSideBySide: 0 } };
  const cifar = syntheticCifar(16, 3);
  const sgd = { kind: 'sgd', momentum: 0.9, weightDecay: 1e-4 } as const;
  const count = async (before: boolean) => {
    disableFusedKernels(before);
    try {
      return await withConvGradients(before ? GRADIENTS_AS_CONVOLUTIONS : null, async () => ({
        lenet: await dispatchesOfStep(lenet.model, lenet.optimizer, lenet.data, lenet.batchSize, lenet.learningRate),
        resnet20: await dispatchesOfStep(resnet20(2), sgd, cifar, 8, 0.1),
      }));
    } finally {
      disableFusedKernels(false);
    }
  };
  const [ours, before] = [await count(false), await count(true)];
  const counted = (name: 'lenet' | 'resnet20') => ({ ours: ours[name].one, before: before[name].one, pairSideBySide: ours[name].sideBySide });
  return { adapter, lenet: counted('lenet'), resnet20: counted('resnet20') };
}

/** How many times one ResNet-20 training step (width 2, batch 8, SGD, after two of warm-up) runs each TensorFlow.js kernel on webgpu, most first: where its dispatches go. */
async function resnetKernelCounts(): Promise<[string, number][]> {
  if ((await startWebgpu()) === null) return [];
  const model = resnet20(2);
  const data = syntheticCifar(16, 3);
  const trainee = freshTrainee(model, SGD, 0, new DataOrder(0, data.count, 8));
  const schedule = { learningRate: 0.1, milestones: [], gamma: 1, warmupSteps: 0 };
  const step = async () => {
    const loss = trainStep(trainee, model, data, schedule);
    await loss.data();
    loss.dispose();
  };
  try {
    await step();
    await step();
    const counts = new Map<string, number>();
    for (const name of await kernelsOf(step)) counts.set(name, (counts.get(name) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1]);
  } finally {
    disposeTrainee(trainee);
  }
}

Object.assign(globalThis, { kernelCheck, dispatchCounts, resnetKernelCounts });
