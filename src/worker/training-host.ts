import { usesCifar } from '../core/models/model.ts';
import * as tf from '@tensorflow/tfjs';
import type { Checkpoint } from '../core/experiments/checkpoint.ts';
import type { ExperimentConfig } from '../core/experiments/config.ts';
import { isAbortError, throwIfAborted } from '../core/train/yield.ts';
import { type BackendName, type WorkerCommand, type WorkerEvent, assertNever } from '../protocol/messages.ts';
import { liveRunIds } from '../protocol/run-locks.ts';
import { RunStore } from '../storage/run-store.ts';
import { chooseBackend, messageOf, startNamedBackend } from './backend.ts';
import { TrainingSpeeds, probeOf, runSecondsOf } from './training-speeds.ts';
import { copyWorkersNotice } from '../core/experiments/pair.ts';
import { sideBySideWanted } from '../core/train/side-by-side.ts';
import { CopyWorkerKeeper } from './copy-workers.ts';
import { WorkerDatasets } from './datasets.ts';
import { withRunLock } from './run-lock.ts';
import { listRuns, runSession } from './run-session.ts';

/** What a run asks for: a new experiment of `config`, or the stored run's continuation. */
type RunRequest = { readonly config: ExperimentConfig } | { readonly resume: true };

/**
 * Everything the training worker holds, in one place: the run in progress, the run store, the
 * datasets and the copy workers. It decodes the UI's commands, loads the data, starts a
 * backend, runs the core experiment through a run session and posts the events. Whatever a
 * command meets, the UI gets an answer, so nothing waits forever.
 */
export class TrainingHost {
  private current: { runId: string; controller: AbortController; finished: Promise<void> } | null = null;
  private store: Promise<RunStore | null> | null = null;
  private readonly datasets: WorkerDatasets;
  private readonly copyWorkers = new CopyWorkerKeeper();
  /** The estimate in progress (a run waits for it, so the two never share the backend). */
  private estimating: Promise<void> | null = null;
  /** The training speeds measured in this worker (estimates' and runs'). */
  private readonly speeds = new TrainingSpeeds();

  constructor(private readonly post: (event: WorkerEvent) => void) {
    this.datasets = new WorkerDatasets((status) => post({ type: 'cifar', status }));
  }

  /** Carries out `command`, reporting anything it throws. */
  receive(command: WorkerCommand): void {
    this.handle(command).catch((error: unknown) => this.reportFailure(command, error));
  }

  private async handle(command: WorkerCommand): Promise<void> {
    switch (command.type) {
      case 'start':
        await this.startRun(command.runId, (signal) => this.run(command.runId, { config: command.config }, command.dataUrl, signal));
        break;
      case 'resume':
        await this.startRun(command.runId, (signal) => this.run(command.runId, { resume: true }, command.dataUrl, signal));
        break;
      case 'list-runs':
      case 'open-run':
      case 'delete-run':
        await this.storedRuns(command);
        break;
      case 'cancel':
        if (this.current?.runId === command.runId) this.current.controller.abort();
        // A run this worker does not have (it ended meanwhile, or a restarted worker never had it).
        else this.post({ type: 'cancelled', runId: command.runId });
        break;
      case 'load-cifar':
        await this.datasets.loadCifar(command.source);
        break;
      case 'cifar-status':
        await this.datasets.checkCifar(command.dataUrl);
        break;
      case 'forget-cifar':
        await this.datasets.forgetCifar();
        break;
      case 'estimate': {
        // One estimate at a time, each after the one before, and a run after all of them.
        const before = this.estimating;
        const mine = (async () => {
          await before?.catch(() => undefined);
          await this.estimate(command);
        })();
        this.estimating = mine;
        await mine.finally(() => {
          if (this.estimating === mine) this.estimating = null;
        });
        break;
      }
      default:
        assertNever(command);
    }
  }

  /** Reports a command that failed outside a run's own handling, so that the UI never waits on it. */
  private reportFailure(command: WorkerCommand, error: unknown): void {
    const message = messageOf(error);
    if (command.type === 'start' || command.type === 'resume') this.failRun(command.runId, error);
    else if (command.type === 'load-cifar' || command.type === 'cifar-status' || command.type === 'forget-cifar')
      this.post({ type: 'cifar', status: { state: 'error', message } });
    else this.post({ type: 'storage', message });
  }

  /** Ends run `runId` with `error`'s message and the idle report, so the UI is ready for the next Start. */
  private failRun(runId: string, error: unknown): void {
    this.post({ type: 'error', runId, message: messageOf(error) });
    this.post({ type: 'idle', runId, numTensors: tf.engine().state.numTensors });
  }

  /** The run store, opened once; null (reported once) where this browser cannot store runs. */
  private runStore(): Promise<RunStore | null> {
    this.store ??= RunStore.open().catch((error: unknown) => {
      this.post({ type: 'storage', message: `${(error as Error).message}; runs are not saved in this browser.` });
      return null;
    });
    return this.store;
  }

  /**
   * Starts `body` as the current run, cancelling any run in progress first. Whatever `body` does,
   * the run ends with an `error` (if it threw) and `idle`, and the worker is ready for the next.
   */
  private async startRun(runId: string, body: (signal: AbortSignal) => Promise<void>): Promise<void> {
    await this.estimating?.catch(() => undefined);
    if (this.current) {
      this.current.controller.abort();
      await this.current.finished;
    }
    const controller = new AbortController();
    const finished = body(controller.signal).catch((error: unknown) => this.failRun(runId, error));
    this.current = { runId, controller, finished };
    await finished;
    if (this.current?.runId === runId) this.current = null;
  }

