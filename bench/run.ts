/**
 * `npm run bench`: throughput and cost, as ratios measured side by side in one run on this
 * machine. Node: ours on wasm and cpu, the naive tf.layers baseline, the wasm matMul ceiling,
 * interpolation sweeps, memory; PyTorch (Debian's python3-torch, skipped with a notice when
 * absent; CUDA when available); the browser backends in headless Chromium (bench:browser).
 * Prints a table and writes bench-results.json.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
import { lenet300100 } from '../src/core/models/lenet.ts';
import { type NodeBackend, initNodeBackend } from '../src/node/backend.ts';
import { loadCifar10 } from '../src/node/cifar-files.ts';
import { startNodeCopyWorkers } from '../src/node/copy-workers.ts';
import { loadMnist } from '../src/node/mnist-files.ts';
import { pairExamplesPerSecond } from './pair-throughput.ts';
import { lenetWorkload, matMulGflops, resnetWorkload, naiveLenetExamplesPerSecond, oursExamplesPerSecond, sweepSeconds } from './node-throughput.ts';

const quick = process.argv.includes('--quick');
const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version };
const rows: [string, string, string][] = [];
const fmt = (v: number): string => (v >= 100 ? v.toFixed(0) : v.toFixed(2));

const mnist = await loadMnist();
const cifar = await loadCifar10();
const lenet = lenetWorkload(mnist.train);
const resnet = resnetWorkload(cifar.train);

const node: Record<string, Record<string, number | string>> = {};
for (const backend of ['wasm', 'cpu'] as NodeBackend[]) {
  await initNodeBackend(backend);
  const r: Record<string, number | string> = {};
  r.lenet = await oursExamplesPerSecond(lenet, backend === 'wasm' ? (quick ? 100 : 400) : 30, 5);
  r.lenetNaive = await naiveLenetExamplesPerSecond(mnist.train, backend === 'wasm' ? (quick ? 100 : 400) : 30, 5);
  r.resnet = await oursExamplesPerSecond(resnet, backend === 'wasm' ? (quick ? 2 : 5) : 1, 1);
  if (backend === 'wasm') {
    // A pair's two copies: one after the other here, then at once in two worker threads.
    // LeNet copies long enough (1,000 steps, about 5 s) for the workers' per-job cost to weigh as in a real run.
    r.lenetPairSequential = await pairExamplesPerSecond(lenet, quick ? 200 : 1000, 5, null);
    r.resnetPairSequential = await pairExamplesPerSecond(resnet, quick ? 2 : 4, 1, null);
    for (const [key, w, steps, warmup] of [
      ['lenetPairWorkers', lenet, quick ? 200 : 1000, 100],
      ['resnetPairWorkers', resnet, quick ? 2 : 4, 2],
    ] as const) {
      const pool = await startNodeCopyWorkers({ backend, model: w === lenet ? 'lenet-300-100' : 'resnet-20', width: 16, train: w.data }, 2);
      if (!pool) throw new Error('no worker threads');
      try {
        // A fresh worker runs slower code until V8 has optimised its JavaScript and WebAssembly: an untimed pair first.
        await pairExamplesPerSecond(w, warmup, 1, pool);
        r[key] = await pairExamplesPerSecond(w, steps, 1, pool);
      } finally {
        pool.close();
      }
    }
  }
  r.resnetNaive = 'not run: tf.layers conv2d cannot train on wasm (no Conv2DBackpropFilter kernel)';
  if (backend === 'wasm') {
    r.matMulGflops = await matMulGflops();
    r.lenetSweepSeconds30x10000 = await sweepSeconds(lenet300100, mnist.test, 10_000);
    r.resnetSweepSeconds30x1000 = await sweepSeconds(resnet.model, cifar.test, 1000);
  }
  node[backend] = r;
  rows.push([`ours ${lenet.name}`, backend, fmt(r.lenet as number)]);
  rows.push([`tf.layers ${lenet.name}`, backend, `${fmt(r.lenetNaive as number)} (ours ${fmt((r.lenet as number) / (r.lenetNaive as number))}×)`]);
  rows.push([`ours ${resnet.name}`, backend, fmt(r.resnet as number)]);
  if (backend === 'wasm') {
    for (const [w, key] of [
      [lenet, 'lenet'],
      [resnet, 'resnet'],
    ] as const) {
      const sequential = r[`${key}PairSequential`] as number;
      const workers = r[`${key}PairWorkers`] as number;
      rows.push([`ours ${w.name}, a pair's copies one after the other`, backend, fmt(sequential)]);
      rows.push([`ours ${w.name}, a pair's copies at once in 2 workers`, backend, `${fmt(workers)} (${fmt(workers / sequential)}× one after the other)`]);
    }
  }
}
results.node = node;
results.memory = { rssMB: process.memoryUsage().rss / 2 ** 20, tensorMB: tf.memory().numBytes / 2 ** 20 };

let torch: Record<string, number | string> | null = null;
try {
  // Debian's python3-torch lives with the system interpreter, which a pyenv shim may hide.
  const python = process.env.PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
  const out = execFileSync(python, ['bench/pytorch_reference.py', ...(quick ? ['--lenet-steps', '100', '--resnet-steps', '3'] : [])], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  torch = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Record<string, number | string>;
} catch (error) {
  console.error(`PyTorch reference skipped: ${(error as Error).message.split('\n')[0]} (apt-get install python3-torch)`);
}
results.pytorch = torch;
const wasm = node.wasm ?? {};
if (torch) {
  rows.push([
    `PyTorch ${lenet.name}`,
    String(torch.device),
    `${fmt(torch.lenet_examples_per_s as number)} (ours wasm ${fmt((wasm.lenet as number) / (torch.lenet_examples_per_s as number))}×)`,
  ]);
  rows.push([
    `PyTorch ${resnet.name}`,
    String(torch.device),
    `${fmt(torch.resnet20_examples_per_s as number)} (ours wasm ${fmt((wasm.resnet as number) / (torch.resnet20_examples_per_s as number))}×)`,
  ]);
  const lenetPair = (wasm.lenetPairWorkers as number) / (torch.lenet_examples_per_s as number);
  const resnetPair = (wasm.resnetPairWorkers as number) / (torch.resnet20_examples_per_s as number);
  results.pairVsPytorch = { lenet: lenetPair, resnet: resnetPair };
  rows.push([`ours pair in 2 workers ÷ PyTorch one model, LeNet (target 2×)`, 'wasm', `${lenetPair.toFixed(3)}×`]);
  rows.push([`ours pair in 2 workers ÷ PyTorch one model, ResNet-20 (target 0.25×)`, 'wasm', `${resnetPair.toFixed(3)}×`]);
}
// Per-core efficiency. The usual count is 6 FLOPs per weight per example (forward, weight
// gradient, input gradient); the input layer's input gradient is never computed here, so the
// products actually run are 2·784·300 FLOPs per example fewer.
const lenetFlops = 6 * (784 * 300 + 300 * 100 + 100 * 10);
const executedFlops = lenetFlops - 2 * 784 * 300;
const efficiency = ((wasm.lenet as number) * lenetFlops) / 1e9 / (wasm.matMulGflops as number);
const executedEfficiency = ((wasm.lenet as number) * executedFlops) / 1e9 / (wasm.matMulGflops as number);
results.lenetWasmFractionOfMatMulPeak = efficiency;
results.lenetWasmFractionOfMatMulPeakExecutedFlops = executedEfficiency;
rows.push([
  'wasm matMul ceiling (GFLOP/s)',
  'wasm',
  `${fmt(wasm.matMulGflops as number)}; LeNet training reaches ${(100 * efficiency).toFixed(0)}% of it by the 6-FLOPs-per-weight count (target 40%), ${(100 * executedEfficiency).toFixed(0)}% counting only the products run`,
]);
rows.push(['interpolation sweep, LeNet, 30 α × 10,000 test images (s)', 'wasm', fmt(wasm.lenetSweepSeconds30x10000 as number)]);
rows.push(['interpolation sweep, ResNet-20, 30 α × 1,000 test images (s)', 'wasm', fmt(wasm.resnetSweepSeconds30x1000 as number)]);

console.log('\nwhat | where | examples/s (or as stated)');
for (const r of rows) console.log(r.join(' | '));
await writeFile('bench-results.json', `${JSON.stringify(results, null, 2)}\n`);
console.log('\nwritten to bench-results.json; browser backends: npm run bench:browser');
