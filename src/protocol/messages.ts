import type { BackendRequest, ExperimentConfig } from '../core/experiments/config.ts';
import type { ExperimentEvent } from '../core/experiments/events.ts';

/** Backends the worker can run on. */
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** Which backend a run got and why: what was asked for, what each candidate did. */
export interface BackendReport {
  readonly requested: BackendRequest;
  readonly chosen: BackendName;
  /** One sentence per backend skipped or failed, or about a software adapter in use. */
  readonly notices: readonly string[];
  /** Measured training speed of each probed backend (auto with several real backends). */
  readonly probes: readonly { readonly backend: BackendName; readonly stepsPerSecond: number }[];
}

/** Commands from the UI to the worker. */
export type WorkerCommand =
  /** `dataUrl` is the absolute URL of the folder holding the MNIST IDX files. */
  | { readonly type: 'start'; readonly runId: string; readonly config: ExperimentConfig; readonly dataUrl: string }
  | { readonly type: 'cancel'; readonly runId: string };

/** Events from the worker to the UI; each names the run it belongs to. */
export type WorkerEvent =
  /** What the worker is doing before training starts (loading data, starting a backend). */
  | { readonly type: 'status'; readonly runId: string; readonly message: string }
  | { readonly type: 'backend'; readonly runId: string; readonly report: BackendReport }
  | { readonly type: 'experiment'; readonly runId: string; readonly event: ExperimentEvent }
  /** The run stopped on request; every tensor it held has been freed. */
  | { readonly type: 'cancelled'; readonly runId: string }
  | { readonly type: 'error'; readonly runId: string; readonly message: string }
  /** Sent after every run ends, however it ended: tensors still allocated in the worker. */
  | { readonly type: 'idle'; readonly runId: string; readonly numTensors: number };

/** Compile-time exhaustiveness check for switches over the unions above. */
export function assertNever(value: never): never {
  throw new Error(`unexpected message ${JSON.stringify(value)}`);
}
