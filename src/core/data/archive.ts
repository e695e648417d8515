import { DataFormatError } from './idx.ts';

/** What the first bytes of a file say it is. */
export type ArchiveKind = 'gzip' | 'tar' | 'other';

/** True when `block` (the first 512 bytes of a file) is a tar header with a valid checksum. */
function isTarHeader(block: Uint8Array): boolean {
  if (block.byteLength < 512 || block.subarray(0, 512).every((b) => b === 0)) return false;
  return headerChecksum(block) === parseInt(readString(block, 148, 8).trim() || 'x', 8);
}

/**
 * Tells gzip from tar from anything else by the first bytes (at least 512 for tar), never by the
 * name: a `.tar.gz` served with `Content-Encoding: gzip` arrives already unpacked as a tar.
 */
export function sniffArchive(head: Uint8Array): ArchiveKind {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  return isTarHeader(head) ? 'tar' : 'other';
}

/** Joins byte chunks into one array of `total` bytes. */
export function concatBytes(chunks: readonly Uint8Array[], total: number = chunks.reduce((n, c) => n + c.byteLength, 0)): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

/** Thrown when data unpacks to more than the most it can honestly be. */
export class TooLargeError extends DataFormatError {}

/**
 * Decompresses `bytes` (`gzip` or `deflate-raw`) with the platform's DecompressionStream
 * (browsers, workers and Node ≥ 18), stopping as soon as the output passes `maxBytes`, so a
 * compression bomb never fills memory. Throws {@link TooLargeError} past the cap and
 * {@link DataFormatError} for corrupt or truncated data, naming `file`.
 */
export async function inflate(
  bytes: Uint8Array,
  format: 'gzip' | 'deflate-raw',
  file: string,
  maxBytes: number = Number.POSITIVE_INFINITY,
): Promise<Uint8Array> {
  const reader = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream(format)).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel();
        throw new TooLargeError(file, `unpacks to more than ${(maxBytes / 1e6).toFixed(0)} MB, more than it can honestly be`);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof DataFormatError) throw error;
    throw new DataFormatError(file, `${format === 'gzip' ? 'gzip' : 'compressed'} data is corrupt or truncated (${(error as Error).message})`);
  }
  return concatBytes(chunks, total);
}

/** Gunzips `bytes` (see {@link inflate}), first checking the gzip magic bytes. */
export async function gunzip(bytes: Uint8Array, file: string, maxBytes: number = Number.POSITIVE_INFINITY): Promise<Uint8Array> {
  if (sniffArchive(bytes) !== 'gzip') throw new DataFormatError(file, 'not a gzip file (bad magic bytes)');
  return inflate(bytes, 'gzip', file, maxBytes);
}

function readString(block: Uint8Array, start: number, length: number): string {
  const end = block.subarray(start, start + length).indexOf(0);
  return new TextDecoder().decode(block.subarray(start, end === -1 ? start + length : start + end));
}

/** A tar header's checksum: the sum of its bytes with the checksum field read as spaces. */
function headerChecksum(header: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : (header[i] ?? 0);
  return sum;
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
    if (headerChecksum(header) !== parseInt(readString(header, 148, 8).trim() || '0', 8))
      throw new DataFormatError(file, `tar header at byte ${offset} has a bad checksum (not a tar archive, or corrupt)`);
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
