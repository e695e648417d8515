import { type StoreApi, createStore } from 'zustand/vanilla';
import { type ExperimentConfig } from '../core/experiments/config.ts';
import { DEFAULT_PRESET, PRESETS, type PresetName, closestPreset } from '../core/experiments/presets.ts';
import { decodeConfig, encodeConfig } from '../core/experiments/link.ts';
import { type CifarSource, type DatasetStatus, type DurationEstimate, type WorkerCommand, type WorkerEvent, assertNever } from '../protocol/messages.ts';
import type { ExperimentResults } from '../core/experiments/results.ts';
import type { StoredRun, StoredRunSummary } from '../protocol/stored-runs.ts';
import type { ComparedRun } from './chart-data.ts';
import { EMPTY_RUN, type RunState, applyEvent, isBusy, runFromEvents, runFromResults } from './run-state.ts';

/** The app's state: the configuration being edited, what the link said, and the current run. */
export interface AppState {
  readonly preset: PresetName;
  readonly config: ExperimentConfig;
  /** Problems found in the link the page was opened with (shown until dismissed). */
  readonly linkProblems: readonly string[];
  readonly run: RunState;
  /** What the worker last said about CIFAR-10. */
  readonly cifar: DatasetStatus;
  /** Runs stored in this browser, newest first. */
  readonly storedRuns: readonly StoredRunSummary[];
  /** Why runs cannot be stored, or what a store operation hit (null when all is well). */
  readonly storageMessage: string | null;
  /** Finished stored runs drawn together on the comparison chart. */
  readonly comparison: readonly ComparedRun[];
  /** How long configurations should take on this device, by {@link estimateKey} (the lab's form and the lesson's chapters). */
  readonly estimates: Readonly<Record<string, DurationEstimate>>;
  /** Which page is shown: the guided lesson, or the lab with every setting. */
  readonly view: AppView;
  /** Shows the lesson or the lab (the address bar follows in url-sync). */
  showView(view: AppView): void;
  /** Replaces the configuration with a preset's. */
  choosePreset(preset: PresetName): void;
  /** Sets one already-validated setting. */
  setField<K extends keyof ExperimentConfig>(field: K, value: ExperimentConfig[K]): void;
  /** Applies a share link's query string (bad fields fall back and are listed in linkProblems). */
  loadLink(query: string): void;
  dismissLinkProblems(): void;
  /** Hides the notices of the current run (they stay in its record). */
  dismissNotices(): void;
  /** Shows problems found while opening a link (e.g. a demo that cannot be read). */
  reportLinkProblems(problems: readonly string[]): void;
  /** Starts a run of the current configuration in the worker. */
  start(): void;
  /** Puts a preset's settings in the form and starts it (the lesson's "Run it yourself"); refused during a run. */
  startPreset(preset: PresetName): void;
  cancel(): void;
  /** Asks the worker to load CIFAR-10 from files or a URL, or whether it has it, or to forget it. */
  loadCifar(source: CifarSource): void;
  checkCifar(): void;
  forgetCifar(): void;
  /** Asks the worker for the stored runs. */
  refreshRuns(): void;
  /** Asks the worker how long `config` (default: the form's) should take here, unless it already said or is working on it. */
  requestEstimate(config?: ExperimentConfig): void;
  /** Continues a stored run from its last checkpoint. */
  resume(run: StoredRunSummary): void;
  /** Shows a stored run: its results when done, its results so far otherwise. */
  openRun(runId: string): void;
  deleteRun(runId: string): void;
  /** Adds a finished stored run to the comparison, or takes it out. */
  toggleCompare(run: StoredRunSummary): void;
  clearComparison(): void;
  /** Shows a finished run's results (imported) without training, with its configuration. */
  showResults(results: ExperimentResults): void;
  /** Puts the settings the shown results came from back in the form. */
  restoreRunSettings(): void;
  /** Routes a worker event into the run state; events of other runs are dropped. */
  receive(event: WorkerEvent): void;
  /** The training worker crashed (a fresh one serves the next command): ends what waited on it, with its message. */
  workerCrashed(message: string): void;
}

