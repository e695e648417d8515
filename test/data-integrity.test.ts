import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { gunzip, sniffArchive } from '../src/core/data/archive.ts';
import { CIFAR_FILES, CIFAR_RECORD_BYTES, verifyCifar10 } from '../src/core/data/cifar.ts';
import { md5Hex } from '../src/core/data/digest.ts';
import { MNIST_FILES, verifyMnist } from '../src/core/data/mnist.ts';
import { PUBLIC_CIFAR_DIR, readCifarFiles } from '../src/node/cifar-files.ts';
import { nodeMd5Hex } from '../src/node/data-files.ts';
import { PUBLIC_MNIST_DIR, readMnistFiles } from '../src/node/mnist-files.ts';
import { MAX_CIFAR_BYTES, downloadArchive, filesFromUploads, readCifarSource } from '../src/worker/cifar-sources.ts';
import { binaryFile, tarOf } from './archives.ts';

afterEach(() => vi.unstubAllGlobals());

/** A fetch that answers every request with `body` (chunks pulled one at a time) and `headers`. */
function serve(chunks: () => Iterator<Uint8Array>, headers: Record<string, string> = {}): { pulled: () => number } {
  let pulled = 0;
  vi.stubGlobal('fetch', async () => {
    const it = chunks();
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = it.next();
        if (next.done) controller.close();
        else {
          pulled++;
          controller.enqueue(next.value);
        }
      },
    });
    return new Response(body, { status: 200, headers });
  });
  return { pulled: () => pulled };
}

describe('MD5s: the official files only', () => {
  test('the browser’s MD5 (plain JavaScript) gives the official digests of the real MNIST, and a changed byte is refused by name', async () => {
    const files = await readMnistFiles(PUBLIC_MNIST_DIR);
    expect(md5Hex(files.trainLabels)).toBe('a25bea736e30d166cdddb491f175f624');
    expect(md5Hex(new TextEncoder().encode('abc'))).toBe(nodeMd5Hex(new TextEncoder().encode('abc')));
    expect(() => verifyMnist(files, (f) => `served/${f}`)).not.toThrow();
    const planted = { ...files, testLabels: files.testLabels.slice() };
    planted.testLabels[8 + 17] = ((planted.testLabels[8 + 17] ?? 0) + 1) % 10; // one label, still a digit
    expect(() => verifyMnist(planted, (f) => `served/${f}`)).toThrow(`served/${MNIST_FILES.testLabels}: MD5 `);
  });

  test('real CIFAR-10 with every label set to 3 parses but is refused before use', async () => {
    const real = await readCifarFiles(PUBLIC_CIFAR_DIR);
    const planted = new Map(real);
    const first = (real.get(CIFAR_FILES[0]) as Uint8Array).slice();
    for (let r = 0; r < 10_000; r++) first[r * CIFAR_RECORD_BYTES] = 3;
    planted.set(CIFAR_FILES[0], first);
    const picked = CIFAR_FILES.map((name) => new File([(planted.get(name) as Uint8Array).slice()], name));
    await expect(readCifarSource({ kind: 'files', files: picked }, () => undefined)).rejects.toThrow(`${CIFAR_FILES.join(', ')}: data_batch_1.bin: MD5 `);
    expect(() => verifyCifar10(real, (f) => f, nodeMd5Hex)).not.toThrow();
  });
});

describe('archives are told apart by their first bytes, not their names', () => {
  const six = new Map(CIFAR_FILES.map((f, i) => [f, binaryFile(2, i)]));

  test('gzip, tar and anything else', () => {
    const tar = tarOf(six);
    expect(sniffArchive(new Uint8Array(gzipSync(tar)))).toBe('gzip');
    expect(sniffArchive(tar)).toBe('tar');
    expect(sniffArchive(new TextEncoder().encode('<!doctype html><html>'.padEnd(600)))).toBe('other');
    expect(sniffArchive(six.get('test_batch.bin') as Uint8Array)).toBe('other');
  });

  test('a .tar.gz that arrives already unpacked (Content-Encoding: gzip) is read as the tar it is; junk named .tar.gz is refused', async () => {
    const files = await filesFromUploads([{ name: 'cifar-10-binary.tar.gz', bytes: tarOf(six) }]);
    expect([...files.keys()]).toEqual([...CIFAR_FILES]);
    expect(files.get('data_batch_3.bin')).toEqual(six.get('data_batch_3.bin'));
    await expect(filesFromUploads([{ name: 'cifar-10-binary.tar.gz', bytes: new TextEncoder().encode('<html>nope</html>') }])).rejects.toThrow(
      'cifar-10-binary.tar.gz: is neither a gzip nor a tar archive nor a .bin file',
    );
  });

  test('a gzip bomb stops at the cap', async () => {
    const bomb = new Uint8Array(gzipSync(new Uint8Array(3_000_000)));
    await expect(gunzip(bomb, 'bomb.gz', 1_000_000)).rejects.toThrow('bomb.gz: unpacks to more than 1 MB');
    expect((await gunzip(bomb, 'bomb.gz', 3_000_000)).byteLength).toBe(3_000_000);
  });
});

describe('downloads are refused early', () => {
  const url = 'https://example.org/cifar-10-binary.tar.gz';

  test('a web page is refused at its first bytes, not after downloading it all', async () => {
    const page = new TextEncoder().encode('<!doctype html>'.padEnd(1024, ' '));
    const server = serve(function* () {
      for (let i = 0; i < 1000; i++) yield page;
    });
    await expect(downloadArchive(url, () => undefined)).rejects.toThrow(`${url}: does not start like a gzip or tar archive`);
    expect(server.pulled()).toBeLessThanOrEqual(2);
  });

  test('a declared size over the cap is refused before reading; an endless stream stops just past the cap', async () => {
    const server = serve(
      function* () {
        yield new Uint8Array([0x1f, 0x8b]);
      },
      { 'content-length': String(300_000_000) },
    );
    await expect(downloadArchive(url, () => undefined)).rejects.toThrow(`${url}: is larger than 200 MB`);
    expect(server.pulled()).toBeLessThanOrEqual(1); // the stream itself asks for its first chunk
    const chunk = new Uint8Array(4_000_000);
    chunk.set([0x1f, 0x8b]);
    const endless = serve(function* () {
      for (;;) yield chunk;
    });
    await expect(downloadArchive(url, () => undefined)).rejects.toThrow('the download was stopped');
    // Stopped at the chunk that passed 200 MB (the stream may have asked for one more ahead).
    const past = Math.floor(MAX_CIFAR_BYTES / chunk.byteLength) + 1;
    expect(endless.pulled()).toBeGreaterThanOrEqual(past);
    expect(endless.pulled()).toBeLessThanOrEqual(past + 1);
  });

  test('a picked file larger than any CIFAR-10 is refused without reading it', async () => {
    const huge = { name: 'huge.tar.gz', size: MAX_CIFAR_BYTES + 1, arrayBuffer: () => Promise.reject(new Error('read')) } as unknown as File;
    await expect(readCifarSource({ kind: 'files', files: [huge] }, () => undefined)).rejects.toThrow(
      'huge.tar.gz: is 200 MB, larger than any copy of CIFAR-10',
    );
  });
});
