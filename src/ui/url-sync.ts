import type { ExperimentConfig } from '../core/experiments/config.ts';
import type { PresetName } from '../core/experiments/presets.ts';
import { encodeConfig } from '../core/experiments/link.ts';
import { decodeResultsFromLink, encodeResultsForLink } from '../core/experiments/results-link.ts';
import type { ExperimentResults } from '../core/experiments/results.ts';
import { DEMOS, fetchDemo, isDemoName } from './demos.ts';
import { isBusy } from './run-state.ts';
import type { StoreApi } from 'zustand/vanilla';
import type { AppState } from './store.ts';

/** The hash of the lesson page. */
export const LESSON_HASH = '#lesson';

/** True for the links that open the lesson: none at all (the app's plain address) and `#lesson`. */
export function opensLesson(hash: string): boolean {
  return hash === '' || hash === '#' || hash === LESSON_HASH;
}

/** The lab's link for a configuration (what "Open in the lab" and the lab's address bar hold). */
export function labHash(config: ExperimentConfig, preset?: PresetName): string {
  return `#${encodeConfig(config, preset)}`;
}

/**
 * The one place that touches `location` and `history`: opens the page a link names (the lesson
 * for a plain address, the lab for every other link, exactly as before the lesson existed), then
 * keeps the lab's hash in step with its configuration (replaceState, so Back leaves the app).
 */
export function syncConfigWithUrl(store: StoreApi<AppState>): void {
  const write = (): void => {
    const { config, preset, view } = store.getState();
    const next = view === 'lesson' ? LESSON_HASH : labHash(config, preset);
    if (window.location.hash !== next) window.history.replaceState(null, '', next);
  };
  const follow = (hash: string): void => {
    if (opensLesson(hash)) {
      store.getState().showView('lesson');
      return;
    }
    store.getState().showView('lab');
    const { config, preset } = store.getState();
    // The lab's own link for what the form holds (e.g. "Open in the lab" during that run) changes nothing.
    if (hash !== labHash(config, preset)) openLink(store, hash);
  };
  follow(window.location.hash);
  write();
  store.subscribe((state, previous) => {
    if (state.config !== previous.config || state.preset !== previous.preset || state.view !== previous.view) write();
  });
  window.addEventListener('hashchange', () => {
    follow(window.location.hash);
    // A link refused during a run must not stay in the address bar (nor in Copy link).
    if (isBusy(store.getState().run.phase)) write();
  });
}

/** Opens what a link's fragment names: a bundled demo (`demo=NAME`), results carried in the link (`results=…`), or a configuration. */
function openLink(store: StoreApi<AppState>, hash: string): void {
  const query = new URLSearchParams(hash.slice(1));
  const demo = query.get('demo');
  const results = query.get('results');
  if (demo !== null) void openDemo(store, demo);
  else if (results !== null) void openResults(store, results);
  else if (hash.length > 1) store.getState().loadLink(hash);
}

/** Shows the results a link carries; a link that cannot be read becomes a link problem. */
async function openResults(store: StoreApi<AppState>, encoded: string): Promise<void> {
  try {
    store.getState().showResults(await decodeResultsFromLink(encoded));
  } catch (error) {
    store.getState().reportLinkProblems([(error as Error).message]);
  }
}

/** The shareable link of the current configuration. */
export function currentLink(): string {
  return window.location.href;
}

/** A link that carries `results` themselves (opens them without training), or null when they are too large for one. */
export async function resultsLink(results: ExperimentResults): Promise<string | null> {
  const encoded = await encodeResultsForLink(results);
  return encoded === null ? null : `${window.location.href.split('#')[0]}#results=${encoded}`;
}

/** Shows a bundled demo's results; an unknown or unreadable demo becomes a link problem. */
async function openDemo(api: StoreApi<AppState>, name: string): Promise<void> {
  const store = api.getState();
  if (!isDemoName(name)) {
    store.reportLinkProblems([`unknown demo '${name}'; demos: ${Object.keys(DEMOS).join(', ')}`]);
    return;
  }
  try {
    store.showResults(await fetchDemo(name));
  } catch (error) {
    store.reportLinkProblems([`the demo '${name}' could not be shown: ${(error as Error).message}`]);
  }
}
