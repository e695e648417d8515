import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { recomputeBatchNormStats } from '../src/core/analysis/bn-recompute.ts';
import { interpolateParams } from '../src/core/analysis/interpolate.ts';
import { batchEstimate, batchNorm, batchStatSpan } from '../src/core/models/batchnorm.ts';
import type { BatchStat } from '../src/core/models/model.ts';
import { im2col } from '../src/core/kernels/im2col.ts';
import { dilate, rotateFilter } from '../src/core/kernels/conv-layout.ts';
import {
  type ConvGradients,
  GRADIENTS_AS_CONVOLUTIONS,
  conv2dPadded,
  convGradients,
  filterGradient,
  filterGradientByMatmul,
  patchMatrixFits,
  withConvGradients,
} from '../src/core/models/conv.ts';
import { countParams, disposeParams, initParams, isTrainable } from '../src/core/models/params.ts';
import { resnet20 } from '../src/core/models/resnet.ts';
import { trainStep, updateRunningStats } from '../src/core/train/trainer.ts';
import { syntheticCifar } from './synthetic-cifar.ts';
import { trainBatchNormObjective } from './batchnorm-objective.ts';
import { sgdTrainee, useBackend } from './helpers.ts';

beforeAll(() => useBackend('cpu'));

describe('ResNet-20', () => {
  test('has 272,474 trainable parameters and 274,042 with the BatchNorm running statistics', () => {
    const model = resnet20(16);
    expect(countParams(model.specs.filter(isTrainable))).toBe(272_474);
    expect(countParams(model.specs)).toBe(274_042);
    expect(model.specs.filter((s) => s.prunable).map((s) => s.name)).toContain('fc.weight');
    expect(model.specs.filter((s) => s.prunable && s.name.includes('bn'))).toEqual([]);
    expect(model.specs.find((s) => s.name === 'blocks.3.shortcut.weight')?.shape).toEqual([1, 1, 16, 32]);
  });

  test('a narrow ResNet-20 maps [n, 3072] to [n, 10]; running statistics change in train steps only', () => {
    const model = resnet20(2);
    const params = initParams(model.specs, 1);
    const gamma = [...params.get('bn.weight')!.dataSync()];
    for (const g of gamma) expect(g >= 0 && g < 1).toBe(true);
    expect([...params.get('bn.running_var')!.dataSync()]).toEqual([1, 1]);
    const logits = tf.tidy(() => model.forward(params, tf.ones([2, 3072])));
    expect(logits.shape).toEqual([2, 10]);
    logits.dispose();
    expect([...params.get('bn.running_mean')!.dataSync()]).toEqual([0, 0]);
    const data = syntheticCifar(8, 5);
    const trainee = sgdTrainee(params, 8, 4);
    const before = tf.memory().numTensors;
    trainStep(trainee, model, data, { learningRate: 0.1, milestones: [], gamma: 0.1, warmupSteps: 0 }).dispose();
    const after = tf.memory().numTensors;
    trainStep(trainee, model, data, { learningRate: 0.1, milestones: [], gamma: 0.1, warmupSteps: 0 }).dispose();
    expect(tf.memory().numTensors).toBe(after);
    expect(after - before).toBeGreaterThan(0); // momentum buffers, created once
    const mean = [...params.get('bn.running_mean')!.dataSync()];
    expect(mean.some((m) => m !== 0)).toBe(true);
    const varAfter = [...params.get('blocks.8.bn2.running_var')!.dataSync()];
    expect(varAfter.some((v) => v !== 1)).toBe(true);
    trainee.optimizer.dispose();
    disposeParams(params);
  });
});

/** Every way of computing a convolution's two gradients. */
const ALL_WAYS: ConvGradients[] = (['convolution', 'matmul', 'native'] as const).flatMap((filter) =>
  (['convolution', 'native'] as const).map((input) => ({ filter, input })),
);
const named = (ways: ConvGradients): string => `filter by ${ways.filter}, input by ${ways.input}`;

