/**
 * Training throughput of our core on TensorFlow.js's webgpu backend in Node, on a real GPU
 * through Dawn's Node bindings (see dawn-setup.ts): the machine with a GPU has no Chromium, so
 * this runs the same kernels (tfjs-backend-webgpu's WGSL, compiled by Dawn/Tint, as Chromium
 * does) without the browser. Measures, in examples/s:
 *  - ours: LeNet-300-100 (batch 60, Adam 1.2e-3), ResNet-20 width 16 (batch 128, SGD 0.1,
 *    momentum 0.9, weight decay 1e-4) and the lesson-scale VGG-16 (width 8, batch 64) with src/core's measureStepsPerSecond (each step's loss
 *    read back), on synthetic data in the real shapes (CIFAR-10 with its crop-and-flip);
 *  - the convolutional networks again with each way of computing convolution gradients (as
 *    convolutions, the filter gradient as matrix products, the backend's own kernels), to choose
 *    per backend which way trains faster, and with the optimisers' fused WebGPU kernels off;
 *  - a pair of each (both copies counted) trained side by side as one wide network, as the app
 *    trains a pair's copies on webgpu (src/core/train/side-by-side.ts), also with the backend
 *    submitting its commands every 60 and 240 dispatches instead of 15; the "as trained" and
 *    side-by-side rows gather their batches on the GPU as a run does (`*HostBatches`: built on
 *    the host, as before);
 *  - what the backend probe measures (`*Probe`: the few steps `auto` and the duration estimate
 *    time, and whether it would train pairs side by side), beside what training measures;
 *  - the naive tf.layers LeNet-300-100 with trainOnBatch on the same backend;
 *  - a check that the GPU computes what the cpu backend computes: the first training losses of
 *    both models from the same initialisation and batches, on webgpu and on cpu, and of a pair
 *    side by side on webgpu against its copies trained apart on cpu.
 * Writes one JSON (argument `--out`, default gpu-webgpu-node.json). With no WebGPU adapter it
 * writes that reason instead and exits 0, so the PyTorch half of the benchmark still runs.
 *
 * Bundle (bench/gpu/build.sh) and run: DAWN_NODE=…/dawn.node node webgpu-node-throughput.mjs
 * [--out file] [--seconds 4] [--quick] [--rows lenet,resnet20,…] [--check-batch 16]
 */
