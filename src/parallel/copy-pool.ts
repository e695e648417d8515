import type { ImageDataset } from '../core/data/dataset.ts';
import type { ModelName } from '../core/models/model.ts';
import { type CopyJob, type CopyProgress, type CopyTrainer, CopyDivergedError } from '../core/train/copy-trainer.ts';
import type { LrSchedule } from '../core/train/schedule.ts';
import type { TraineeSnapshot } from '../core/train/snapshot.ts';
import { throwIfAborted } from '../core/train/yield.ts';
import type { CopyWorkerCommand, CopyWorkerEvent } from '../protocol/copy-messages.ts';
import { AsyncQueue } from './async-queue.ts';

/** One copy worker, whatever runs it (a browser Worker, a Node worker thread). */
export interface CopyWorkerPort {
  post(command: CopyWorkerCommand): void;
  /** Sets the listener of the worker's events and of its failure (a crash, a script that fails to load). */
  listen(onEvent: (event: CopyWorkerEvent) => void, onFailure: (error: Error) => void): void;
  terminate(): void;
}

/** What every copy worker of a pool is set up with. */
export interface CopyPoolSetup {
  readonly backend: string;
  readonly model: ModelName;
  readonly width: number;
  readonly train: ImageDataset;
}

type Arrival = { readonly port: number; readonly event: CopyWorkerEvent } | { readonly port: number; readonly failure: Error };

/**
 * A {@link CopyTrainer} over copy workers: each job goes to a free worker, the next waiting one
 * when it finishes. A worker that crashes breaks the pool (later calls throw); cancelling
 * stops every running job before `train` throws.
 */
export class CopyWorkerPool implements CopyTrainer {
  private readonly arrivals = new AsyncQueue<Arrival>();
  private nextJobId = 0;
  private broken: Error | null = null;
  /** Tensors each worker said were left after its last job. */
  private readonly leftByPort: number[];

  private constructor(private readonly ports: readonly CopyWorkerPort[]) {
    this.leftByPort = ports.map(() => 0);
    for (const [index, port] of ports.entries()) {
      port.listen(
        (event) => this.arrivals.push({ port: index, event }),
        (failure) => this.arrivals.push({ port: index, failure }),
      );
    }
  }

  /**
   * Sets up every worker of `ports` (backend, model, training split) and resolves once all are
   * ready; if one fails, every worker is terminated and the error says why.
   */
  static async start(ports: readonly CopyWorkerPort[], setup: CopyPoolSetup): Promise<CopyWorkerPool> {
    if (ports.length === 0) throw new Error('a copy-worker pool needs at least one worker');
    const pool = new CopyWorkerPool(ports);
    for (const port of ports) port.post({ type: 'setup', ...setup });
    let ready = 0;
    while (ready < ports.length) {
      const arrival = await pool.arrivals.next();
      const problem = 'failure' in arrival ? arrival.failure.message : arrival.event.type === 'setup-failed' ? arrival.event.message : null;
      if (problem !== null) {
        pool.close();
        throw new Error(`a copy worker failed to start: ${problem}`);
      }
      if ('event' in arrival && arrival.event.type === 'ready') ready += 1;
    }
    return pool;
  }

  get parallelism(): number {
    return this.ports.length;
  }

  async *train(
    jobs: readonly CopyJob[],
    schedule: LrSchedule,
    options: { readonly signal?: AbortSignal | undefined; readonly reportEveryMs: number },
  ): AsyncGenerator<CopyProgress, TraineeSnapshot[]> {
    if (this.broken) throw new Error(`the copy workers stopped working earlier (${this.broken.message})`);
    const results: TraineeSnapshot[] = [];
    const waiting = jobs.map((_, index) => index);
    const running = new Map<number, { index: number; port: number }>();
    const startNext = (port: number): void => {
      const index = waiting.shift();
      const job = index === undefined ? undefined : jobs[index];
      if (index === undefined || !job) return;
      const id = this.nextJobId++;
      running.set(id, { index, port });
      this.ports[port]?.post({ type: 'train', job: id, snapshot: job.snapshot, mask: job.mask, to: job.to, schedule, reportEveryMs: options.reportEveryMs });
    };
    const onAbort = (): void => {
      waiting.length = 0;
      for (const [id, { port }] of running) this.ports[port]?.post({ type: 'cancel', job: id });
    };
    options.signal?.addEventListener('abort', onAbort);
    try {
      throwIfAborted(options.signal);
      for (const port of this.ports.keys()) startNext(port);
      while (running.size > 0) {
        const arrival = await this.arrivals.next();
        if ('failure' in arrival) throw this.breakWith(arrival.failure);
        const { event } = arrival;
        if (event.type === 'ready' || event.type === 'setup-failed') continue;
        if (event.type !== 'progress') this.leftByPort[arrival.port] = event.numTensors;
        const job = running.get(event.job);
        if (!job) continue;
        switch (event.type) {
          case 'progress':
            yield { job: job.index, step: event.step, loss: event.loss };
            break;
          case 'done':
            running.delete(event.job);
            results[job.index] = event.snapshot;
            startNext(job.port);
            break;
          case 'cancelled':
            running.delete(event.job);
            break;
          case 'failed':
            running.delete(event.job);
            throw event.diverged
              ? new CopyDivergedError(job.index, event.diverged.step, event.diverged.loss)
              : new Error(`training a copy failed: ${event.message}`);
        }
      }
      throwIfAborted(options.signal);
      return results;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      await this.stopAll(running);
    }
  }

  /** Cancels the jobs still running and waits until each has ended, so the workers are free. */
  private async stopAll(running: Map<number, { index: number; port: number }>): Promise<void> {
    for (const [id, { port }] of running) this.ports[port]?.post({ type: 'cancel', job: id });
    while (running.size > 0 && !this.broken) {
      const arrival = await this.arrivals.next();
      if ('failure' in arrival) this.breakWith(arrival.failure);
      else if (arrival.event.type === 'done' || arrival.event.type === 'cancelled' || arrival.event.type === 'failed') {
        this.leftByPort[arrival.port] = arrival.event.numTensors;
        running.delete(arrival.event.job);
      }
    }
  }

  /** Tensors left allocated in the workers after their last jobs (0 unless something leaked). */
  tensorsLeft(): number {
    return this.leftByPort.reduce((a, b) => a + b, 0);
  }

  private breakWith(failure: Error): Error {
    this.broken = failure;
    this.close();
    return new Error(`a copy worker stopped: ${failure.message}`);
  }

  /** Terminates every worker. */
  close(): void {
    for (const port of this.ports) port.terminate();
  }
}
