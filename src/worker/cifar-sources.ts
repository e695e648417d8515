import { baseName, gunzip, untar } from '../core/data/archive.ts';
import { CIFAR_FILES, CIFAR_RECORD_BYTES, CIFAR_RECORDS_PER_FILE, parseCifar10 } from '../core/data/cifar.ts';
import { DataFormatError } from '../core/data/idx.ts';

import type { CifarSource } from '../protocol/messages.ts';

/** Reports bytes received so far (and the total when the server said it). */
export type OnProgress = (received: number, total: number | null) => void;

/**
 * Turns an archive (`cifar-10-binary.tar.gz`, or an uncompressed `.tar`) or loose `.bin` files
 * into the six official files by name. Throws {@link DataFormatError} naming what is wrong.
 */
export async function filesFromUploads(uploads: readonly { name: string; bytes: Uint8Array }[]): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for (const { name, bytes } of uploads) {
    if (/\.(tar\.gz|tgz|gz)$/i.test(name)) {
      for (const [path, data] of untar(await gunzip(bytes, name), name)) out.set(baseName(path), data);
    } else if (/\.tar$/i.test(name)) {
      for (const [path, data] of untar(bytes, name)) out.set(baseName(path), data);
    } else out.set(baseName(name), bytes);
  }
  const missing = CIFAR_FILES.filter((f) => !out.has(f));
  if (missing.length > 0) throw new DataFormatError(uploads.map((u) => u.name).join(', ') || 'the files given', `missing ${missing.join(', ')} (expected cifar-10-binary.tar.gz or the six .bin files)`);
  return new Map(CIFAR_FILES.map((f) => [f, out.get(f) as Uint8Array]));
}

async function download(url: string, onProgress: OnProgress): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new DataFormatError(url, `could not be downloaded (${(error as Error).message}); the server may not allow cross-origin requests (CORS)`);
  }
  if (!response.ok) throw new DataFormatError(url, `the server refused: ${response.status} ${response.statusText}`);
  const total = Number(response.headers.get('content-length')) || null;
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array(await response.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.length;
    onProgress(received, total);
  }
  const out = new Uint8Array(received);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

/** Reads a source into the six official files (validated as CIFAR-10 before returning). */
export async function readCifarSource(source: CifarSource, onProgress: OnProgress): Promise<Map<string, Uint8Array>> {
  const uploads =
    source.kind === 'files'
      ? await Promise.all(source.files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })))
      : [{ name: new URL(source.url).pathname.split('/').pop() || source.url, bytes: await download(source.url, onProgress) }];
  const files = await filesFromUploads(uploads);
  parseCifar10(files);
  return files;
}

/** The six files as the app serves them (`npm run data:cifar`), or null when they are not there. */
export async function fetchServedCifar(baseUrl: string): Promise<Map<string, Uint8Array> | null> {
  const probe = await fetch(new URL(CIFAR_FILES[0], baseUrl), { method: 'HEAD' }).catch(() => null);
  // A single-page-app server answers every path with index.html: only a file of the right size counts.
  const size = Number(probe?.headers.get('content-length'));
  if (!probe?.ok || probe.headers.get('content-type')?.startsWith('text/html') || (size > 0 && size !== CIFAR_RECORDS_PER_FILE * CIFAR_RECORD_BYTES)) return null;
  const entries = await Promise.all(
    CIFAR_FILES.map(async (f) => {
      const r = await fetch(new URL(f, baseUrl));
      if (!r.ok) throw new DataFormatError(f, `the server answered ${r.status} for ${r.url}`);
      return [f, new Uint8Array(await r.arrayBuffer())] as const;
    }),
  );
  return new Map(entries);
}
