import { baseName, concatBytes, gunzip, sniffArchive, untar } from '../core/data/archive.ts';
import { CIFAR_FILES, CIFAR_RECORDS_PER_FILE, CIFAR_RECORD_BYTES, type Cifar10, parseCifar10, verifyCifar10 } from '../core/data/cifar.ts';
import { DataFormatError } from '../core/data/idx.ts';
import type { CifarSource } from '../protocol/messages.ts';

/** Reports bytes received so far (and the total when the server said it). */
export type OnProgress = (received: number, total: number | null) => void;

/**
 * The most bytes taken from any one source, packed or unpacked: the official
 * `cifar-10-binary.tar.gz` is 170 MB and its tar 185 MB, so anything larger is not it.
 */
export const MAX_CIFAR_BYTES = 200_000_000;

const megabytes = (n: number): string => `${(n / 1e6).toFixed(0)} MB`;

/**
 * Turns archives (`cifar-10-binary.tar.gz`, or a `.tar`) or loose `.bin` files into the six
 * official files by name, telling gzip from tar by the first bytes, never by the name. Throws
 * {@link DataFormatError} naming what is wrong.
 */
export async function filesFromUploads(uploads: readonly { name: string; bytes: Uint8Array }[]): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for (const { name, bytes } of uploads) {
    const kind = sniffArchive(bytes);
    const tar = kind === 'gzip' ? await gunzip(bytes, name, MAX_CIFAR_BYTES) : bytes;
    if (kind === 'gzip' && sniffArchive(tar) !== 'tar')
      throw new DataFormatError(name, 'unpacks to something that is not a tar archive (expected cifar-10-binary.tar.gz)');
    if (kind === 'other' && !/\.bin$/i.test(name))
      throw new DataFormatError(name, 'is neither a gzip nor a tar archive nor a .bin file (expected cifar-10-binary.tar.gz or the six .bin files)');
    if (kind === 'other') out.set(baseName(name), bytes);
    else for (const [path, data] of untar(tar, name)) out.set(baseName(path), data);
  }
  const missing = CIFAR_FILES.filter((f) => !out.has(f));
  if (missing.length > 0)
    throw new DataFormatError(
      uploads.map((u) => u.name).join(', ') || 'the files given',
      `missing ${missing.join(', ')} (expected cifar-10-binary.tar.gz or the six .bin files)`,
    );
  return new Map(CIFAR_FILES.map((f) => [f, out.get(f) as Uint8Array]));
}

/** Refuses a response whose first bytes are not an archive, or that is larger than any copy of CIFAR-10. */
function checkDownloadSoFar(url: string, head: Uint8Array, received: number, finished: boolean): void {
  if (received > MAX_CIFAR_BYTES)
    throw new DataFormatError(url, `is larger than ${megabytes(MAX_CIFAR_BYTES)}, so it is not CIFAR-10; the download was stopped`);
  if ((head.byteLength >= 512 || finished) && sniffArchive(head) === 'other') {
    throw new DataFormatError(url, 'does not start like a gzip or tar archive (a web page or an error answer?); the download was stopped');
  }
}

/**
 * Downloads `url`, checking the first bytes (gzip or tar) and the size (at most
 * {@link MAX_CIFAR_BYTES}) as they arrive, so junk is refused at its start.
 */
export async function downloadArchive(url: string, onProgress: OnProgress): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new DataFormatError(url, `could not be downloaded (${(error as Error).message}); the server may not allow cross-origin requests (CORS)`);
  }
  if (!response.ok) throw new DataFormatError(url, `the server refused: ${response.status} ${response.statusText}`);
  const total = Number(response.headers.get('content-length')) || null;
  const reader = response.body?.getReader();
  if (!reader) throw new DataFormatError(url, 'the answer has no body');
  const chunks: Uint8Array[] = [];
  let received = 0;
  let head: Uint8Array = new Uint8Array();
  try {
    if (total !== null) checkDownloadSoFar(url, head, total, false);
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.byteLength;
      if (head.byteLength < 512) head = concatBytes(chunks).subarray(0, 512);
      checkDownloadSoFar(url, head, received, false);
      onProgress(received, total);
    }
    checkDownloadSoFar(url, head, received, true);
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    throw error;
  }
  return concatBytes(chunks, received);
}

/** The six files parsed, once their format and then their official MD5s are checked. */
export function verifiedCifar(files: ReadonlyMap<string, Uint8Array>, where: string): Cifar10 {
  const cifar = parseCifar10(files);
  verifyCifar10(files, (name) => `${where}: ${name}`);
  return cifar;
}

/** Reads a source into the six official files (to cache) and the dataset, refused unless they are the official CIFAR-10 (MD5). */
export async function readCifarSource(source: CifarSource, onProgress: OnProgress): Promise<{ files: Map<string, Uint8Array>; cifar: Cifar10 }> {
  if (source.kind === 'files') {
    const tooBig = source.files.find((f) => f.size > MAX_CIFAR_BYTES);
    if (tooBig) throw new DataFormatError(tooBig.name, `is ${megabytes(tooBig.size)}, larger than any copy of CIFAR-10 (${megabytes(MAX_CIFAR_BYTES)})`);
  }
  const uploads =
    source.kind === 'files'
      ? await Promise.all(source.files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })))
      : [{ name: source.url, bytes: await downloadArchive(source.url, onProgress) }];
  const files = await filesFromUploads(uploads);
  return { files, cifar: verifiedCifar(files, source.kind === 'url' ? source.url : uploads.map((u) => u.name).join(', ')) };
}

/**
 * CIFAR-10 from the six files the app serves (`npm run data:cifar`), checked against the
 * official MD5s, or null when they are not there.
 */
export async function fetchServedCifar(baseUrl: string): Promise<Cifar10 | null> {
  const probe = await fetch(new URL(CIFAR_FILES[0], baseUrl), { method: 'HEAD' }).catch(() => null);
  // A single-page-app server answers every path with index.html: only a file of the right size counts.
  const size = Number(probe?.headers.get('content-length'));
  if (!probe?.ok || probe.headers.get('content-type')?.startsWith('text/html') || (size > 0 && size !== CIFAR_RECORDS_PER_FILE * CIFAR_RECORD_BYTES))
    return null;
  const entries = await Promise.all(
    CIFAR_FILES.map(async (f) => {
      const r = await fetch(new URL(f, baseUrl));
      if (!r.ok) throw new DataFormatError(f, `the server answered ${r.status} for ${r.url}`);
      return [f, new Uint8Array(await r.arrayBuffer())] as const;
    }),
  );
  return verifiedCifar(new Map(entries), `the copy served at ${baseUrl}`);
}
