import { CIFAR_RECORD_BYTES } from '../src/core/data/cifar.ts';
import { Rng } from '../src/core/rng.ts';

/** A file in the official layout: label byte, 1024 R, 1024 G, 1024 B per record. */
export function binaryFile(records: number, seed: number): Uint8Array {
  const rng = new Rng(seed);
  const out = new Uint8Array(records * CIFAR_RECORD_BYTES);
  for (let r = 0; r < records; r++) {
    out[r * CIFAR_RECORD_BYTES] = rng.nextInt(10);
    for (let p = 1; p < CIFAR_RECORD_BYTES; p++) out[r * CIFAR_RECORD_BYTES + p] = rng.nextInt(256);
  }
  return out;
}

/** A ustar archive holding `files` under `cifar-10-batches-bin/`. */
export function tarOf(files: ReadonlyMap<string, Uint8Array>): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [name, data] of files) {
    const header = new Uint8Array(512);
    const enc = new TextEncoder();
    header.set(enc.encode(`cifar-10-batches-bin/${name}`), 0);
    header.set(enc.encode('0000644\0'), 100);
    header.set(enc.encode(`${data.length.toString(8).padStart(11, '0')}\0`), 124);
    header[156] = '0'.charCodeAt(0);
    header.set(enc.encode('ustar\0'), 257);
    header.fill(32, 148, 156);
    const sum = header.reduce((a, b) => a + b, 0);
    header.set(enc.encode(`${sum.toString(8).padStart(6, '0')}\0 `), 148);
    parts.push(header, data, new Uint8Array((512 - (data.length % 512)) % 512));
  }
  parts.push(new Uint8Array(1024));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