import { dawnFlags, dawnLoadError } from './dawn-setup.ts';
import { writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { DataOrder } from '../../src/core/data/order.ts';
import { disableFusedKernels } from '../../src/core/kernels/webgpu-program.ts';
import { CONV_GRADIENT_WAYS, type ConvGradients, convGradients, withConvGradients } from '../../src/core/models/conv.ts';
import { measureStepsPerSecond, measureTrainingSpeed } from '../../src/core/train/probe.ts';
import { sideBySidePays } from '../../src/core/experiments/pair.ts';
import { type Trainee, disposeTrainee, freshTrainee, trainStep, trainTo } from '../../src/core/train/trainer.ts';
import { type SideBySideLosses, disposeSideBySide, joinSideBySide, sideBySideStep, trainSideBySide } from '../../src/core/train/side-by-side.ts';
import { batchSourceFor, hostBatches } from '../../src/core/train/batches.ts';
import { type Workload, naiveLenetExamplesPerSecond } from '../node-throughput.ts';
import { lenet, mnistLike, resnet, vggTeach } from './workloads.ts';
import { arg } from '../args.ts';

const args = process.argv.slice(2);
const outPath = arg('--out', 'gpu-webgpu-node.json');
const quick = args.includes('--quick');
/** Only these rows are measured (`--rows lenet,resnet20,…`; all when absent). */
const onlyRows = new Set(arg('--rows', '').split(',').filter(Boolean));
/** The batch of the correctness checks on the convolutional networks (cpu is slow). */
const checkBatch = Number(arg('--check-batch', quick ? '4' : '16'));
/** Seconds each timed measurement aims at (its step count is chosen from a short pilot). */
const targetSeconds = Number(arg('--seconds', quick ? '1' : '4'));

const result: Record<string, unknown> = {
  date: new Date().toISOString(),
  node: process.version,
  tfjs: tf.version.tfjs,
  dawnFlags,
  data: 'synthetic, real shapes',
};
const write = (): void => writeFileSync(outPath, `${JSON.stringify(result, null, 2)}\n`);
const log = (...m: unknown[]): void => console.log('[webgpu-node]', ...m);

/** The ways of computing convolution gradients timed besides the backend's own choice. */
const WAYS = CONV_GRADIENT_WAYS;

/** `body` with every WebGPU kernel of ours turned off (disableFusedKernels), restored after. */
async function withUnfused<T>(body: () => Promise<T>): Promise<T> {
  disableFusedKernels(true);
  try {
    return await body();
  } finally {
    disableFusedKernels(false);
  }
}

/** `body` with tfjs-backend-webgpu submitting its commands every `dispatches` dispatches, restored after. */
async function withSubmitBatch<T>(dispatches: number, body: () => Promise<T>): Promise<T> {
  const flag = 'WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE';
  const before = tf.env().get(flag);
  tf.env().set(flag, dispatches);
  try {
    return await body();
  } finally {
    tf.env().set(flag, before);
  }
}

/** Ours, examples/s: a pilot of a few steps picks a step count that lasts about targetSeconds. */
async function ours(w: Workload): Promise<{ examplesPerSecond: number; steps: number; pilotExamplesPerSecond: number }> {
  const pilot = await measureStepsPerSecond(w.model, w.data, w.optimizer, w.batchSize, 5, 3, w.learningRate);
  const steps = Math.max(10, Math.min(3000, Math.round(pilot * targetSeconds)));
  const rate = await measureStepsPerSecond(w.model, w.data, w.optimizer, w.batchSize, steps, 5, w.learningRate);
  return { examplesPerSecond: rate * w.batchSize, steps, pilotExamplesPerSecond: pilot * w.batchSize };
}

/**
 * Ours as the app trains, examples/s: the training loop (trainTo) reading a loss back only every
 * 100 ms, so the GPU is not synchronised after every step; `steps` steps after 5 untimed ones.
 */
async function oursAsTrained(w: Workload, steps: number, batches: 'run' | 'host' = 'run'): Promise<{ examplesPerSecond: number; steps: number }> {
  const trainee = freshTrainee(w.model, w.optimizer, 0, new DataOrder(0, w.data.count, w.batchSize));
  const options = trainingOptions(w, batches);
  try {
    for await (const p of trainTo(trainee, 5, options)) void p;
    const start = performance.now();
    for await (const p of trainTo(trainee, 5 + steps, options)) void p;
    return { examplesPerSecond: (steps * w.batchSize * 1000) / (performance.now() - start), steps };
  } finally {
    disposeTrainee(trainee);
    options.batches.dispose();
  }
}

/** The app's training options for `w`, its batches gathered as a run gathers them (`run`: on the GPU on webgpu) or built on the host. */
function trainingOptions(w: Workload, batches: 'run' | 'host') {
  const schedule = { learningRate: w.learningRate, milestones: [], gamma: 1, warmupSteps: 0 };
  return { model: w.model, data: w.data, schedule, reportEveryMs: 100, batches: batches === 'run' ? batchSourceFor(w.data) : hostBatches(w.data) };
}

/** Runs a side-by-side training to its end, returning the trained copies. */
async function finished(generator: AsyncGenerator<unknown, Trainee[]>): Promise<Trainee[]> {
  for (;;) {
    const next = await generator.next();
    if (next.done) return next.value;
  }
}

/**
 * A pair's two copies trained side by side as the app trains them on webgpu (trainSideBySide,
 * reading their losses every 100 ms), examples/s counting both copies' examples: `steps` steps
 * after 5 untimed ones, the joining and splitting of the copies included.
 */
async function pairSideBySide(w: Workload, steps: number, batches: 'run' | 'host' = 'run'): Promise<{ examplesPerSecond: number; steps: number }> {
  const options = trainingOptions(w, batches);
  let copies = [0, 1].map((c) => freshTrainee(w.model, w.optimizer, c, new DataOrder(c, w.data.count, w.batchSize)));
  try {
    const warm = await finished(trainSideBySide(copies, 5, options));
    copies.forEach(disposeTrainee);
    copies = warm;
    const start = performance.now();
    const trained = await finished(trainSideBySide(copies, 5 + steps, options));
    const seconds = (performance.now() - start) / 1000;
    copies.forEach(disposeTrainee);
    copies = trained;
    return { examplesPerSecond: (2 * steps * w.batchSize) / seconds, steps };
  } finally {
    copies.forEach(disposeTrainee);
    options.batches.dispose();
  }
}

/**
 * The backend probe's measurement of `w` (measureTrainingSpeed, as `auto` and the duration
 * estimate run it), in examples/s (a pair's counting both copies), and whether it would train
 * pairs side by side here.
 */
async function probeRow(w: Workload): Promise<{ examplesPerSecond: number; pairExamplesPerSecond: number | null; sideBySide: boolean }> {
  const speed = await measureTrainingSpeed(w.model, w.data, w.optimizer, w.batchSize);
  return {
    examplesPerSecond: speed.stepsPerSecond * w.batchSize,
    pairExamplesPerSecond: speed.pairStepsPerSecond === null ? null : 2 * speed.pairStepsPerSecond * w.batchSize,
    sideBySide: sideBySidePays(speed),
  };
}

/** The losses of the first `n` training steps from the probe's initialisation (seed 0), read one by one. */
async function firstLosses(w: Workload, batchSize: number, n: number): Promise<number[]> {
  const trainee = freshTrainee(w.model, w.optimizer, 0, new DataOrder(0, w.data.count, batchSize));
  const schedule = { learningRate: w.learningRate, milestones: [], gamma: 1, warmupSteps: 0 };
  const losses: number[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const loss = trainStep(trainee, w.model, w.data, schedule);
      losses.push((await loss.data())[0] ?? Number.NaN);
      loss.dispose();
    }
  } finally {
    disposeTrainee(trainee);
  }
  return losses;
}

