import { encodeConfig } from '../core/experiments/link.ts';
import { useAppStore } from './store.ts';

/**
 * The one place that touches `location` and `history`: loads the link the page was opened with,
 * then keeps the hash in step with the configuration (replaceState, so Back leaves the app).
 */
export function syncConfigWithUrl(): void {
  const hash = window.location.hash;
  if (hash.length > 1) useAppStore.getState().loadLink(hash);
  const write = (): void => {
    const { config, preset } = useAppStore.getState();
    const next = `#${encodeConfig(config, preset)}`;
    if (window.location.hash !== next) window.history.replaceState(null, '', next);
  };
  write();
  useAppStore.subscribe((state, previous) => {
    if (state.config !== previous.config || state.preset !== previous.preset) write();
  });
  window.addEventListener('hashchange', () => useAppStore.getState().loadLink(window.location.hash));
}

/** The shareable link of the current configuration. */
export function currentLink(): string {
  return window.location.href;
}
