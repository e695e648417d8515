import type { ImageDataset } from './dataset.ts';
import { type Md5Hex, checkDigests, md5Hex } from './digest.ts';
import { DataFormatError } from './idx.ts';

/** Bytes of one record of the official binary format: 1 label byte, then 1024 R, 1024 G, 1024 B. */
export const CIFAR_RECORD_BYTES = 3073;
/** Records in each of the six official files. */
export const CIFAR_RECORDS_PER_FILE = 10_000;
/** The official file names, in order (five training batches, then the test batch). */
export const CIFAR_TRAIN_FILES = ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'] as const;
/** The official test file name. */
export const CIFAR_TEST_FILE = 'test_batch.bin';
/** Every official file name. */
export const CIFAR_FILES = [...CIFAR_TRAIN_FILES, CIFAR_TEST_FILE] as const;
/** A CIFAR-10 file name. */
export type CifarFile = (typeof CIFAR_FILES)[number];

/** Official MD5 digests of the six binary files (reference.md). */
export const CIFAR_MD5: Record<CifarFile, string> = {
  'data_batch_1.bin': '5dd7e06a14cb22eb9f671a540d1b7c25',
  'data_batch_2.bin': '5ea93a67294ea407fff1d09f752e9692',
  'data_batch_3.bin': '942cd6a4bcdd0dd3c604fbe906cb4421',
  'data_batch_4.bin': 'ae636b3ba5c66a11e91e8cb52e771fcb',
  'data_batch_5.bin': '53f37980c15c3d472c316c40844f3f0d',
  'test_batch.bin': '803d5f7f4d78ea53de84dbe85f74fb6d',
};

/** open_lth's CIFAR-10 normalisation (ImageNet statistics), per RGB channel. */
export const CIFAR_NORMALIZATION = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] } as const;

/** One parsed binary file: its labels and pixels (channel-major per image, 3072 bytes each). */
export interface CifarBatch {
  readonly count: number;
  readonly labels: Uint8Array;
  readonly pixels: Uint8Array;
}

/**
 * Parses one file of the official binary format. Throws {@link DataFormatError} naming `file`
 * when its size is not a whole number of records, the record count is not `expectedRecords`
 * (10,000 for the official files; null accepts any), or a label is not a class 0–9.
 */
export function parseCifarBatch(bytes: Uint8Array, file: string, expectedRecords: number | null = CIFAR_RECORDS_PER_FILE): CifarBatch {
  if (bytes.byteLength % CIFAR_RECORD_BYTES !== 0) {
    throw new DataFormatError(
      file,
      `${bytes.byteLength} bytes is not a whole number of ${CIFAR_RECORD_BYTES}-byte records (truncated or not a CIFAR-10 binary file)`,
    );
  }
  const count = bytes.byteLength / CIFAR_RECORD_BYTES;
  if (expectedRecords !== null && count !== expectedRecords) throw new DataFormatError(file, `${count} records, expected ${expectedRecords}`);
  const labels = new Uint8Array(count);
  const pixels = new Uint8Array(count * 3072);
  for (let i = 0; i < count; i++) {
    const offset = i * CIFAR_RECORD_BYTES;
    const label = bytes[offset] ?? 0;
    if (label > 9) throw new DataFormatError(file, `label ${label} in record ${i} is not a class 0–9`);
    labels[i] = label;
    pixels.set(bytes.subarray(offset + 1, offset + CIFAR_RECORD_BYTES), i * 3072);
  }
  return { count, labels, pixels };
}

function concatBatches(batches: readonly CifarBatch[]): { labels: Uint8Array; pixels: Uint8Array; count: number } {
  const count = batches.reduce((n, b) => n + b.count, 0);
  const labels = new Uint8Array(count);
  const pixels = new Uint8Array(count * 3072);
  let n = 0;
  for (const b of batches) {
    labels.set(b.labels, n);
    pixels.set(b.pixels, n * 3072);
    n += b.count;
  }
  return { labels, pixels, count };
}

function split(name: string, batches: readonly CifarBatch[], augment: boolean): ImageDataset {
  return {
    name,
    ...concatBatches(batches),
    pixelsPerImage: 3072,
    channels: 3,
    height: 32,
    width: 32,
    numClasses: 10,
    channelMean: CIFAR_NORMALIZATION.mean,
    channelStd: CIFAR_NORMALIZATION.std,
    augmentation: augment ? 'crop4-flip' : 'none',
  };
}

/** Both CIFAR-10 splits. */
export interface Cifar10 {
  readonly train: ImageDataset;
  readonly test: ImageDataset;
}

/**
 * Builds the 50,000/10,000 splits from the six official files' bytes (keyed by file name).
 * The training split carries the paper's augmentation (random 4-pixel-padded crop and flip).
 * Throws {@link DataFormatError} naming a missing or malformed file.
 */
export function parseCifar10(files: ReadonlyMap<string, Uint8Array>, expectedRecords: number | null = CIFAR_RECORDS_PER_FILE): Cifar10 {
  const parse = (file: CifarFile): CifarBatch => {
    const bytes = files.get(file);
    if (!bytes) throw new DataFormatError(file, 'missing from the CIFAR-10 files provided');
    return parseCifarBatch(bytes, file, expectedRecords);
  };
  return { train: split('cifar-10 train', CIFAR_TRAIN_FILES.map(parse), true), test: split('cifar-10 test', [parse(CIFAR_TEST_FILE)], false) };
}

/**
 * Throws {@link DataFormatError} unless all six files are the official ones (MD5): a copy with
 * changed labels or pixels of the right size is never trained on or cached. `label` names a file
 * as the user knows it (a path, an archive member).
 */
export function verifyCifar10(files: ReadonlyMap<string, Uint8Array>, label: (file: string) => string, hash: Md5Hex = md5Hex): void {
  checkDigests(files, CIFAR_MD5, label, hash);
}