/** A side-by-side step's per-copy losses (its summed loss freed). */
function perCopyLosses(losses: SideBySideLosses): tf.Tensor {
  losses.total.dispose();
  if (!losses.perCopy) throw new Error('the step was asked for its copies’ losses');
  return losses.perCopy;
}

/**
 * The losses of a pair's first `n` steps, step by step ([step 1 copy 1, step 1 copy 2, …]), the
 * copies from initialisations 0 and 1 on data orders 0 and 1: side by side, or apart.
 */
async function pairFirstLosses(w: Workload, batchSize: number, n: number, sideBySide: boolean): Promise<number[]> {
  const copies = [0, 1].map((c) => freshTrainee(w.model, w.optimizer, c, new DataOrder(c, w.data.count, batchSize)));
  const schedule = { learningRate: w.learningRate, milestones: [], gamma: 1, warmupSteps: 0 };
  const losses: number[] = [];
  const side = sideBySide ? joinSideBySide(w.model, copies) : null;
  try {
    for (let i = 0; i < n; i++) {
      const step = side
        ? [perCopyLosses(sideBySideStep(side, w.data, { model: w.model, schedule }, true))]
        : copies.map((t) => trainStep(t, w.model, w.data, schedule));
      for (const loss of step) {
        losses.push(...(await loss.data()));
        loss.dispose();
      }
    }
  } finally {
    if (side) disposeSideBySide(side);
    copies.forEach(disposeTrainee);
  }
  return losses;
}