describe('convolution gradients, every way', () => {
  for (const ways of ALL_WAYS)
    for (const { stride, pad, k, size } of [
      { stride: 1, pad: 1, k: 3, size: 8 },
      { stride: 2, pad: 1, k: 3, size: 8 },
      { stride: 2, pad: 0, k: 1, size: 8 },
      // Odd sizes and a stride of 3: the stride leaves input rows unused at the bottom and right.
      { stride: 2, pad: 1, k: 3, size: 7 },
      { stride: 2, pad: 0, k: 1, size: 7 },
      { stride: 3, pad: 1, k: 3, size: 8 },
    ]) {
      test(`${named(ways)} equals the reference gradient (stride ${stride}, padding ${pad}, ${k}×${k}, input ${size}×${size})`, async () => {
        const x = tf.randomNormal([2, size, size, 3], 0, 1, 'float32', 11) as tf.Tensor4D;
        const w = tf.randomNormal([k, k, 3, 4], 0, 1, 'float32', 12) as tf.Tensor4D;
        const out = Math.floor((size + 2 * pad - k) / stride) + 1;
        const dy = tf.randomNormal([2, out, out, 4], 0, 1, 'float32', 13);
        const ours = await withConvGradients(ways, () =>
          tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv2dPadded(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad), dy)))([x, w]),
        );
        const reference = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(
            tf.mul(
              tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, [
                [0, 0],
                [pad, pad],
                [pad, pad],
                [0, 0],
              ]),
              dy,
            ),
          ),
        )([x, w]);
        for (let i = 0; i < 2; i++) {
          const diff = tf.max(tf.abs(tf.sub(ours[i]!, reference[i]!))).dataSync()[0]!;
          expect(diff).toBeLessThan(1e-4);
        }
        expect(ours[0]!.shape).toEqual([2, size, size, 3]);
        expect(ours[1]!.shape).toEqual([k, k, 3, 4]);
        tf.dispose([x, w, dy, ...ours, ...reference]);
      });
    }
});

describe('ResNet-20 training with each way of computing convolution gradients', () => {
  test('one step changes every weight as the gradients computed as convolutions do, in every way', async () => {
    const model = resnet20(2);
    const data = syntheticCifar(8, 5);
    const schedule = { learningRate: 0.1, milestones: [], gamma: 0.1, warmupSteps: 0 };
    const stepped = (ways: ConvGradients) =>
      withConvGradients(ways, () => {
        const trainee = sgdTrainee(initParams(model.specs, 7), 8, 4);
        trainStep(trainee, model, data, schedule).dispose();
        const values = new Map([...trainee.params].map(([name, t]) => [name, t.dataSync()]));
        trainee.optimizer.dispose();
        disposeParams(trainee.params);
        return values;
      });
    expect(convGradients()).toEqual(GRADIENTS_AS_CONVOLUTIONS);
    const ours = await stepped(GRADIENTS_AS_CONVOLUTIONS);
    for (const ways of ALL_WAYS.slice(1)) {
      const other = await stepped(ways);
      for (const [name, values] of ours) {
        const theirs = other.get(name) ?? new Float32Array();
        expect(Math.max(...values.map((v, i) => Math.abs(v - (theirs[i] ?? Number.NaN)))), `${named(ways)}: ${name}`).toBeLessThan(1e-5);
      }
    }
    // The step moved the first convolution's weights, so the comparison compares gradients.
    const start = initParams(model.specs, 7);
    const moved = ours.get('conv.weight') ?? new Float32Array();
    const initial = start.get('conv.weight')?.dataSync() ?? new Float32Array();
    expect(Math.max(...moved.map((v, i) => Math.abs(v - (initial[i] ?? 0))))).toBeGreaterThan(1e-3);
    disposeParams(start);
  });
});

describe('the input gradient’s rearrangements', () => {
  test('dilate puts stride − 1 zeros between rows and columns, and rotateFilter turns a filter 180° and swaps its channels', () => {
    const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    const d = dilate(x, 2);
    expect(d.shape).toEqual([1, 3, 3, 1]);
    expect([...d.dataSync()]).toEqual([1, 0, 2, 0, 0, 0, 3, 0, 4]);
    // w[i, j, 0, o]: [1, 2] at (0, 0), [3, 4] at (0, 1), [5, 6] at (1, 0), [7, 8] at (1, 1).
    const w = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 1, 2]);
    const r = rotateFilter(w);
    expect(r.shape).toEqual([2, 2, 2, 1]);
    expect([...r.dataSync()]).toEqual([7, 8, 5, 6, 3, 4, 1, 2]);
    tf.dispose([x, d, w, r]);
  });
});

