import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type CopyPoolSetup, type CopyWorkerPort, CopyWorkerPool } from '../parallel/copy-pool.ts';
import type { CopyWorkerEvent } from '../protocol/copy-messages.ts';

/** One copy worker in a Node worker thread. */
export function nodeCopyWorkerPort(): CopyWorkerPort {
  const worker = new Worker(new URL('./copy-worker-entry.mjs', import.meta.url));
  return {
    post: (command) => worker.postMessage(command),
    listen(onEvent, onFailure) {
      worker.on('message', (event: CopyWorkerEvent) => onEvent(event));
      worker.on('error', (error) => onFailure(error));
      worker.on('exit', (code) => {
        if (code !== 0) onFailure(new Error(`the worker thread exited with code ${code}`));
      });
    },
    terminate: () => void worker.terminate(),
  };
}

/**
 * A pool of `count` copy workers in Node worker threads (default: one per core, so that
 * ⌊cores / 2⌋ pairs train at once), set up with `setup`. Returns null when fewer than two
 * workers would run, since one worker only adds copying.
 */
export async function startNodeCopyWorkers(setup: CopyPoolSetup, count = availableParallelism()): Promise<CopyWorkerPool | null> {
  if (count < 2) return null;
  return CopyWorkerPool.start(Array.from({ length: count }, nodeCopyWorkerPort), setup);
}
