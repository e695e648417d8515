/**
 * Runs one instability analysis, described by a share link, on a directory of CIFAR-10 binary
 * files that may hold fewer than 10,000 records each (a subset made with `head -c`), and
 * writes the results JSON. Used to choose the ResNet-20 teaching preset on a many-core machine,
 * one process per candidate: `node instability-on-subset.mjs DIR 'v=1&preset=…' out.json`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CIFAR_FILES, parseCifar10 } from '../src/core/data/cifar.ts';
import { decodeConfig } from '../src/core/experiments/link.ts';
import { runExperiment } from '../src/core/experiments/run.ts';
import { initNodeBackend } from '../src/node/backend.ts';

const [dir = '', link = '', out = 'results.json'] = process.argv.slice(2);
const decoded = decodeConfig(link);
if (decoded.problems.length > 0) throw new Error(decoded.problems.join('; '));
await initNodeBackend('wasm');
const files = new Map<string, Uint8Array>();
for (const f of CIFAR_FILES) files.set(f, new Uint8Array(await readFile(join(dir, f))));
const data = parseCifar10(files, null);
const started = performance.now();
for await (const e of runExperiment(decoded.config, data, { backend: 'wasm', reportEveryMs: 10_000 })) {
  if (e.type === 'summary')
    console.log(
      `${link} k=${e.summary.k}: ${e.summary.test.mean.toFixed(2)} ± ${e.summary.test.std.toFixed(2)} (${((performance.now() - started) / 1000).toFixed(0)} s)`,
    );
  if (e.type === 'pair') console.log(`${link} k=${e.result.k} errors ${e.result.testErrors.map((x) => x.toFixed(1)).join(' ')}`);
  if (e.type === 'done') await writeFile(out, JSON.stringify({ link, train: data.train.count, results: e.results }, null, 1));
}
