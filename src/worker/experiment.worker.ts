/// <reference lib="webworker" />
/**
 * The training worker: decodes commands, loads the data once, starts a backend, runs the core
 * experiment and posts its events. Nothing here computes; the core does.
 */
import * as tf from '@tensorflow/tfjs';
import { type ExperimentConfig } from '../core/experiments/config.ts';
import type { Checkpoint } from '../core/experiments/checkpoint.ts';
import { optimizerOf } from '../core/experiments/trainees.ts';
import { modelFor } from '../core/models/registry.ts';
import { measureStepsPerSecond } from '../core/train/probe.ts';
import { isAbortError } from '../core/train/yield.ts';
import { type BackendName, type DatasetStatus, type WorkerCommand, type WorkerEvent, assertNever } from '../protocol/messages.ts';
import { RunStore } from '../storage/run-store.ts';
import { chooseBackend, startNamedBackend } from './backend.ts';
import { copyWorkerTensors, copyWorkersFor, dropCopyWorkers } from './copy-workers.ts';
import { checkCifar, experimentData, forgetCifar, loadCifar } from './datasets.ts';
import { liveRunIds } from '../protocol/run-locks.ts';
import { withRunLock } from './run-lock.ts';
import { listRuns, runSession } from './run-session.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (event: WorkerEvent): void => scope.postMessage(event);
const reportCifar = (status: DatasetStatus): void => post({ type: 'cifar', status });

let current: { runId: string; controller: AbortController; finished: Promise<void> } | null = null;

let store: Promise<RunStore | null> | null = null;

/** The run store, opened once; null (reported once) where this browser cannot store runs. */
function runStore(): Promise<RunStore | null> {
  store ??= RunStore.open().catch((error: unknown) => {
    post({ type: 'storage', message: `${(error as Error).message}; runs are not saved in this browser.` });
    return null;
  });
  return store;
}

/** Runs a new experiment (`config`), or continues stored run `runId` from its last checkpoint (`resume`). */
async function run(runId: string, request: { config: ExperimentConfig } | { resume: true }, dataUrl: string, signal: AbortSignal): Promise<void> {
  try {
    await withRunLock(runId, () => runLocked(runId, request, dataUrl, signal));
  } catch (error) {
    if (isAbortError(error)) post({ type: 'cancelled', runId });
    else {
      dropCopyWorkers();
      post({ type: 'error', runId, message: messageOf(error) });
    }
  } finally {
    post({ type: 'idle', runId, numTensors: await tensorsAllocated() });
  }
}

/**
 * Tensors still allocated in this worker and its copy workers. The engine's own count: tf.memory()
 * would ask a backend, and before one has started (data missing, every backend failing) that
 * throws, which once left the next Start hanging.
 */
async function tensorsAllocated(): Promise<number> {
  return tf.engine().state.numTensors + (await copyWorkerTensors());
}

/** The body of {@link run}, while this tab holds the run's lock. */
async function runLocked(runId: string, request: { config: ExperimentConfig } | { resume: true }, dataUrl: string, signal: AbortSignal): Promise<void> {
  const stored = 'resume' in request ? await storedCheckpoint(runId) : null;
  const config = stored ? stored.config : (request as { config: ExperimentConfig }).config;
  post({ type: 'status', runId, message: config.model === 'resnet-20' ? 'Loading CIFAR-10…' : 'Loading MNIST (60,000 training and 10,000 test images)…' });
  const data = await experimentData(config, dataUrl, reportCifar);
  post({ type: 'status', runId, message: `Starting the ${config.backend} backend…` });
  const model = modelFor(config.model, config.width);
  const chosen = await chooseBackend(config.backend, () => measureStepsPerSecond(model, data.train, optimizerOf(config), config.batchSize));
  const notices = [...chosen.notices];
  const workers = async (backend: BackendName) =>
    copyWorkersFor({ backend, model: config.model, width: config.width, train: data.train }, (problem) => notices.push(problem));
  const first = await workers(chosen.chosen);
  if (first) notices.push(`the two copies of each pair train at once in ${first.parallelism} workers`);
  post({ type: 'backend', runId, report: { ...chosen, notices } });
  const host = { post, store: await runStore(), startBackend: async (name: BackendName) => void (await startNamedBackend(name)), copyTrainerFor: workers };
  await runSession(host, { runId, config, data, backend: chosen.chosen, signal, resume: stored?.checkpoint });
}

