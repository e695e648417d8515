import { DataFormatError } from './idx.ts';

/** Gunzips `bytes` with the platform's DecompressionStream (browsers, workers and Node ≥ 18). */
export async function gunzip(bytes: Uint8Array, file: string): Promise<Uint8Array> {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) throw new DataFormatError(file, 'not a gzip file (bad magic bytes)');
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (error) {
    throw new DataFormatError(file, `gzip data is corrupt or truncated (${(error as Error).message})`);
  }
}

function readString(block: Uint8Array, start: number, length: number): string {
  const end = block.subarray(start, start + length).indexOf(0);
  return new TextDecoder().decode(block.subarray(start, end === -1 ? start + length : start + end));
}

/**
 * Lists the regular files of a POSIX (ustar) tar archive: name (prefix joined) → contents,
 * as views into `bytes`. Throws {@link DataFormatError} for a bad header checksum or a
 * truncated member.
 */
export function untar(bytes: Uint8Array, file: string): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  let offset = 0;
  while (offset + 512 <= bytes.byteLength) {
    const header = bytes.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const stored = parseInt(readString(header, 148, 8).trim() || '0', 8);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : (header[i] ?? 0);
    if (sum !== stored) throw new DataFormatError(file, `tar header at byte ${offset} has a bad checksum (not a tar archive, or corrupt)`);
    const name = readString(header, 0, 100);
    const prefix = readString(header, 345, 155);
    const size = parseInt(readString(header, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] ?? 0);
    const start = offset + 512;
    if (start + size > bytes.byteLength) throw new DataFormatError(file, `member ${name} is truncated (${bytes.byteLength - start} of ${size} bytes)`);
    if (type === '0' || type === '\0') out.set(prefix ? `${prefix}/${name}` : name, bytes.subarray(start, start + size));
    offset = start + Math.ceil(size / 512) * 512;
  }
  return out;
}

/** The base name of a path inside an archive. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