  /** Runs a new experiment, or continues stored run `runId` from its last checkpoint, holding the run's lock. */
  private async run(runId: string, request: RunRequest, dataUrl: string, signal: AbortSignal): Promise<void> {
    try {
      await withRunLock(runId, () => this.runLocked(runId, request, dataUrl, signal));
    } catch (error) {
      if (isAbortError(error)) this.post({ type: 'cancelled', runId });
      else {
        this.copyWorkers.drop();
        this.post({ type: 'error', runId, message: messageOf(error) });
      }
    } finally {
      this.post({ type: 'idle', runId, numTensors: await this.tensorsAllocated() });
    }
  }

  /**
   * Tensors still allocated in this worker and its copy workers. The engine's own count:
   * tf.memory() would ask a backend, and before one has started (data missing, every backend
   * failing) that throws, which once left the next Start hanging.
   */
  private async tensorsAllocated(): Promise<number> {
    return tf.engine().state.numTensors + (await this.copyWorkers.tensorsLeft());
  }

  /** The body of {@link run}, while this tab holds the run's lock. */
  private async runLocked(runId: string, request: RunRequest, dataUrl: string, signal: AbortSignal): Promise<void> {
    const stored = 'resume' in request ? await this.storedCheckpoint(runId) : null;
    const config = stored ? stored.config : (request as { config: ExperimentConfig }).config;
    this.post({
      type: 'status',
      runId,
      message: usesCifar(config.model) ? 'Loading CIFAR-10…' : 'Loading MNIST (60,000 training and 10,000 test images)…',
    });
    const data = await this.datasets.experimentData(config, dataUrl);
    this.post({ type: 'status', runId, message: `Starting the ${config.backend} backend…` });
    const probe = probeOf(config, data);
    const chosen = await chooseBackend(config.backend, probe, runSecondsOf(config, data));
    const notices = [...chosen.notices];
    const workers = async (backend: BackendName) =>
      this.copyWorkers.workersFor({ backend, model: config.model, width: config.width, train: data.train }, (problem) => notices.push(problem));
    const first = await workers(chosen.chosen);
    if (first) notices.push(copyWorkersNotice(first.parallelism));
    const timing = () => this.post({ type: 'status', runId, message: `Timing a pair's copies side by side on ${chosen.chosen}…` });
    const sideBySide = !first && sideBySideWanted() ? await this.speeds.sideBySide(config, chosen, probe, notices, timing) : undefined;
    throwIfAborted(signal);
    this.post({ type: 'backend', runId, report: { ...chosen, notices } });
    const host = {
      post: this.post,
      store: await this.runStore(),
      startBackend: async (name: BackendName) => void (await startNamedBackend(name)),
      copyTrainerFor: workers,
    };
    await runSession(host, { runId, config, data, backend: chosen.chosen, signal, resume: stored?.checkpoint, sideBySide });
  }

  /**
   * Answers how long `config` should take here: the chosen backend's training speed, measured
   * once per backend, model, width, batch size and optimiser by a short probe, applied to the
   * run's work (copies two at once where copy workers run). Says why when it cannot.
   */
  private async estimate(command: Extract<WorkerCommand, { type: 'estimate' }>): Promise<void> {
    const { key, config } = command;
    if (this.current) {
      this.post({ type: 'estimate', estimate: { key, unavailable: 'a run is in progress' } });
      return;
    }
    try {
      const data = await this.datasets.experimentData(config, command.dataUrl);
      let speed = this.speeds.known(config);
      if (!speed) {
        const probe = probeOf(config, data);
        speed = await this.speeds.of(config, await chooseBackend(config.backend, probe, runSecondsOf(config, data)), probe);
      }
      const seconds = runSecondsOf(config, data)(speed.backend, speed);
      this.post({ type: 'estimate', estimate: { key, seconds, ...speed } });
    } catch (error) {
      this.post({ type: 'estimate', estimate: { key, unavailable: messageOf(error) } });
    }
  }

  /** A stored run's configuration and checkpoint; throws a clear error when it cannot be resumed. */
  private async storedCheckpoint(runId: string): Promise<{ config: ExperimentConfig; checkpoint: Checkpoint }> {
    const s = await this.runStore();
    if (!s) throw new Error('runs cannot be stored in this browser, so there is nothing to resume');
    const checkpoint = await s.checkpoint(runId);
    if (!checkpoint) throw new Error('this run has no checkpoint to resume from (it stopped before its first pair finished); start it again');
    return { config: checkpoint.config, checkpoint };
  }

  /** Answers the commands about stored runs. */
  private async storedRuns(command: Extract<WorkerCommand, { type: 'list-runs' | 'open-run' | 'delete-run' }>): Promise<void> {
    const s = await this.runStore();
    if (!s) return;
    try {
      if (command.type === 'open-run') {
        const found = await s.get(command.runId);
        if (found) this.post({ type: 'stored-run', run: found, purpose: command.purpose });
        else this.post({ type: 'storage', message: 'that run is no longer stored' });
        return;
      }
      if (command.type === 'delete-run') {
        if (this.current?.runId === command.runId) throw new Error('a run cannot be deleted while it runs; cancel it first');
        if ((await liveRunIds()).has(command.runId)) throw new Error('that run is running in another tab of this browser; cancel it there first');
        await s.delete(command.runId);
      }
    } catch (error) {
      this.post({ type: 'storage', message: (error as Error).message });
    }
    await listRuns(this.post, s);
  }
}
