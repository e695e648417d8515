import { type ReactNode, createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { AppState } from './store.ts';

const StoreContext = createContext<StoreApi<AppState> | null>(null);

/** Gives the components below it `store` (the entry point wraps the app; tests may wrap a fresh one). */
export function AppStoreProvider({ store, children }: { store: StoreApi<AppState>; children: ReactNode }) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

/** The store itself, for event handlers that read or act on it without subscribing. */
export function useAppStoreApi(): StoreApi<AppState> {
  const store = useContext(StoreContext);
  if (!store) throw new Error('no app store: wrap the app in <AppStoreProvider>');
  return store;
}

/** The part of the app's state `selector` picks; the component renders again when it changes. */
export function useAppStore<T>(selector: (state: AppState) => T): T {
  return useStore(useAppStoreApi(), selector);
}
