/**
 * `npm run bench:scaling`: how training throughput grows with copy workers on this machine's
 * cores. For N = 1, 2, 4, 8, 16 workers (as many as the machine has cores), N copies of
 * LeNet-300-100 (and of ResNet-20) train at once, one per worker, as the pairs of an experiment
 * do; the examples/s summed over them is divided by one worker's, measured in the same run.
 * The target is at least 0.8·N. Prints a table and writes bench-scaling.json.
 *
 * Flags: --quick (fewer steps), --lenet-only, --resnet-only, --synthetic (random data in MNIST's and CIFAR-10's
 * shapes, for a machine without the datasets), --out FILE, --workers 1,2,4,8,16 (any counts;
 * 1 is always measured, as the speed-ups' base). bench/gpu/scaling-bundle.sh bundles it to run
 * without node_modules.
 */
import { availableParallelism } from 'node:os';
import { writeFile } from 'node:fs/promises';
import { initNodeBackend } from '../src/node/backend.ts';
import { loadCifar10 } from '../src/node/cifar-files.ts';
import { nodeCopyWorkerPort } from '../src/node/copy-workers.ts';
import { loadMnist } from '../src/node/mnist-files.ts';
import { CopyWorkerPool } from '../src/parallel/copy-pool.ts';
import { type Workload, lenetWorkload, resnetWorkload } from './node-throughput.ts';
import { copiesExamplesPerSecond } from './pair-throughput.ts';
import { arg } from './args.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const synthetic = args.includes('--synthetic');
const outPath = arg('--out', 'bench-scaling.json');
const cores = availableParallelism();
const requested = arg('--workers', '')
  .split(',')
  .filter((s) => s !== '')
  .map(Number);
if (requested.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--workers wants positive whole numbers, as in 1,2,4,8,16`);
const counts = requested.length > 0 ? [...new Set([1, ...requested])].sort((a, b) => a - b) : [1, 2, 4, 8, 16].filter((n) => n <= cores);
// Only a synthetic run builds the synthetic sets (38 MB of random pixels).
const fake = synthetic ? await import('./gpu/workloads.ts') : null;
const backend = (await initNodeBackend('wasm')).backend;
const workloads: { key: string; model: 'lenet-300-100' | 'resnet-20'; workload: Workload; steps: number; warmup: number }[] = [];
if (!args.includes('--resnet-only')) {
  workloads.push({
    key: 'lenet',
    model: 'lenet-300-100',
    workload: lenetWorkload(fake ? fake.mnistLike : (await loadMnist()).train),
    steps: quick ? 200 : 1000,
    warmup: 100,
  });
}
if (!args.includes('--lenet-only')) {
  workloads.push({
    key: 'resnet',
    model: 'resnet-20',
    workload: resnetWorkload(fake ? fake.cifarLike : (await loadCifar10()).train),
    steps: quick ? 2 : 4,
    warmup: 2,
  });
}

const data: Record<string, string> = {};
const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, backend, cores, synthetic, quick, workers: counts, data };
console.log(`\n${cores} cores, ${backend}${synthetic ? ', synthetic data' : ''}; N copies at once in N workers, examples/s summed, and ÷ one worker's`);
console.log('model | workers | examples/s | speed-up | target 0.8·N');
for (const { key, model, workload, steps, warmup } of workloads) {
  const rows: { workers: number; examplesPerSecond: number; speedup: number }[] = [];
  results[key] = rows;
  data[key] = workload.data.name;
  for (const n of counts) {
    const pool = await CopyWorkerPool.start(Array.from({ length: n }, nodeCopyWorkerPort), { backend, model, width: 16, train: workload.data });
    try {
      // A fresh worker runs slower code until V8 has optimised it: an untimed round first.
      await copiesExamplesPerSecond(workload, n, warmup, 1, pool);
      const examplesPerSecond = await copiesExamplesPerSecond(workload, n, steps, 1, pool);
      const speedup = examplesPerSecond / (rows[0]?.examplesPerSecond ?? examplesPerSecond);
      rows.push({ workers: n, examplesPerSecond, speedup });
      console.log(`${workload.name} | ${n} | ${examplesPerSecond.toFixed(0)} | ${speedup.toFixed(2)}× | ${(0.8 * n).toFixed(1)}×`);
      // Written after every row, so a run stopped by a time limit keeps what it measured.
      await writeFile(outPath, `${JSON.stringify(results, null, 2)}\n`);
    } finally {
      pool.close();
    }
  }
}
await writeFile(outPath, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwritten to ${outPath}`);
