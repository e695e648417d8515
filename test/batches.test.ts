import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { makeBatch } from '../src/core/data/dataset.ts';
import { Rng } from '../src/core/rng.ts';
import { batchSourceFor, hostBatches } from '../src/core/train/batches.ts';
import { realMnist, useBackend } from './helpers.ts';
import { syntheticCifar } from './synthetic-cifar.ts';

beforeAll(() => useBackend('cpu'));

describe('training batches of networks side by side', () => {
  test('CIFAR-10: each copy’s augmented image in its own channels of every pixel, its labels in its own rows', () => {
    const data = syntheticCifar(12, 4);
    const seeds = [11, 12];
    const parts = [
      { indices: [3, 7, 1], augment: new Rng(11) },
      { indices: [5, 0, 9], augment: new Rng(12) },
    ];
    const wide = hostBatches(data).batch(parts, 3);
    expect(wide.x.shape).toEqual([3, 2 * 3072]);
    // The same draws apart: generators with the same seeds.
    const apart = parts.map((p, c) => makeBatch(data, p.indices, new Rng(seeds[c] ?? 0)));
    const x = wide.x.dataSync();
    const [a, b] = apart.map((batch) => batch.x.dataSync());
    // Example 2, pixel 500 (row 15, column 20), channel 1 of each copy: 3 values per pixel per copy.
    for (const [copy, own] of [a, b].entries()) {
      for (const [i, pixel, c] of [
        [2, 500, 1],
        [0, 0, 0],
        [1, 1023, 2],
      ] as const) {
        expect(x[i * 6144 + (pixel * 2 + copy) * 3 + c]).toBe(own?.[i * 3072 + pixel * 3 + c]);
      }
    }
    // Whole check: every value of copy 2's batch in its place.
    let mismatches = 0;
    for (let i = 0; i < 3; i++)
      for (let p = 0; p < 1024; p++) for (let c = 0; c < 3; c++) if (x[i * 6144 + (p * 2 + 1) * 3 + c] !== b?.[i * 3072 + p * 3 + c]) mismatches++;
    expect(mismatches).toBe(0);
    expect(Array.from(wide.y.dataSync())).toEqual([data.labels[3], data.labels[5], data.labels[7], data.labels[0], data.labels[1], data.labels[9]]);
    tf.dispose([wide.x, wide.y, ...apart.flatMap((batch) => [batch.x, batch.y])]);
    expect(tf.memory().numTensors).toBe(0);
  });

  test('MNIST: each copy’s whole image after the other’s; one part is makeBatch’s batch; the cpu backend builds batches on the host', async () => {
    const mnist = await realMnist();
    const parts = [
      { indices: [10, 20], augment: null },
      { indices: [30, 40], augment: null },
    ];
    const source = batchSourceFor(mnist.train);
    const wide = source.batch(parts, 784);
    const first = makeBatch(mnist.train, [10, 20]);
    const second = makeBatch(mnist.train, [30, 40]);
    const x = wide.x.arraySync() as number[][];
    const [f, s] = [first.x.arraySync() as number[][], second.x.arraySync() as number[][]];
    expect(x[1]).toEqual([...(f[1] ?? []), ...(s[1] ?? [])]);
    const one = hostBatches(mnist.train).batch([parts[0] as (typeof parts)[number]], 784);
    expect(one.x.arraySync()).toEqual(f);
    expect(Array.from(one.y.dataSync())).toEqual(Array.from(first.y.dataSync()));
    source.dispose();
    tf.dispose([wide.x, wide.y, first.x, first.y, second.x, second.y, one.x, one.y]);
    expect(tf.memory().numTensors).toBe(0);
    expect(() => hostBatches(mnist.train).batch(parts, 5)).toThrow(/interleaves by 1 channels or 784 pixels, not 5/);
  });
});