/** The two pages: the guided lesson (what a plain link opens) and the lab. */
export type AppView = 'lesson' | 'lab';

/** Sends commands to the training worker. */
export type CommandSink = (command: WorkerCommand) => void;

/** What the store needs from outside: the worker, and the app's data folder. */
export interface StoreDeps {
  readonly send: CommandSink;
  /** Absolute URL of the app's data folder (holding mnist/ and, when prepared, cifar10/). */
  readonly dataUrl: string;
}

/** The key an estimate is filed under: the configuration's link. */
export function estimateKey(config: ExperimentConfig): string {
  return encodeConfig(config);
}

/** The sentence shown when a link or results arrive during a run. */
export const REFUSED_WHILE_BUSY =
  'a run is in progress, so this link was not applied: its settings would not match the results being drawn. Cancel the run (its results so far are kept), then open the link again.';

/**
 * The app's store (zustand, vanilla: React reads it through the hook in store-context.tsx),
 * created with what it talks to, so a test can make a fresh one with stand-ins.
 */
export function createAppStore({ send, dataUrl }: StoreDeps): StoreApi<AppState> {
  let runCounter = 0;
  /** Estimates asked for and not answered yet (each is asked once). */
  const estimating = new Set<string>();
  return createStore<AppState>()((set, get) => {
    /** True (after saying so) while a run is in progress: nothing may change its settings or results then. */
    const refusedWhileBusy = (): boolean => {
      const { run, linkProblems } = get();
      if (!isBusy(run.phase)) return false;
      if (!linkProblems.includes(REFUSED_WHILE_BUSY)) set({ linkProblems: [...linkProblems, REFUSED_WHILE_BUSY] });
      return true;
    };
    /** Shows a stored run the worker sent (after openRun), unless a run is in progress. */
    const showStoredRun = (stored: StoredRun): void => {
      if (isBusy(get().run.phase)) return;
      if (stored.results) {
        get().showResults(stored.results);
        return;
      }
      const done = `${Math.round(100 * stored.fractionDone)}%`;
      set({
        config: stored.config,
        preset: closestPreset(stored.config),
        run: { ...runFromEvents(stored.id, stored.events, `Stored run, ${done} done when last saved: Resume continues it from there.`), config: stored.config },
      });
    };
    return {
      preset: DEFAULT_PRESET,
      config: PRESETS[DEFAULT_PRESET],
      linkProblems: [],
      run: EMPTY_RUN,
      cifar: { state: 'absent', message: 'Checking for CIFAR-10…' },
      storedRuns: [],
      storageMessage: null,
      comparison: [],
      estimates: {},
      view: 'lesson',
      showView: (view) => set({ view }),
      choosePreset: (preset) => set({ preset, config: PRESETS[preset] }),
      setField: (field, value) => set((s) => ({ config: { ...s.config, [field]: value } })),
      loadLink: (query) => {
        if (refusedWhileBusy()) return;
        const decoded = decodeConfig(query);
        set({ preset: decoded.preset, config: decoded.config, linkProblems: decoded.problems });
      },
      dismissLinkProblems: () => set({ linkProblems: [] }),
      dismissNotices: () => set((s) => ({ run: { ...s.run, notices: [] } })),
      reportLinkProblems: (problems) => set((s) => ({ linkProblems: [...s.linkProblems, ...problems] })),
      start: () => {
        const runId = `run-${Date.now().toString(36)}-${++runCounter}`;
        set({ run: { ...EMPTY_RUN, runId, config: get().config, phase: 'preparing', statusMessage: 'Starting the worker…' } });
        send({ type: 'start', runId, config: get().config, dataUrl });
      },
      startPreset: (preset) => {
        if (isBusy(get().run.phase)) return;
        // Where CIFAR-10 comes from is the reader's, not the preset's: a URL typed in the lab stays.
        set({ preset, config: { ...PRESETS[preset], cifarUrl: get().config.cifarUrl } });
        get().start();
      },
      cancel: () => {
        const { run } = get();
        if (!run.runId || (run.phase !== 'running' && run.phase !== 'preparing')) return;
        set({ run: { ...run, phase: 'cancelling' } });
        send({ type: 'cancel', runId: run.runId });
      },
      refreshRuns: () => send({ type: 'list-runs' }),
      requestEstimate: (config = get().config) => {
        const key = estimateKey(config);
        const known = get().estimates[key];
        // An answer with a duration stands; "unavailable" (e.g. during a run) may be asked again later.
        if (isBusy(get().run.phase) || estimating.has(key) || (known && 'seconds' in known)) return;
        estimating.add(key);
        send({ type: 'estimate', key, config, dataUrl });
      },
      resume: (stored) => {
        if (isBusy(get().run.phase)) return;
        set({
          config: stored.config,
          preset: closestPreset(stored.config),
          run: { ...EMPTY_RUN, runId: stored.id, config: stored.config, phase: 'preparing', statusMessage: 'Resuming from the last checkpoint…' },
        });
        send({ type: 'resume', runId: stored.id, dataUrl });
      },
      openRun: (runId) => send({ type: 'open-run', runId, purpose: 'show' }),
      deleteRun: (runId) => {
        set((s) => ({ comparison: s.comparison.filter((c) => c.id !== runId) }));
        send({ type: 'delete-run', runId });
      },
      toggleCompare: (run) => {
        const { comparison } = get();
        if (comparison.some((c) => c.id === run.id)) set({ comparison: comparison.filter((c) => c.id !== run.id) });
        else send({ type: 'open-run', runId: run.id, purpose: 'compare' });
      },
      clearComparison: () => set({ comparison: [] }),
      loadCifar: (source) => {
        set({ cifar: { state: 'loading', message: 'Loading CIFAR-10…' } });
        send({ type: 'load-cifar', source });
      },
      checkCifar: () => send({ type: 'cifar-status', dataUrl }),
      forgetCifar: () => send({ type: 'forget-cifar' }),
      showResults: (results) => {
        if (refusedWhileBusy()) return;
        // Results never set where data comes from: the current data URL stays.
        const config = { ...results.config, cifarUrl: get().config.cifarUrl };
        set({ config, preset: closestPreset(config), run: { ...runFromResults(results), config } });
      },
      restoreRunSettings: () => {
        const { run } = get();
        if (run.config && !isBusy(run.phase)) set({ config: run.config, preset: closestPreset(run.config) });
      },
      receive: (event) => {
        switch (event.type) {
          case 'cifar':
            set({ cifar: event.status });
            return;
          case 'runs':
            set({ storedRuns: event.runs });
            return;
          case 'storage':
            set({ storageMessage: event.message });
            return;
          case 'estimate':
            estimating.delete(event.estimate.key);
            set((s) => ({ estimates: { ...s.estimates, [event.estimate.key]: event.estimate } }));
            return;
          case 'stored-run':
            if (event.purpose === 'show') showStoredRun(event.run);
            else if (event.run.results) {
              const { results, id } = event.run;
              set((s) => ({
                comparison: [...s.comparison.filter((c) => c.id !== id), { id, label: new Date(event.run.createdAt).toLocaleString(), results }],
              }));
            }
            return;
        }
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
            if (isBusy(run.phase)) set({ run: { ...run, phase: 'cancelled', statusMessage: 'Cancelled; results so far are kept.' } });
            break;
          case 'error':
            // The error replaces whatever the run was doing ("Loading CIFAR-10…" must not stay on screen).
            set({ run: { ...run, phase: 'error', error: event.message, statusMessage: null } });
            break;
          case 'idle':
            set({ run: { ...run, tensorsAfterRun: event.numTensors } });
            break;
          case 'notice':
            set({ run: { ...run, notices: [...run.notices, event.message] } });
            break;
          default:
            assertNever(event);
        }
      },
      workerCrashed: (message) => {
        const { run, cifar } = get();
        estimating.clear(); // the new worker has none of them: they may be asked again
        const why = `the training worker stopped unexpectedly (${message}). Results so far are kept; Start runs again in a fresh worker, and a saved run can be resumed from its last checkpoint.`;
        if (isBusy(run.phase)) set({ run: { ...run, phase: 'error', error: why } });
        if (cifar.state === 'loading') set({ cifar: { state: 'error', message: why } });
      },
    };
  });
}
