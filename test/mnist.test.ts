import { describe, expect, test } from 'vitest';
import { MNIST_FILES, parseMnist } from '../src/core/data/mnist.ts';
import { PUBLIC_MNIST_DIR, checkMnistDigests, readMnistFiles } from '../src/node/mnist-files.ts';

describe('real MNIST (official 60k/10k split)', async () => {
  const files = await readMnistFiles(PUBLIC_MNIST_DIR);

  test('the prepared files carry the official MD5s', () => {
    expect(() => checkMnistDigests(files, PUBLIC_MNIST_DIR)).not.toThrow();
  });

  test('sizes, first training labels and test label counts match the reference', () => {
    const { train, test: testSplit } = parseMnist(files);
    expect(train.count).toBe(60000);
    expect(testSplit.count).toBe(10000);
    expect([...train.labels.subarray(0, 5)]).toEqual([5, 0, 4, 1, 9]);
    const counts = new Array(10).fill(0);
    for (const l of testSplit.labels) counts[l]++;
    expect(counts).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  });

  test('a truncated image file is rejected with its name', () => {
    const truncated = { ...files, testImages: files.testImages.subarray(0, 1000) };
    expect(() => parseMnist(truncated)).toThrow(`${MNIST_FILES.testImages}: truncated`);
  });

  test('a corrupted label is rejected with its file and index', () => {
    const labels = files.trainLabels.slice();
    labels[8 + 3] = 42;
    expect(() => parseMnist({ ...files, trainLabels: labels })).toThrow(`${MNIST_FILES.trainLabels}: label 42 at index 3 is not a digit 0–9`);
  });

  test('swapped files are caught by their dimensions', () => {
    expect(() => parseMnist({ ...files, trainImages: files.testImages })).toThrow('dimensions 10000×28×28, expected 60000×28×28');
  });
});
