import { type CopyPoolSetup, type CopyWorkerPort, CopyWorkerPool } from '../parallel/copy-pool.ts';
import type { CopyWorkerEvent } from '../protocol/copy-messages.ts';

/** Backends on which two workers use two cores; GPU backends share one device and gain nothing. */
const CPU_BACKENDS: readonly string[] = ['wasm', 'cpu'];

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
 * The two copy workers of this worker, kept for the next run with the same setup (the training
 * split is sent once).
 */
export class CopyWorkerKeeper {
  private kept: { setup: CopyPoolSetup; pool: Promise<CopyWorkerPool> } | null = null;

  /**
   * Two copy workers for a run on `setup.backend`. Null on GPU backends, on machines with one
   * core, and when the workers fail to start (`onProblem` says why; the copies then train one
   * after the other).
   */
  async workersFor(setup: CopyPoolSetup, onProblem: (message: string) => void): Promise<CopyWorkerPool | null> {
    if (!CPU_BACKENDS.includes(setup.backend) || (navigator.hardwareConcurrency || 1) < 2) return null;
    const kept = this.kept;
    const same =
      kept && kept.setup.backend === setup.backend && kept.setup.model === setup.model && kept.setup.width === setup.width && kept.setup.train === setup.train;
    if (!same) {
      void kept?.pool.then(
        (p) => p.close(),
        () => undefined,
      );
      this.kept = { setup, pool: CopyWorkerPool.start([browserPort(), browserPort()], setup) };
    }
    try {
      return await (this.kept as { pool: Promise<CopyWorkerPool> }).pool;
    } catch (error) {
      this.kept = null;
      onProblem(`${(error as Error).message}; the two copies of each pair train one after the other`);
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