/** A stored run's configuration and checkpoint; throws a clear error when it cannot be resumed. */
async function storedCheckpoint(runId: string): Promise<{ config: ExperimentConfig; checkpoint: Checkpoint }> {
  const s = await runStore();
  if (!s) throw new Error('runs cannot be stored in this browser, so there is nothing to resume');
  const checkpoint = await s.checkpoint(runId);
  if (!checkpoint) throw new Error('this run has no checkpoint to resume from (it stopped before its first pair finished); start it again');
  return { config: checkpoint.config, checkpoint };
}

/**
 * Starts `body` as the current run, cancelling any run in progress first. Whatever `body` does,
 * the run ends with an `error` (if it threw) and `idle`, and the worker is ready for the next.
 */
async function startRun(runId: string, body: (signal: AbortSignal) => Promise<void>): Promise<void> {
  if (current) {
    current.controller.abort();
    await current.finished;
  }
  const controller = new AbortController();
  const finished = body(controller.signal).catch((error: unknown) => {
    post({ type: 'error', runId, message: messageOf(error) });
    post({ type: 'idle', runId, numTensors: tf.engine().state.numTensors });
  });
  current = { runId, controller, finished };
  await finished;
  if (current?.runId === runId) current = null;
}

/** An error's message, for the user. */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Answers the commands about stored runs. */
async function storedRuns(command: Extract<WorkerCommand, { type: 'list-runs' | 'open-run' | 'delete-run' }>): Promise<void> {
  const s = await runStore();
  if (!s) return;
  try {
    if (command.type === 'open-run') {
      const found = await s.get(command.runId);
      if (found) post({ type: 'stored-run', run: found, purpose: command.purpose });
      else post({ type: 'storage', message: 'that run is no longer stored' });
      return;
    }
    if (command.type === 'delete-run') {
      if (current?.runId === command.runId) throw new Error('a run cannot be deleted while it runs; cancel it first');
      if ((await liveRunIds()).has(command.runId)) throw new Error('that run is running in another tab of this browser; cancel it there first');
      await s.delete(command.runId);
    }
  } catch (error) {
    post({ type: 'storage', message: (error as Error).message });
  }
  await listRuns(post, s);
}

/** Carries out one command from the UI. */
async function handle(command: WorkerCommand): Promise<void> {
  switch (command.type) {
    case 'start':
      await startRun(command.runId, (signal) => run(command.runId, { config: command.config }, command.dataUrl, signal));
      break;
    case 'resume':
      await startRun(command.runId, (signal) => run(command.runId, { resume: true }, command.dataUrl, signal));
      break;
    case 'list-runs':
    case 'open-run':
    case 'delete-run':
      await storedRuns(command);
      break;
    case 'cancel':
      if (current?.runId === command.runId) current.controller.abort();
      // A run this worker does not have (it ended meanwhile, or a restarted worker never had it).
      else post({ type: 'cancelled', runId: command.runId });
      break;
    case 'load-cifar':
      await loadCifar(command.source, reportCifar);
      break;
    case 'cifar-status':
      await checkCifar(command.dataUrl, reportCifar);
      break;
    case 'forget-cifar':
      await forgetCifar(reportCifar);
      break;
    default:
      assertNever(command);
  }
}

/** Reports a command that failed outside a run's own handling, so that the UI never waits on it. */
function reportFailure(command: WorkerCommand, error: unknown): void {
  const message = messageOf(error);
  if (command.type === 'start' || command.type === 'resume') {
    post({ type: 'error', runId: command.runId, message });
    post({ type: 'idle', runId: command.runId, numTensors: tf.engine().state.numTensors });
  } else if (command.type === 'load-cifar' || command.type === 'cifar-status' || command.type === 'forget-cifar') reportCifar({ state: 'error', message });
  else post({ type: 'storage', message });
}

scope.onmessage = (message: MessageEvent<WorkerCommand>) => {
  handle(message.data).catch((error: unknown) => reportFailure(message.data, error));
};
