import { describe, expect, test } from 'vitest';
import { DataFormatError, parseIdx } from '../src/core/data/idx.ts';

function idx(dims: number[], payload: number[]): Uint8Array {
  const header = new Uint8Array(4 + 4 * dims.length);
  const view = new DataView(header.buffer);
  view.setUint8(2, 0x08);
  view.setUint8(3, dims.length);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  const out = new Uint8Array(header.length + payload.length);
  out.set(header);
  out.set(payload, header.length);
  return out;
}

describe('parseIdx', () => {
  test('reads dimensions and payload of a hand-built file', () => {
    const parsed = parseIdx(idx([2, 3], [1, 2, 3, 4, 5, 6]), 'x.idx', [2, 3]);
    expect(parsed.dims).toEqual([2, 3]);
    expect([...parsed.data]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  test('a truncated file names the file and the shortfall', () => {
    expect(() => parseIdx(idx([2, 3], [1, 2, 3]), 'train-images-idx3-ubyte')).toThrow(
      'train-images-idx3-ubyte: truncated: header promises 6 bytes of data for dimensions 2×3, file holds 3',
    );
  });

  test('rejects a wrong magic number, element type, dimensions and trailing bytes', () => {
    const bad = idx([2], [1, 2]);
    bad[0] = 1;
    expect(() => parseIdx(bad, 'f')).toThrow(DataFormatError);
    const float = idx([2], [1, 2]);
    float[2] = 0x0d;
    expect(() => parseIdx(float, 'f')).toThrow('f: IDX element type 0xd is not unsigned byte (0x08)');
    expect(() => parseIdx(idx([2], [1, 2]), 'f', [3])).toThrow('f: dimensions 2, expected 3');
    expect(() => parseIdx(idx([2], [1, 2, 3]), 'f')).toThrow('f: 1 unexpected trailing bytes after the data');
    expect(() => parseIdx(new Uint8Array(2), 'tiny')).toThrow('tiny: only 2 bytes, too short for an IDX header');
  });
});
