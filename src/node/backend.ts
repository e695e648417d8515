import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

/** Backends available in Node. */
export type NodeBackend = 'wasm' | 'cpu';

/**
 * Starts a TensorFlow.js backend in Node: wasm (single-threaded SIMD, the fast one here) unless
 * `cpu` is asked for, falling back to cpu if wasm fails. Returns the backend in use and, when
 * it fell back, why.
 */
export async function initNodeBackend(preferred: NodeBackend = 'wasm'): Promise<{ backend: NodeBackend; notice: string | null }> {
  // Silences the cpu backend's advice to install tfjs-node, which cannot install here.
  tf.env().set('PROD', true);
  if (preferred === 'wasm') {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    try {
      if (await tf.setBackend('wasm')) {
        await tf.ready();
        return { backend: 'wasm', notice: null };
      }
    } catch (error) {
      await tf.setBackend('cpu');
      return { backend: 'cpu', notice: `wasm backend failed (${(error as Error).message}); using cpu` };
    }
    await tf.setBackend('cpu');
    return { backend: 'cpu', notice: 'wasm backend did not initialise; using cpu' };
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return { backend: 'cpu', notice: null };
}