async function main(): Promise<void> {
  tf.env().set('PROD', true);
  if (dawnLoadError) {
    result.webgpu = { available: false, reason: dawnLoadError };
    return;
  }
  const gpu = (
    globalThis.navigator as unknown as { gpu: { requestAdapter(o?: object): Promise<{ info?: Record<string, unknown>; features: Set<string> } | null> } }
  ).gpu;
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) {
    result.webgpu = { available: false, reason: 'Dawn found no WebGPU adapter (no Vulkan loader or driver? see stderr)' };
    return;
  }
  const info = adapter.info ?? {};
  const adapterInfo = {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    isFallbackAdapter: info.isFallbackAdapter,
    backend: (info as { backendType?: unknown }).backendType,
    features: [...adapter.features].sort(),
  };
  log('adapter', JSON.stringify(adapterInfo));
  const real = !adapterInfo.isFallbackAdapter && Boolean(adapterInfo.vendor || adapterInfo.description);
  result.webgpu = { available: true, realGpu: real, adapter: adapterInfo };
  if (!(await tf.setBackend('webgpu'))) {
    result.webgpu = { ...(result.webgpu as object), error: 'tf.setBackend("webgpu") returned false' };
    return;
  }
  await tf.ready();
  log('backend', tf.getBackend());
  result.defaultConvGradients = convGradients();
  const numTensorsBefore = tf.memory().numTensors;

  const rows: Record<string, unknown> = {};
  const time = async (key: string, f: () => Promise<unknown>): Promise<void> => {
    if (onlyRows.size > 0 && !onlyRows.has(key)) return;
    const start = performance.now();
    try {
      rows[key] = await f();
    } catch (error) {
      rows[key] = { error: (error as Error).message.slice(0, 300) };
    }
    log(key, JSON.stringify(rows[key]), `${((performance.now() - start) / 1000).toFixed(1)} s`);
    result.ours = rows;
    write();
  };
  await time('lenet', () => ours(lenet));
  await time('lenetUnfused', () => withUnfused(() => ours(lenet)));
  await time('lenetNaiveTfLayers', async () => {
    const pilot = await naiveLenetExamplesPerSecond(mnistLike, 5, 3);
    const steps = Math.max(10, Math.min(3000, Math.round((pilot / 60) * targetSeconds)));
    return { examplesPerSecond: await naiveLenetExamplesPerSecond(mnistLike, steps, 5), steps };
  });
  await time('resnet20', () => ours(resnet));
  await time('resnet20Unfused', () => withUnfused(() => ours(resnet)));
  // The convolutional networks with each other way of computing convolution gradients.
  for (const [name, ways] of Object.entries(WAYS)) {
    await time(`resnet20${name}`, () => withConvGradients(ways, () => ours(resnet)));
  }
  await time('vgg16Teach', () => ours(vggTeach));
  for (const name of ['AsConvolutions', 'NativeConvGradients'] as const) {
    const ways = WAYS[name];
    await time(`vgg16Teach${name}`, () => withConvGradients(ways, () => ours(vggTeach)));
  }
  const steps = (key: string, fallback: number): number => Math.max(10, (rows[key] as { steps?: number } | undefined)?.steps ?? fallback);
  await time('lenetAsTrained', () => oursAsTrained(lenet, steps('lenet', 200)));
  await time('resnet20AsTrained', () => oursAsTrained(resnet, steps('resnet20', 10)));
  await time('lenetPairSideBySide', () => pairSideBySide(lenet, steps('lenet', 200)));
  await time('resnet20PairSideBySide', () => pairSideBySide(resnet, steps('resnet20', 10)));
  // The same with batches built on the host, as before they were gathered on the GPU.
  await time('resnet20AsTrainedHostBatches', () => oursAsTrained(resnet, steps('resnet20', 10), 'host'));
  await time('resnet20PairSideBySideHostBatches', () => pairSideBySide(resnet, steps('resnet20', 10), 'host'));
  // The backend submits its command buffer every WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE dispatches (15 by default).
  for (const batch of [60, 240]) {
    await time(`lenetPairSideBySideSubmit${batch}`, () => withSubmitBatch(batch, () => pairSideBySide(lenet, steps('lenet', 200))));
    await time(`resnet20PairSideBySideSubmit${batch}`, () => withSubmitBatch(batch, () => pairSideBySide(resnet, steps('resnet20', 10))));
  }
  // What `auto` and the duration estimate measure here (the probe: a few steps, as a run trains),
  // to set beside the as-trained and side-by-side rows above, which train as long as the others.
  await time('lenetProbe', () => probeRow(lenet));
  await time('resnet20Probe', () => probeRow(resnet));
  await time('resnet20AsTrainedMatmulFilter', () => withConvGradients(WAYS.MatmulFilter, () => oursAsTrained(resnet, steps('resnet20MatmulFilter', 10))));
  rows.resnet20NaiveTfLayers = 'not measured: the project has no tf.layers ResNet-20';
  result.leakedTensors = tf.memory().numTensors - numTensorsBefore;

  // Correctness: the same first steps on webgpu and on cpu (ResNet-20 on a small batch: cpu is slow).
  const small = checkBatch;
  const checks: { key: string; w: Workload; batch: number; n: number; ways?: ConvGradients; pair?: true }[] = [
    { key: 'lenet', w: lenet, batch: 60, n: 3 },
    // A pair side by side on webgpu against its copies trained apart on cpu.
    { key: 'lenetPairSideBySide', w: lenet, batch: 60, n: 3, pair: true },
    { key: 'resnet20PairSideBySide', w: resnet, batch: small, n: 2, pair: true },
    { key: 'resnet20', w: resnet, batch: small, n: 2 },
    ...Object.entries(WAYS).map(([name, ways]) => ({ key: `resnet20${name}`, w: resnet, batch: small, n: 2, ways })),
    { key: 'vgg16Teach', w: vggTeach, batch: small, n: 2 },
    { key: 'vgg16TeachMatmulFilter', w: vggTeach, batch: small, n: 2, ways: WAYS.MatmulFilter },
  ];
  const gpuLosses: number[][] = [];
  for (const c of checks)
    gpuLosses.push(await withConvGradients(c.ways ?? null, () => (c.pair ? pairFirstLosses(c.w, c.batch, c.n, true) : firstLosses(c.w, c.batch, c.n))));
  await tf.setBackend('cpu');
  const check: Record<string, unknown> = {};
  for (const [i, c] of checks.entries()) {
    const cpu = c.pair ? await pairFirstLosses(c.w, c.batch, c.n, false) : await firstLosses(c.w, c.batch, c.n);
    const gpuL = gpuLosses[i] ?? [];
    const maxAbsDiff = Math.max(...cpu.map((v, j) => Math.abs(v - (gpuL[j] ?? Number.NaN))));
    check[c.key] = { batch: c.batch, webgpu: gpuL, cpu, maxAbsDiff, agrees: maxAbsDiff < 1e-3 };
  }
  result.webgpuMatchesCpu = check;
  log('check', JSON.stringify(check));
}

try {
  await main();
} catch (error) {
  result.error = (error as Error).stack?.slice(0, 1000) ?? String(error);
  log('error', result.error);
}
write();
log('written', outPath);
process.exit(0);
