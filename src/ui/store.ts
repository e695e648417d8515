import { create } from 'zustand';
import { DEFAULT_PRESET, type ExperimentConfig, PRESETS, type PresetName } from '../core/experiments/config.ts';
import { decodeConfig } from '../core/experiments/link.ts';
import { type WorkerCommand, type WorkerEvent, assertNever } from '../protocol/messages.ts';
import { EMPTY_RUN, type RunState, applyEvent } from './run-state.ts';

/** The app's state: the configuration being edited, what the link said, and the current run. */
export interface AppState {
  readonly preset: PresetName;
  readonly config: ExperimentConfig;
  /** Problems found in the link the page was opened with (shown until dismissed). */
  readonly linkProblems: readonly string[];
  readonly run: RunState;
  /** Replaces the configuration with a preset's. */
  choosePreset(preset: PresetName): void;
  /** Sets one already-validated setting. */
  setField<K extends keyof ExperimentConfig>(field: K, value: ExperimentConfig[K]): void;
  /** Applies a share link's query string (bad fields fall back and are listed in linkProblems). */
  loadLink(query: string): void;
  dismissLinkProblems(): void;
  /** Starts a run of the current configuration in the worker. */
  start(): void;
  cancel(): void;
  /** Routes a worker event into the run state; events of other runs are dropped. */
  receive(event: WorkerEvent): void;
}

/** Sends commands to the training worker; set once by the app's entry point. */
export type CommandSink = (command: WorkerCommand) => void;

let send: CommandSink = () => {
  throw new Error('the training worker is not connected');
};

/** Connects the store to the worker (the entry point calls this once). */
export function connectWorker(sink: CommandSink): void {
  send = sink;
}

let runCounter = 0;

/** The one store of the app. */
export const useAppStore = create<AppState>()((set, get) => ({
  preset: DEFAULT_PRESET,
  config: PRESETS[DEFAULT_PRESET],
  linkProblems: [],
  run: EMPTY_RUN,
  choosePreset: (preset) => set({ preset, config: PRESETS[preset] }),
  setField: (field, value) => set((s) => ({ config: { ...s.config, [field]: value } })),
  loadLink: (query) => {
    const decoded = decodeConfig(query);
    set({ preset: decoded.preset, config: decoded.config, linkProblems: decoded.problems });
  },
  dismissLinkProblems: () => set({ linkProblems: [] }),
  start: () => {
    const runId = `run-${Date.now().toString(36)}-${++runCounter}`;
    set({ run: { ...EMPTY_RUN, runId, phase: 'preparing', statusMessage: 'Starting the worker…' } });
    send({ type: 'start', runId, config: get().config, dataUrl: new URL('data/mnist/', document.baseURI).href });
  },
  cancel: () => {
    const { run } = get();
    if (!run.runId || (run.phase !== 'running' && run.phase !== 'preparing')) return;
    set({ run: { ...run, phase: 'cancelling' } });
    send({ type: 'cancel', runId: run.runId });
  },
  receive: (event) => {
    const run = get().run;
    if (event.runId !== run.runId) return;
    switch (event.type) {
      case 'status':
        set({ run: { ...run, statusMessage: event.message } });
        break;
      case 'backend':
        set({ run: { ...run, backend: event.report } });
        break;
      case 'experiment':
        set({ run: applyEvent(run, event.event) });
        break;
      case 'cancelled':
        set({ run: { ...run, phase: 'cancelled', statusMessage: 'Cancelled; results so far are kept.' } });
        break;
      case 'error':
        set({ run: { ...run, phase: 'error', error: event.message } });
        break;
      case 'idle':
        set({ run: { ...run, tensorsAfterRun: event.numTensors } });
        break;
      default:
        assertNever(event);
    }
  },
}));