describe('the filter gradient as matrix products', () => {
  test('im2col lays the patches of a padded 3×3 input out as rows, zeros outside', () => {
    // One image, 3×3, one channel, values 1…9; a 2×2 filter, stride 2, padding 1: output 2×2.
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const patches = im2col(x, { kh: 2, kw: 2, stride: 2, pad: 1, ho: 2, wo: 2 });
    expect(patches.shape).toEqual([4, 4]);
    // Row (y, x) holds Xpad[2y + i, 2x + j] at column 2i + j; Xpad is x with a border of zeros.
    expect(patches.arraySync()).toEqual([
      [0, 0, 0, 1],
      [0, 0, 2, 3],
      [0, 4, 0, 7],
      [5, 6, 8, 9],
    ]);
    tf.dispose([x, patches]);
  });

  test('the patch matrix stays within WebGPU’s default 128 MiB binding, or the gradient is a convolution', () => {
    // ResNet-20's first stage at batch 128: 131,072 rows × 144 columns × 4 bytes = 75.5 MB.
    expect(patchMatrixFits([128, 32, 32, 16], [3, 3, 16, 16])).toBe(true);
    // VGG-16's second convolution at width 64: 131,072 × 576 × 4 = 302 MB.
    expect(patchMatrixFits([128, 32, 32, 64], [3, 3, 64, 64])).toBe(false);
    // Exactly 128 MiB fits: 8,192 rows × 4,096 columns × 4 bytes.
    expect(patchMatrixFits([8, 32, 32, 1], [4, 4, 256, 1])).toBe(true);
    expect(patchMatrixFits([8, 32, 32, 1], [4, 4, 257, 1])).toBe(false);
  });

  test('splitting the sum into products over groups of images gives the same gradient (8 images, 2 groups of 4)', () => {
    // 8 images of 32×32: 8,192 rows, so 2 products of 4,096 rows each, then their sum.
    const x = tf.randomNormal([8, 32, 32, 2], 0, 1, 'float32', 31) as tf.Tensor4D;
    const dy = tf.randomNormal([8, 32, 32, 3], 0, 1, 'float32', 32) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const split = filterGradientByMatmul(x, dy, [3, 3, 2, 3], 1, 1);
    expect(tf.memory().numTensors - before).toBe(1); // the gradient alone: no intermediate left
    const reference = filterGradient(x, dy, [3, 3, 2, 3], 1, 1);
    expect(split.shape).toEqual([3, 3, 2, 3]);
    expect(tf.max(tf.abs(tf.sub(split, reference))).dataSync()[0]).toBeLessThan(1e-3);
    tf.dispose([x, dy, split, reference]);
  });
});

describe('train-mode BatchNorm', () => {
  test('matches BatchNorm written from primitive ops: output, gradients and batch statistics', () => {
    const x = tf.randomNormal([4, 3, 3, 5], 1, 2, 'float32', 21) as tf.Tensor4D;
    const gamma = tf.randomUniform([5], 0, 1, 'float32', 22);
    const beta = tf.randomNormal([5], 0, 1, 'float32', 23);
    const dy = tf.randomNormal([4, 3, 3, 5], 0, 1, 'float32', 24);
    const params = new Map([
      ['bn.weight', gamma],
      ['bn.bias', beta],
    ]);
    const stats = new Map<string, BatchStat>();
    const ours = tf.grads(trainBatchNormObjective(dy, stats))([x, gamma, beta]);
    const primitive = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor => {
      const mean = tf.mean(a, [0, 1, 2]);
      const variance = tf.mean(tf.square(tf.sub(a, mean)), [0, 1, 2]);
      return tf.add(tf.mul(tf.sub(a, mean), tf.mul(g, tf.rsqrt(tf.add(variance, 1e-5)))), b);
    };
    const reference = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(primitive(a, g, b), dy)))([x, gamma, beta]);
    for (let i = 0; i < 3; i++) expect(tf.max(tf.abs(tf.sub(ours[i]!, reference[i]!))).dataSync()[0]).toBeLessThan(1e-4);
    const value = batchNorm(x, params, 'bn', { mode: 'train' });
    expect(tf.max(tf.abs(tf.sub(value, primitive(x, gamma, beta)))).dataSync()[0]).toBeLessThan(1e-5);
    // Running-statistics estimates: the batch mean and the unbiased variance (n = 4·3·3 = 36).
    const mean = tf.mean(x, [0, 1, 2]);
    expect(stats.get('bn.running_mean')?.scale).toBe(1);
    expect(stats.get('bn.running_var')?.scale).toBe(36 / 35);
    expect(tf.max(tf.abs(tf.sub(stats.get('bn.running_mean')!.value, mean))).dataSync()[0]).toBeLessThan(1e-5);
    const unbiased = tf.mul(tf.mean(tf.square(tf.sub(x, mean)), [0, 1, 2]), 36 / 35);
    expect(tf.max(tf.abs(tf.sub(tf.mul(stats.get('bn.running_var')!.value, stats.get('bn.running_var')!.scale), unbiased))).dataSync()[0]).toBeLessThan(1e-5);
    tf.dispose([x, gamma, beta, dy, ...ours, ...reference, value, mean, unbiased, ...[...stats.values()].map((s) => s.value)]);
  });

  test('a running buffer moves towards one part of statistics given end to end (webgpu’s mean and variance in one tensor) as towards that part alone', () => {
    const value = tf.tensor1d([1, 2, 3, 4, 5, 6]);
    const stat: BatchStat = { value, scale: 2, part: { index: 1, of: 2 } };
    expect(batchStatSpan(stat)).toEqual({ offset: 3, size: 3 });
    expect([...tf.tidy(() => batchEstimate(stat)).dataSync()]).toEqual([8, 10, 12]);
    const buffer = tf.variable(tf.tensor1d([10, 20, 30]), false);
    // running ← 0.9·running + 0.1·(2·[4, 5, 6])
    updateRunningStats(new Map([['bn.running_var', buffer]]), new Map([['bn.running_var', stat]]), 0.1);
    expect([...buffer.dataSync()].map((v) => Number(v.toFixed(5)))).toEqual([9.8, 19, 28.2]);
    expect(value.isDisposed).toBe(true);
    buffer.dispose();
  });

  test('leaves no tensor behind in train mode, with and without batch statistics', () => {
    const x = tf.randomNormal([2, 2, 2, 3]) as tf.Tensor4D;
    const params = new Map([
      ['bn.weight', tf.ones([3])],
      ['bn.bias', tf.zeros([3])],
    ]);
    const before = tf.memory().numTensors;
    tf.tidy(() => batchNorm(x, params, 'bn', { mode: 'train' })).dispose();
    expect(tf.memory().numTensors).toBe(before);
    const stats = new Map<string, BatchStat>();
    tf.tidy(() => batchNorm(x, params, 'bn', { mode: 'train', batchStats: stats })).dispose();
    expect(tf.memory().numTensors).toBe(before + 2);
    tf.dispose([x, ...params.values(), ...[...stats.values()].map((s) => s.value)]);
  });
});

