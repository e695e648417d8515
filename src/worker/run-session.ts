import { type Checkpoint, ResumeRefusedError } from '../core/experiments/checkpoint.ts';
import type { ExperimentConfig } from '../core/experiments/config.ts';
import { runExperiment } from '../core/experiments/run.ts';
import type { ExperimentData } from '../core/experiments/run-context.ts';
import type { CopyTrainer } from '../core/train/copy-trainer.ts';
import { TrainingDivergedError } from '../core/train/trainer.ts';
import { isAbortError } from '../core/train/yield.ts';
import type { BackendName, WorkerEvent } from '../protocol/messages.ts';
import type { RunStore } from '../storage/run-store.ts';

/** Backends in the order a failing one falls back through. */
export const FALLBACK_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** What a run session needs from its host (the worker; tests give stand-ins). */
export interface SessionHost {
  readonly post: (event: WorkerEvent) => void;
  /** Where runs are stored; null when storage is unavailable (the run goes on unsaved). */
  readonly store: RunStore | null;
  /** Starts the named backend, or throws. */
  readonly startBackend: (name: BackendName) => Promise<void>;
  /** The copy trainer for a backend (null: copies train one after the other). */
  readonly copyTrainerFor: (backend: BackendName) => Promise<CopyTrainer | null>;
  /** The experiment to run (the real one unless a test replaces it). */
  readonly experiment?: typeof runExperiment;
}

/** What a run session is asked to do. */
export interface SessionRequest {
  readonly runId: string;
  readonly config: ExperimentConfig;
  readonly data: ExperimentData;
  /** The backend already started for the run. */
  readonly backend: BackendName;
  readonly signal: AbortSignal;
  /** The stored checkpoint to continue from (a resumed run). */
  readonly resume?: Checkpoint | undefined;
  /** Whether pairs train side by side on `backend` (its probe's verdict; absent: the backend's default). */
  readonly sideBySide?: boolean | undefined;
}

/** True for errors a different backend may not have: not a cancel, a divergence, or a refused resume. */
function isBackendFailure(error: unknown): boolean {
  return !isAbortError(error) && !(error instanceof TrainingDivergedError) && !(error instanceof ResumeRefusedError);
}

/**
 * Runs one experiment for the worker: records it in the store, saves each checkpoint, and posts
 * every event. When the backend fails mid-run (a lost WebGPU device, a kernel error), it starts
 * the next backend in {@link FALLBACK_ORDER} and continues from the last checkpoint, with a
 * notice. A storage failure is reported once and the run goes on unsaved. Throws what ends the
 * run (cancel, divergence, a failure on the last backend) after recording it in the store.
 */
export async function runSession(host: SessionHost, request: SessionRequest): Promise<void> {
  const { runId, config, data, signal } = request;
  const experiment = host.experiment ?? runExperiment;
  let store = host.store;
  const storing = async (body: (s: RunStore) => Promise<void>): Promise<void> => {
    if (!store) return;
    try {
      await body(store);
    } catch (error) {
      host.post({ type: 'storage', message: `${(error as Error).message} The run goes on without being saved.` });
      store = null;
    }
  };
  let backend = request.backend;
  let checkpoint = request.resume;
  let fractionDone = 0;
  await storing((s) => (request.resume ? s.reopen(runId, backend) : s.create(runId, config, backend)));
  await listRuns(host.post, store);
  try {
    for (;;) {
      const copyTrainer = await host.copyTrainerFor(backend);
      const onCheckpoint = async (c: Checkpoint): Promise<void> => {
        checkpoint = c;
        await storing((s) => s.saveCheckpoint(runId, c, fractionDone));
        await listRuns(host.post, store);
      };
      try {
        const sideBySide = backend === request.backend ? request.sideBySide : undefined;
        for await (const event of experiment(config, data, {
          backend,
          signal,
          copyTrainer: copyTrainer ?? undefined,
          resume: checkpoint,
          onCheckpoint,
          sideBySide,
        })) {
          if (event.type === 'progress') fractionDone = event.fractionDone;
          if (event.type === 'done') await storing((s) => s.finish(runId, event.results));
          host.post({ type: 'experiment', runId, event });
        }
        return;
      } catch (error) {
        const next = FALLBACK_ORDER[FALLBACK_ORDER.indexOf(backend) + 1];
        if (!isBackendFailure(error) || !next) throw error;
        await host.startBackend(next);
        const notice = `${backend} failed (${(error as Error).message}); continuing on ${next} from the last checkpoint${checkpoint ? '' : ' (none yet: from the start)'}`;
        host.post({ type: 'notice', runId, message: notice });
        host.post({ type: 'backend', runId, report: { requested: config.backend, chosen: next, notices: [], probes: [] } });
        backend = next;
      }
    }
  } catch (error) {
    await storing((s) => s.stop(runId, isAbortError(error) ? 'cancelled' : 'failed', isAbortError(error) ? undefined : (error as Error).message));
    throw error;
  } finally {
    await listRuns(host.post, store);
  }
}

/** Posts the stored runs (nothing without a store). */
export async function listRuns(post: (event: WorkerEvent) => void, store: RunStore | null): Promise<void> {
  if (!store) return;
  try {
    post({ type: 'runs', runs: await store.list() });
  } catch (error) {
    post({ type: 'storage', message: (error as Error).message });
  }
}
