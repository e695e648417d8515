/**
 * What bounds one training step (issue 14): for LeNet-300-100 and ResNet-20 (bench/gpu/workloads.ts)
 * on one backend, after warm-up steps,
 *  - the kernels one step runs: each TensorFlow.js kernel's count and time (tf.profile; on webgpu
 *    the GPU's own timestamp queries per shader program, where the adapter has them, with each
 *    program's name), and their sum;
 *  - what crosses between host and device in one step: on webgpu, uploads (tensor data written
 *    to the backend from the CPU, the largest listed) and readbacks (on cpu and wasm, `write`
 *    also carries every kernel's output, so those counts are not uploads); on WebGPU also the compute dispatches, buffer writes, buffer maps
 *    and queue submits counted at the WebGPU API;
 *  - the wall time of an unprofiled step (loss read back each step), so wall − GPU time is what
 *    the host adds, and of that the time the host spends recording the step's kernels (the
 *    synchronous call, `recordMsPerStep`).
 * Then a pair's step of each, its two copies side by side as one network (`*PairSideBySide`).
 * ResNet-20 is profiled with the backend's own way of computing convolution gradients and then
 * with each other way (`resnet20ByWay`), so the convolutions' GPU time can be compared.
 * Writes one JSON. Runs on any backend: `--backend cpu|wasm|webgpu` (webgpu in Node through
 * Dawn, see dawn-setup.ts; bench/gpu/run-on-device.sh runs it on the GPU machine).
 *
 *   npx tsx bench/gpu/profile-step.ts --backend wasm --out profile-wasm.json [--steps 5] [--quick] [--no-ways]
 */
