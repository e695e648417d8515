import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendRequest } from '../core/experiments/config.ts';
import { fastestBackend } from '../core/experiments/work.ts';
import type { TrainingSpeed } from '../core/train/probe.ts';
import type { BackendName, BackendReport } from '../protocol/messages.ts';

setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded });
// The threaded build never got a second thread here and breaks inside a Vite build.
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);

const ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** What a look at the platform says about a GPU backend before TensorFlow.js starts it. */
interface Availability {
  readonly available: boolean;
  /** True for software emulation (SwiftShader, llvmpipe, a fallback adapter). */
  readonly software: boolean;
  readonly detail: string;
}

interface GpuAdapterLike {
  readonly isFallbackAdapter?: boolean;
  readonly info?: { readonly isFallbackAdapter?: boolean; readonly vendor?: string; readonly architecture?: string; readonly description?: string };
}

async function webgpuAvailability(): Promise<Availability> {
  const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } } | undefined)?.gpu;
  if (!gpu) return { available: false, software: false, detail: 'this browser exposes no WebGPU (navigator.gpu is missing)' };
  const adapter = await gpu.requestAdapter().catch(() => null);
  if (!adapter) return { available: false, software: false, detail: 'no WebGPU adapter was granted' };
  const software = adapter.info?.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false;
  const name = [adapter.info?.vendor, adapter.info?.architecture, adapter.info?.description].filter(Boolean).join(' ') || 'unnamed adapter';
  return { available: true, software, detail: software ? `only a software fallback adapter (${name})` : name };
}

function webglAvailability(): Availability {
  if (typeof OffscreenCanvas === 'undefined') return { available: false, software: false, detail: 'no OffscreenCanvas in this worker' };
  const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
  if (!gl) return { available: false, software: false, detail: 'WebGL2 is unavailable' };
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
  const software = /swiftshader|llvmpipe|software|basic render/i.test(renderer);
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return { available: true, software, detail: software ? `only a software renderer (${renderer})` : renderer };
}

async function availability(name: BackendName): Promise<Availability> {
  switch (name) {
    case 'webgpu':
      return webgpuAvailability();
    case 'webgl':
      return webglAvailability();
    default:
      return { available: true, software: false, detail: name };
  }
}

/** An error's message, for the user. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function tryStart(name: BackendName): Promise<string | null> {
  try {
    if (!(await tf.setBackend(name))) return `${name} failed to start`;
    await tf.ready();
    return null;
  } catch (error) {
    return `${name} failed to start (${messageOf(error)})`;
  }
}

/** Starts the named backend as it is, with no fallback (a copy worker matching its experiment); throws if it cannot. */
export async function startNamedBackend(name: string): Promise<string> {
  if (!(ORDER as readonly string[]).includes(name)) throw new Error(`unknown backend ${name}`);
  const failure = await tryStart(name as BackendName);
  if (failure) throw new Error(failure);
  return name;
}

/**
 * Starts a backend for `requested`. A named backend is used if it starts (with a notice when it
 * is software-emulated), else the next one in webgpu → webgl → wasm → cpu. `auto` skips
 * software GPU backends, and where several real backends start it keeps the one on which the run
 * would end soonest: `runSeconds` of each backend's `probe` (training speed: one network's and,
 * on webgpu, a pair's side by side), which counts the copies a CPU backend trains at once in copy
 * workers (by default the fastest probe of one network wins). The report lists why each backend was passed over.
 */
export async function chooseBackend(
  requested: BackendRequest,
  probe: () => Promise<TrainingSpeed>,
  runSeconds: (backend: BackendName, speed: TrainingSpeed) => number = (_, speed) => 1 / speed.stepsPerSecond,
): Promise<BackendReport> {
  const notices: string[] = [];
  const probes: ({ backend: BackendName } & TrainingSpeed)[] = [];
  if (requested !== 'auto') {
    const start = ORDER.indexOf(requested);
    for (const name of ORDER.slice(start)) {
      const a = await availability(name);
      if (!a.available) {
        notices.push(`${name}: ${a.detail}`);
        continue;
      }
      const failure = await tryStart(name);
      if (failure) {
        notices.push(failure);
        continue;
      }
      if (a.software) notices.push(`${name} runs on ${a.detail}: correct but slow`);
      if (name !== requested) notices.push(`${requested} was requested but is unavailable; fell back to ${name}`);
      return { requested, chosen: name, notices, probes };
    }
    throw new Error(`no backend could start: ${notices.join('; ')}`);
  }
  const candidates: BackendName[] = [];
  for (const name of ORDER.slice(0, 3)) {
    const a = await availability(name);
    if (!a.available) notices.push(`${name}: ${a.detail}`);
    else if (a.software) notices.push(`${name} skipped: ${a.detail}`);
    else candidates.push(name);
  }
  for (const name of candidates) {
    const failure = await tryStart(name);
    if (failure) {
      notices.push(failure);
      continue;
    }
    if (candidates.length > 1) probes.push({ backend: name, ...(await probe()) });
    else return { requested, chosen: name, notices, probes };
  }
  const { best, notices: slower } = fastestBackend(probes, (p) => runSeconds(p.backend, p));
  if (best && (await tryStart(best.backend)) === null) {
    notices.push(...slower);
    return { requested, chosen: best.backend, notices, probes };
  }
  const failure = await tryStart('cpu');
  if (failure) throw new Error(`no backend could start: ${[...notices, failure].join('; ')}`);
  notices.push('fell back to the slow cpu backend');
  return { requested, chosen: 'cpu', notices, probes };
}
