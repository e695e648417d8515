import { encodeConfig } from '../core/experiments/link.ts';
import { parseResultsFile } from '../core/experiments/results-file.ts';
import { decodeResultsFromLink, encodeResultsForLink } from '../core/experiments/results-link.ts';
import type { ExperimentResults } from '../core/experiments/results.ts';
import { DEMOS, isDemoName } from './demos.ts';
import { isBusy } from './run-state.ts';
import type { StoreApi } from 'zustand/vanilla';
import type { AppState } from './store.ts';

/**
 * The one place that touches `location` and `history`: loads the link the page was opened with,
 * then keeps the hash in step with the configuration (replaceState, so Back leaves the app).
 */
export function syncConfigWithUrl(store: StoreApi<AppState>): void {
  openLink(store, window.location.hash);
  const write = (): void => {
    const { config, preset } = store.getState();
    const next = `#${encodeConfig(config, preset)}`;
    if (window.location.hash !== next) window.history.replaceState(null, '', next);
  };
  write();
  store.subscribe((state, previous) => {
    if (state.config !== previous.config || state.preset !== previous.preset) write();
  });
  window.addEventListener('hashchange', () => {
    openLink(store, window.location.hash);
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
    const response = await fetch(new URL(`demos/${name}.json`, document.baseURI));
    if (!response.ok) throw new Error(`demos/${name}.json: the server answered ${response.status}`);
    store.showResults(parseResultsFile(await response.text(), `demos/${name}.json`));
  } catch (error) {
    store.reportLinkProblems([`the demo '${name}' could not be shown: ${(error as Error).message}`]);
  }
}
