/** Thrown when a data file is not what it claims to be; the message names the file and the fault. */
export class DataFormatError extends Error {
  /** @param file the file's name as the user knows it; @param problem what was wrong with it. */
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'DataFormatError';
  }
}

/** A parsed IDX file of unsigned bytes: its dimensions and a view of its payload (not copied). */
export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

const UNSIGNED_BYTE = 0x08;

/**
 * Parses an IDX file (LeCun's MNIST format: magic 0x0000 08 NN, NN big-endian uint32 sizes,
 * then the bytes). Only the unsigned-byte type is accepted. `expectedDims`, where given, must
 * match exactly. Throws {@link DataFormatError} naming `file` on any mismatch or truncation.
 */
export function parseIdx(bytes: Uint8Array, file: string, expectedDims?: readonly number[]): IdxArray {
  if (bytes.byteLength < 4) throw new DataFormatError(file, `only ${bytes.byteLength} bytes, too short for an IDX header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint16(0) !== 0) throw new DataFormatError(file, 'not an IDX file (the magic number does not start with two zero bytes)');
  const type = view.getUint8(2);
  if (type !== UNSIGNED_BYTE) throw new DataFormatError(file, `IDX element type 0x${type.toString(16)} is not unsigned byte (0x08)`);
  const rank = view.getUint8(3);
  const headerBytes = 4 + 4 * rank;
  if (rank === 0 || bytes.byteLength < headerBytes) throw new DataFormatError(file, `truncated IDX header (rank ${rank})`);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i));
  const count = dims.reduce((a, b) => a * b, 1);
  const payload = bytes.byteLength - headerBytes;
  if (payload < count) {
    throw new DataFormatError(file, `truncated: header promises ${count} bytes of data for dimensions ${dims.join('×')}, file holds ${payload}`);
  }
  if (payload > count) throw new DataFormatError(file, `${payload - count} unexpected trailing bytes after the data`);
  if (expectedDims && (expectedDims.length !== dims.length || expectedDims.some((d, i) => d !== dims[i]))) {
    throw new DataFormatError(file, `dimensions ${dims.join('×')}, expected ${expectedDims.join('×')}`);
  }
  return { dims, data: bytes.subarray(headerBytes, headerBytes + count) };
}