import { dawnLoadError } from './dawn-setup.ts';
import { writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { DataOrder } from '../../src/core/data/order.ts';
import { disposeTrainee, freshTrainee, trainStep } from '../../src/core/train/trainer.ts';
import { freshPairSideBySide, sideBySideStep } from '../../src/core/train/side-by-side.ts';
import type { Workload } from '../node-throughput.ts';
import { cifarLike, lenet, resnet } from './workloads.ts';
import { modelFor } from '../../src/core/models/registry.ts';
import { CONV_GRADIENT_WAYS, convGradients, withConvGradients } from '../../src/core/models/conv.ts';
import { fusedUpdatesAvailable } from '../../src/core/kernels/fused-update.ts';
import { arg } from '../args.ts';

const args = process.argv.slice(2);
const backend = arg('--backend', 'webgpu');
const outPath = arg('--out', `profile-${backend}.json`);
const quick = args.includes('--quick');
const timedSteps = Number(arg('--steps', quick ? '2' : '5'));

/** Counts calls (and bytes, where the first argument says) of methods on prototypes or objects while installed. */
class CallCounter {
  readonly counts: Record<string, number> = {};
  /** Bytes of each counted call, by label (the largest show what is uploaded). */
  readonly sizes: Record<string, number[]> = {};
  private readonly undo: (() => void)[] = [];
  wrap(label: string, target: object | undefined, method: string, bytesOf?: (a: unknown[]) => number): void {
    const t = target as Record<string, unknown> | undefined;
    const original = t?.[method];
    if (!t || typeof original !== 'function') return;
    const counts = this.counts;
    const sizes = this.sizes;
    sizes[label] = [];
    counts[label] = 0;
    if (bytesOf) counts[`${label}Bytes`] = 0;
    t[method] = function (this: unknown, ...a: unknown[]) {
      counts[label] = (counts[label] ?? 0) + 1;
      if (bytesOf) {
        const bytes = bytesOf(a);
        counts[`${label}Bytes`] = (counts[`${label}Bytes`] ?? 0) + bytes;
        sizes[label]?.push(bytes);
      }
      return (original as (...x: unknown[]) => unknown).apply(this, a);
    };
    this.undo.push(() => (t[method] = original));
  }
  reset(): void {
    for (const k of Object.keys(this.counts)) this.counts[k] = 0;
    for (const k of Object.keys(this.sizes)) this.sizes[k] = [];
  }
  remove(): void {
    for (const u of this.undo.reverse()) u();
  }
}

const byteLength = (v: unknown): number => (v && typeof v === 'object' && 'byteLength' in v ? Number((v as { byteLength: number }).byteLength) : 0);

/** A training step to profile (`record`: the host's part, returning the loss), and what frees it. */
interface Stepper {
  readonly record: () => tf.Tensor;
  readonly dispose: () => void;
}

/** Host time of the last {@link stepOf} calls' `record`, in ms (what the host spends recording the step's kernels). */
let recordMs = 0;

/** A step of `stepper`: recorded (timed into {@link recordMs}), then its loss read back. */
function stepOf(stepper: Stepper): () => Promise<void> {
  return async () => {
    const start = performance.now();
    const loss = stepper.record();
    recordMs += performance.now() - start;
    await loss.data();
    loss.dispose();
  };
}

const scheduleOf = (w: Workload) => ({ learningRate: w.learningRate, milestones: [], gamma: 1, warmupSteps: 0 });

/** One network's step. */
function oneNetwork(w: Workload): Stepper {
  const trainee = freshTrainee(w.model, w.optimizer, 0, new DataOrder(0, w.data.count, w.batchSize));
  return {
    record: () => trainStep(trainee, w.model, w.data, scheduleOf(w)),
    dispose: () => disposeTrainee(trainee),
  };
}

/** A pair's step, its two copies side by side as one network (as the app trains pairs on webgpu). */
function pairSideBySide(w: Workload): Stepper {
  const { side, dispose } = freshPairSideBySide(w.model, w.optimizer, w.data, w.batchSize);
  return {
    record: () => sideBySideStep(side, w.data, { model: w.model, schedule: scheduleOf(w) }, false).total,
    dispose,
  };
}

/** One workload's profile on the current backend: one network's step, or what `make` steps. */
async function profile(w: Workload, make: (w: Workload) => Stepper = oneNetwork): Promise<Record<string, unknown>> {
  const stepper = make(w);
  const step = stepOf(stepper);
  const counter = new CallCounter();
  try {
    for (let i = 0; i < 3; i++) await step();
    // What crosses between host and backend in one step, and (WebGPU) what reaches the GPU API.
    const b = tf.backend() as unknown as object;
    counter.wrap('backendWrites', b, 'write', (a) => byteLength(a[0]));
    counter.wrap('backendReads', b, 'read');
    counter.wrap('backendReadSyncs', b, 'readSync');
    const g = globalThis as unknown as Record<string, { prototype?: object } | undefined>;
    counter.wrap('gpuDispatches', g.GPUComputePassEncoder?.prototype, 'dispatchWorkgroups');
    counter.wrap('gpuComputePasses', g.GPUCommandEncoder?.prototype, 'beginComputePass');
    counter.wrap('gpuQueueSubmits', g.GPUQueue?.prototype, 'submit');
    counter.wrap('gpuWriteBuffer', g.GPUQueue?.prototype, 'writeBuffer', (a) => byteLength(a[2]));
    counter.wrap('gpuBufferMaps', g.GPUBuffer?.prototype, 'mapAsync');
    counter.reset();
    await step();
    const perStep = { ...counter.counts };
    const largestUploads = [...(counter.sizes.backendWrites ?? [])].sort((x, y) => y - x).slice(0, 8);
    counter.remove();
    // Kernels and their times (GPU timestamps on webgpu where the adapter has them).
    const info = await tf.profile(step);
    const kernels = new Map<string, { count: number; ms: number }>();
    const programs = new Map<string, { count: number; ms: number }>();
    for (const k of info.kernels) {
      const ms = Number(await k.kernelTimeMs) || 0;
      const row = kernels.get(k.name) ?? { count: 0, ms: 0 };
      kernels.set(k.name, { count: row.count + 1, ms: row.ms + ms });
      const extra = String((await k.extraInfo) ?? '');
      for (const part of extra.split(', ').filter(Boolean)) {
        const [name, value] = part.split(': ');
        if (!name || value === undefined) continue;
        const p = programs.get(name) ?? { count: 0, ms: 0 };
        programs.set(name, { count: p.count + 1, ms: p.ms + Number(value) });
      }
    }
    const sorted = (m: Map<string, { count: number; ms: number }>) =>
      [...m.entries()].sort((x, y) => y[1].ms - x[1].ms || y[1].count - x[1].count).map(([name, v]) => ({ name, count: v.count, ms: Number(v.ms.toFixed(4)) }));
    const kernelMs = [...kernels.values()].reduce((n, v) => n + v.ms, 0);
    // Wall time of unprofiled steps.
    const start = performance.now();
    recordMs = 0;
    for (let i = 0; i < timedSteps; i++) await step();
    const wallMs = (performance.now() - start) / timedSteps;
    const recordMsPerStep = recordMs / timedSteps;
    return {
      workload: w.name,
      kernelsPerStep: info.kernels.length,
      distinctKernels: kernels.size,
      kernelMsPerStep: Number(kernelMs.toFixed(3)),
      wallMsPerStep: Number(wallMs.toFixed(3)),
      recordMsPerStep: Number(recordMsPerStep.toFixed(3)),
      hostShareOfWall: wallMs > 0 && kernelMs > 0 ? Number(Math.max(0, 1 - kernelMs / wallMs).toFixed(3)) : null,
      perStep,
      largestUploadsBytes: largestUploads,
      kernels: sorted(kernels),
      ...(programs.size > 0 ? { gpuPrograms: sorted(programs) } : {}),
    };
  } finally {
    counter.remove();
    stepper.dispose();
  }
}

const write = (): void => writeFileSync(outPath, `${JSON.stringify(result, null, 2)}\n`);
const result: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, tfjs: tf.version.tfjs, requestedBackend: backend };
try {
  if (backend === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  if (backend === 'webgpu' && dawnLoadError) throw new Error(`no WebGPU in this Node: ${dawnLoadError}`);
  if (!(await tf.setBackend(backend))) throw new Error(`tf.setBackend('${backend}') failed`);
  await tf.ready();
  tf.env().set('PROD', true);
  result.backend = tf.getBackend();
  result.convGradients = convGradients();
  result.fusedUpdates = fusedUpdatesAvailable();
  const before = tf.memory().numTensors;
  // quick: ResNet-20 at width 4, batch 32, so that a cpu run here stays short.
  const resnetRun = quick
    ? { ...resnet, name: 'ResNet-20 width 4, batch 32 (quick)', model: modelFor('resnet-20', 4), data: cifarLike, batchSize: 32 }
    : resnet;
  result.lenet = await profile(lenet);
  console.log('[profile] lenet', JSON.stringify({ ...(result.lenet as object), kernels: undefined, gpuPrograms: undefined }));
  write(); // kept if ResNet-20 runs out of time
  result.resnet20 = await profile(resnetRun);
  console.log('[profile] resnet20', JSON.stringify({ ...(result.resnet20 as object), kernels: undefined, gpuPrograms: undefined }));
  // A pair's step side by side: how much more GPU time the wide network's step takes than one copy's.
  for (const [key, w] of [
    ['lenetPairSideBySide', lenet],
    ['resnet20PairSideBySide', resnetRun],
  ] as const) {
    result[key] = await profile(w, pairSideBySide);
    console.log(`[profile] ${key}`, JSON.stringify({ ...(result[key] as object), kernels: undefined, gpuPrograms: undefined }));
    write();
  }
  if (!args.includes('--no-ways')) {
    const byWay: Record<string, unknown> = {};
    result.resnet20ByWay = byWay;
    for (const [name, ways] of Object.entries(CONV_GRADIENT_WAYS)) {
      if (JSON.stringify(ways) === JSON.stringify(result.convGradients)) continue;
      try {
        byWay[name] = await withConvGradients(ways, () => profile(resnetRun));
      } catch (error) {
        byWay[name] = { error: (error as Error).message.slice(0, 300) };
      }
      console.log(`[profile] resnet20 ${name}`, JSON.stringify({ ...(byWay[name] as object), kernels: undefined, gpuPrograms: undefined }));
      write();
    }
  }
  result.leakedTensors = tf.memory().numTensors - before;
} catch (error) {
  result.error = (error as Error).stack?.slice(0, 1000) ?? String(error);
  console.log('[profile] error', result.error);
}
write();
console.log('[profile] written', outPath);
process.exit(0);
