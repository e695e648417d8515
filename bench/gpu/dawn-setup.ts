/**
 * Gives Node a WebGPU `navigator.gpu` from Dawn's Node bindings (dawn.node, from the npm package
 * `webgpu`), before @tensorflow/tfjs-backend-webgpu is imported: that package registers its
 * backend at import time only when `navigator.gpu` exists. Import this module first.
 *
 * The path of dawn.node comes from $DAWN_NODE (bench/gpu/run-on-device.sh unpacks it);
 * $DAWN_FLAGS holds extra flags for `create` (space-separated, e.g. `backend=vulkan`).
 * When dawn.node cannot be loaded, `dawnLoadError` says why and no navigator.gpu is set.
 */
import { createRequire } from 'node:module';

interface DawnModule {
  create(flags: string[]): unknown;
  globals: Record<string, unknown>;
}

export let dawnLoadError: string | null = null;
export const dawnFlags = (process.env.DAWN_FLAGS ?? '').split(/\s+/).filter(Boolean);

const path = process.env.DAWN_NODE;
if (!path) {
  dawnLoadError = 'DAWN_NODE is not set (path of dawn.node from the npm package webgpu)';
} else {
  try {
    const dawn = createRequire(import.meta.url)(path) as DawnModule;
    Object.assign(globalThis, dawn.globals);
    // Node 21+ defines a read-only globalThis.navigator getter; replace it rather than assign.
    Object.defineProperty(globalThis, 'navigator', { value: { gpu: dawn.create(dawnFlags) }, configurable: true, writable: true });
  } catch (error) {
    dawnLoadError = `could not load ${path}: ${(error as Error).message.split('\n')[0]}`;
  }
}
