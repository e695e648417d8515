import type { StoreApi } from 'zustand/vanilla';
import type { AppState } from './store.ts';

/** The flag a test driver sets before the page loads (Playwright's addInitScript) to get the hook. */
export const TEST_HOOK_FLAG = '__lmcTestHook';

/**
 * End-to-end tests and the browser benchmarks read the app's state through `window.__lmc`
 * instead of scraping pixels. It is exposed only when the driver set {@link TEST_HOOK_FLAG} to
 * true before the app loaded, so the page users get carries no handle on its internals.
 */
export function exposeTestHook(store: StoreApi<AppState>): void {
  const w = window as unknown as Record<string, unknown>;
  if (w[TEST_HOOK_FLAG] === true) w.__lmc = store;
}
