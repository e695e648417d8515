import type { ModelName } from '../core/models/model.ts';
import { type CopyPoolSetup, type CopyWorkerPort, CopyWorkerPool } from '../parallel/copy-pool.ts';
import type { CopyWorkerEvent } from '../protocol/copy-messages.ts';

/** Backends on which each worker uses a core of its own; GPU backends share one device and gain nothing. */
const CPU_BACKENDS: readonly string[] = ['wasm', 'cpu'];

/**
 * At most this many copy workers in a tab, per model: each holds its own copy of the training
 * split (MNIST's is 47 MB, CIFAR-10's 154 MB) and its own wasm heap, which a browser tab must fit.
 */
export const MAX_BROWSER_COPY_WORKERS: Readonly<Record<ModelName, number>> = { 'lenet-300-100': 8, 'resnet-20': 4, 'vgg-16': 4 };

/**
 * How many copy workers a run of `model` on `backend` gets in this browser: one per core
 * (`navigator.hardwareConcurrency`) up to the model's {@link MAX_BROWSER_COPY_WORKERS}; none on
 * GPU backends or on one core.
 */
export function copyWorkerCount(backend: string, model: ModelName): number {
  const cores = navigator.hardwareConcurrency || 1;
  return CPU_BACKENDS.includes(backend) && cores >= 2 ? Math.min(cores, MAX_BROWSER_COPY_WORKERS[model]) : 0;
}

function browserPort(): CopyWorkerPort {
  const worker = new Worker(new URL('./copy.worker.ts', import.meta.url), { type: 'module' });
  return {
    post: (command) => worker.postMessage(command),
    listen(onEvent, onFailure) {
      worker.onmessage = (message: MessageEvent<CopyWorkerEvent>) => onEvent(message.data);
      worker.onerror = (event) => {
        event.preventDefault();
        onFailure(new Error(event.message || 'the copy worker failed to load'));
      };
      worker.onmessageerror = () => onFailure(new Error('a message from the copy worker could not be read'));
    },
    terminate: () => worker.terminate(),
  };
}

/**
 * The copy workers of this worker (one per core, see {@link copyWorkerCount}), kept for the next
 * run with the same setup (the training split is sent once).
 */
export class CopyWorkerKeeper {
  private kept: { setup: CopyPoolSetup; pool: Promise<CopyWorkerPool> } | null = null;

  /**
   * Copy workers for a run on `setup.backend`. Null on GPU backends, on machines with one core,
   * and when the workers fail to start (`onProblem` says why; the copies then train one after
   * the other).
   */
  async workersFor(setup: CopyPoolSetup, onProblem: (message: string) => void): Promise<CopyWorkerPool | null> {
    const count = copyWorkerCount(setup.backend, setup.model);
    if (count < 2) return null;
    const kept = this.kept;
    const same =
      kept && kept.setup.backend === setup.backend && kept.setup.model === setup.model && kept.setup.width === setup.width && kept.setup.train === setup.train;
    if (!same) {
      void kept?.pool.then(
        (p) => p.close(),
        () => undefined,
      );
      this.kept = { setup, pool: CopyWorkerPool.start(Array.from({ length: count }, browserPort), setup) };
    }
    try {
      return await (this.kept as { pool: Promise<CopyWorkerPool> }).pool;
    } catch (error) {
      this.kept = null;
      onProblem(`${(error as Error).message}; the copies of each pair train one after the other`);
      return null;
    }
  }

  /** Forgets the kept workers (after they broke), so the next run starts fresh ones. */
  drop(): void {
    void this.kept?.pool.then(
      (p) => p.close(),
      () => undefined,
    );
    this.kept = null;
  }

  /** Tensors left in the kept workers after their last jobs (0 without workers). */
  async tensorsLeft(): Promise<number> {
    const pool = await this.kept?.pool.catch(() => null);
    return pool?.tensorsLeft() ?? 0;
  }
}
