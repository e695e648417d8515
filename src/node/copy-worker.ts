/** A copy worker in a Node worker thread: the shared handler on the wasm or cpu backend. */
import { parentPort } from 'node:worker_threads';
import { copyWorkerHandler } from '../parallel/copy-worker-handler.ts';
import type { CopyWorkerCommand } from '../protocol/copy-messages.ts';
import { initNodeBackend } from './backend.ts';

const port = parentPort;
if (!port) throw new Error('copy-worker.ts runs only as a worker thread');
const handle = copyWorkerHandler(
  (event) => port.postMessage(event),
  async (name) => {
    const { backend, notice } = await initNodeBackend(name === 'cpu' ? 'cpu' : 'wasm');
    if (backend !== name) throw new Error(notice ?? `${name} is not a Node backend`);
    return backend;
  },
);
port.on('message', (command: CopyWorkerCommand) => void handle(command));
