import { gzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { baseName, gunzip, untar } from '../src/core/data/archive.ts';
import { CIFAR_FILES, CIFAR_RECORD_BYTES, parseCifar10, parseCifarBatch } from '../src/core/data/cifar.ts';
import { CROP_PADDING, makeBatch } from '../src/core/data/dataset.ts';
import { DataOrder } from '../src/core/data/order.ts';
import { Rng } from '../src/core/rng.ts';
import { binaryFile, tarOf } from './archives.ts';
import { PUBLIC_CIFAR_DIR, checkCifarDigests, readCifarFiles } from '../src/node/cifar-files.ts';
import { useBackend } from './helpers.ts';
import { syntheticCifar } from './synthetic-cifar.ts';

beforeAll(() => useBackend('cpu'));

describe('CIFAR-10 binary format', () => {
  test('records split into labels and channel-major pixels', () => {
    const bytes = binaryFile(3, 1);
    const batch = parseCifarBatch(bytes, 'x.bin', 3);
    expect(batch.count).toBe(3);
    expect(batch.labels[1]).toBe(bytes[CIFAR_RECORD_BYTES]);
    expect(batch.pixels[3072 + 5]).toBe(bytes[CIFAR_RECORD_BYTES + 1 + 5]);
  });

  test('truncated files, wrong counts and bad labels are named', () => {
    expect(() => parseCifarBatch(binaryFile(2, 1).subarray(0, 5000), 'data_batch_3.bin', 2)).toThrow(
      'data_batch_3.bin: 5000 bytes is not a whole number of 3073-byte records (truncated or not a CIFAR-10 binary file)',
    );
    expect(() => parseCifarBatch(binaryFile(2, 1), 'test_batch.bin')).toThrow('test_batch.bin: 2 records, expected 10000');
    const bad = binaryFile(2, 1);
    bad[CIFAR_RECORD_BYTES] = 12;
    expect(() => parseCifarBatch(bad, 'data_batch_1.bin', 2)).toThrow('data_batch_1.bin: label 12 in record 1 is not a class 0–9');
    expect(() => parseCifar10(new Map([['data_batch_1.bin', binaryFile(2, 1)]]), 2)).toThrow('data_batch_2.bin: missing');
  });

  test('a gzipped tar of the six files unpacks and parses, in the official layout', async () => {
    const files = new Map(CIFAR_FILES.map((f, i) => [f, binaryFile(4, i)]));
    const archive = new Uint8Array(gzipSync(tarOf(files)));
    const members = untar(await gunzip(archive, 'cifar-10-binary.tar.gz'), 'cifar-10-binary.tar.gz');
    const byName = new Map([...members].map(([path, data]) => [baseName(path), data]));
    const cifar = parseCifar10(byName, 4);
    expect(cifar.train.count).toBe(20);
    expect(cifar.test.count).toBe(4);
    expect(cifar.train.augmentation).toBe('crop4-flip');
    expect(cifar.test.augmentation).toBe('none');
    expect(cifar.test.labels[0]).toBe(files.get('test_batch.bin')![0]);
  });

  test('a corrupt archive gives a message naming it', async () => {
    await expect(gunzip(new Uint8Array([1, 2, 3]), 'cifar.tgz')).rejects.toThrow('cifar.tgz: not a gzip file');
    await expect(gunzip(new Uint8Array(gzipSync(new Uint8Array(5000))).subarray(0, 30), 'cut.tgz')).rejects.toThrow(
      'cut.tgz: gzip data is corrupt or truncated',
    );
    const tar = tarOf(new Map([['data_batch_1.bin', new Uint8Array(100)]]));
    tar[10] = (tar[10] ?? 0) ^ 1;
    expect(() => untar(tar, 'x.tar')).toThrow('x.tar: tar header at byte 0 has a bad checksum');
    expect(() => untar(tarOf(new Map([['a', new Uint8Array(1000)]])).subarray(0, 700), 'y.tar')).toThrow('y.tar: member cifar-10-batches-bin/a is truncated');
  });

  test('the prepared real files (npm run data:cifar) match the official MD5s and have 50,000 / 10,000 images', async () => {
    const files = await readCifarFiles(PUBLIC_CIFAR_DIR);
    checkCifarDigests(files, PUBLIC_CIFAR_DIR);
    const cifar = parseCifar10(files);
    expect(cifar.train.count).toBe(50_000);
    expect(cifar.test.count).toBe(10_000);
    const counts = new Array(10).fill(0);
    for (const l of cifar.test.labels) counts[l]++;
    expect(counts).toEqual(new Array(10).fill(1000));
  });
});

describe('augmentation (random crop with 4-pixel zero padding, horizontal flip)', () => {
  const data = syntheticCifar(6, 9);
  const pixel = (row: Float32Array, r: number, c: number, ch: number) => row[(r * 32 + c) * 3 + ch]!;
  const normalised = (v: number, ch: number) => Math.fround(v * (1 / (255 * data.channelStd[ch]!)) - data.channelMean[ch]! / data.channelStd[ch]!);

  test('is reproducible from a seed, differs across seeds, and the noise seed drives it', () => {
    const a = makeBatch(data, [0, 1, 2], new Rng(5));
    const b = makeBatch(data, [0, 1, 2], new Rng(5));
    const c = makeBatch(data, [0, 1, 2], new Rng(6));
    expect([...a.x.dataSync()]).toEqual([...b.x.dataSync()]);
    expect([...a.x.dataSync()]).not.toEqual([...c.x.dataSync()]);
    const o1 = new DataOrder(1, 6, 2);
    const o2 = new DataOrder(2, 6, 2);
    expect(o1.augmentationRng(3).nextUint32()).toBe(new DataOrder(1, 6, 2).augmentationRng(3).nextUint32());
    expect(o1.augmentationRng(3).nextUint32()).not.toBe(o2.augmentationRng(3).nextUint32());
    tf.dispose([a.x, a.y, b.x, b.y, c.x, c.y]);
  });

  test('every pixel comes from the shifted (and possibly mirrored) image or the black border', () => {
    const rng = new Rng(21);
    const draws = new Rng(21);
    const batch = makeBatch(data, [4, 5], rng);
    const x = batch.x.dataSync() as Float32Array;
    for (let i = 0; i < 2; i++) {
      const dy = draws.nextInt(2 * CROP_PADDING + 1) - CROP_PADDING;
      const dx = draws.nextInt(2 * CROP_PADDING + 1) - CROP_PADDING;
      const flip = draws.nextInt(2) === 1;
      expect(Math.abs(dy)).toBeLessThanOrEqual(4);
      const row = x.subarray(i * 3072, (i + 1) * 3072);
      for (const [r, c] of [
        [0, 0],
        [5, 31],
        [31, 7],
        [16, 16],
      ] as const) {
        for (let ch = 0; ch < 3; ch++) {
          const sr = r + dy;
          const sc = (flip ? 31 - c : c) + dx;
          const inside = sr >= 0 && sr < 32 && sc >= 0 && sc < 32;
          const raw = inside ? data.pixels[(4 + i) * 3072 + ch * 1024 + sr * 32 + sc]! : 0;
          expect(pixel(row, r, c, ch)).toBe(normalised(raw, ch));
        }
      }
    }
    tf.dispose([batch.x, batch.y]);
  });

  test('without augmentation, rows are the image in HWC order, exactly', () => {
    const batch = makeBatch(data, [3]);
    const row = batch.x.dataSync() as Float32Array;
    expect(pixel(row, 2, 9, 1)).toBe(normalised(data.pixels[3 * 3072 + 1024 + 2 * 32 + 9]!, 1));
    expect([...batch.y.dataSync()]).toEqual([data.labels[3]]);
    tf.dispose([batch.x, batch.y]);
  });
});
