import type { BackendRequest, ExperimentConfig } from '../core/experiments/config.ts';
import type { ExperimentEvent } from '../core/experiments/events.ts';
import type { TrainingSpeed } from '../core/train/probe.ts';
import type { StoredRun, StoredRunSummary } from './stored-runs.ts';

/** Backends the worker can run on. */
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** Which backend a run got and why: what was asked for, what each candidate did. */
export interface BackendReport {
  readonly requested: BackendRequest;
  readonly chosen: BackendName;
  /** One sentence per backend skipped or failed, or about a software adapter in use. */
  readonly notices: readonly string[];
  /** Measured training speed of each probed backend (auto with several real backends). */
  readonly probes: readonly ({ readonly backend: BackendName } & TrainingSpeed)[];
}

/** Where CIFAR-10 can come from: files the user picked or dropped, or a URL. */
export type CifarSource = { readonly kind: 'files'; readonly files: readonly File[] } | { readonly kind: 'url'; readonly url: string };

/** What the worker knows about a dataset that must be loaded once (CIFAR-10). */
export interface DatasetStatus {
  readonly state: 'absent' | 'loading' | 'ready' | 'error';
  /** A sentence for the user: where it came from, what to do, or what went wrong. */
  readonly message: string;
  /** Download progress 0–1, when known. */
  readonly progress?: number;
}

/** A run's expected duration on this device, for the configuration whose link is `key`. */
export type DurationEstimate =
  | {
      readonly key: string;
      readonly seconds: number;
      readonly backend: BackendName;
      /** Training steps per second measured by the probe. */
      readonly stepsPerSecond: number;
      /** A pair's steps per second side by side, where the backend trains pairs so (webgpu). */
      readonly pairStepsPerSecond?: number | null;
    }
  | { readonly key: string; readonly unavailable: string };

/** Why a stored run is opened: to show it as the current run, or to add it to the comparison. */
export type OpenPurpose = 'show' | 'compare';

/** Commands from the UI to the worker. */
export type WorkerCommand =
  /** `dataUrl` is the absolute URL of the app's data folder (holding mnist/ and, if prepared, cifar10/). */
  | { readonly type: 'start'; readonly runId: string; readonly config: ExperimentConfig; readonly dataUrl: string }
  | { readonly type: 'cancel'; readonly runId: string }
  /** Continue a stored run from its last checkpoint, under its own id. */
  | { readonly type: 'resume'; readonly runId: string; readonly dataUrl: string }
  /** Ask for the stored runs (answered by `runs`), one whole (`stored-run`), or delete one. */
  | { readonly type: 'list-runs' }
  | { readonly type: 'open-run'; readonly runId: string; readonly purpose: OpenPurpose }
  | { readonly type: 'delete-run'; readonly runId: string }
  /** Load CIFAR-10 from a source, validate it and cache it; `cifar-status` only reports. */
  | { readonly type: 'load-cifar'; readonly source: CifarSource }
  | { readonly type: 'cifar-status'; readonly dataUrl: string }
  /** Estimate how long `config` takes on this device (a short probe on its backend); answered by `estimate` with the same `key`. */
  | { readonly type: 'estimate'; readonly key: string; readonly config: ExperimentConfig; readonly dataUrl: string }
  | { readonly type: 'forget-cifar' };

/** Events from the worker to the UI; each names the run it belongs to. */
export type WorkerEvent =
  /** What the worker is doing before training starts (loading data, starting a backend). */
  | { readonly type: 'status'; readonly runId: string; readonly message: string }
  | { readonly type: 'backend'; readonly runId: string; readonly report: BackendReport }
  | { readonly type: 'experiment'; readonly runId: string; readonly event: ExperimentEvent }
  /** The run stopped on request; every tensor it held has been freed. */
  | { readonly type: 'cancelled'; readonly runId: string }
  | { readonly type: 'error'; readonly runId: string; readonly message: string }
  /** Sent after every run ends, however it ended: tensors still allocated in the worker and its copy workers. */
  | { readonly type: 'idle'; readonly runId: string; readonly numTensors: number }
  /** Something the user should know about a run that goes on (a backend fell back mid-run). */
  | { readonly type: 'notice'; readonly runId: string; readonly message: string }
  /** The stored runs, newest first (after list-runs, and whenever a run's record changes state). */
  | { readonly type: 'runs'; readonly runs: readonly StoredRunSummary[] }
  | { readonly type: 'stored-run'; readonly run: StoredRun; readonly purpose: OpenPurpose }
  /** Runs cannot be stored, or a store operation failed: why, in plain words. */
  | { readonly type: 'storage'; readonly message: string }
  /** How long a configuration should take here (seconds, from a measured probe), or why that cannot be said yet. */
  | { readonly type: 'estimate'; readonly estimate: DurationEstimate }
  /** CIFAR-10's state, after a load, a status request, or when a run needs it. */
  | { readonly type: 'cifar'; readonly status: DatasetStatus };

/** Compile-time exhaustiveness check for switches over the unions above. */
export function assertNever(value: never): never {
  throw new Error(`unexpected message ${JSON.stringify(value)}`);
}