describe('BatchNorm along the path', () => {
  test('interpolate gives the endpoints exactly; recompute replaces the running statistics', () => {
    const model = resnet20(2);
    const a = initParams(model.specs, 1);
    const b = initParams(model.specs, 2);
    for (const [name, t] of b) if (name.endsWith('running_var')) t.assign(tf.fill(t.shape, 3));
    const at1 = interpolateParams(a, b, 1);
    expect([...at1.get('bn.running_var')!.dataSync()]).toEqual([3, 3]);
    const at0 = interpolateParams(a, b, 0);
    expect([...at0.get('bn.running_var')!.dataSync()]).toEqual([1, 1]);
    const mid = interpolateParams(a, b, 0.5);
    expect([...mid.get('bn.running_var')!.dataSync()]).toEqual([2, 2]);
    const before = tf.memory().numTensors;
    recomputeBatchNormStats(model, mid, syntheticCifar(8, 3), 2, 4);
    expect(tf.memory().numTensors).toBe(before);
    const recomputed = [...mid.get('bn.running_var')!.dataSync()];
    expect(recomputed).not.toEqual([2, 2]);
    expect([...mid.get('bn.weight')!.dataSync()]).toEqual(
      [...at0.get('bn.weight')!.dataSync()].map((v, i) => (v + b.get('bn.weight')!.dataSync()[i]!) / 2).map((v) => Math.fround(v)),
    );
    for (const p of [a, b, at0, at1, mid]) disposeParams(p);
  });
});

describe('distances between networks', () => {
  test('count the weights and leave out BatchNorm running statistics', async () => {
    const { paramDistances } = await import('../src/core/analysis/distances.ts');
    const model = resnet20(2);
    const a = initParams(model.specs, 1);
    const b = initParams(model.specs, 1);
    tf.tidy(() => b.get('bn.running_var')!.assign(tf.fill([2], 5)));
    expect((await paramDistances(a, b)).l2).toBe(0);
    tf.tidy(() => b.get('fc.bias')!.assign(tf.add(b.get('fc.bias')!, tf.tensor1d([3, 4, 0, 0, 0, 0, 0, 0, 0, 0]))));
    expect((await paramDistances(a, b)).l2).toBeCloseTo(5, 5);
    disposeParams(a);
    disposeParams(b);
  });
});
