import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App.tsx';
import { createAppStore } from './ui/store.ts';
import { AppStoreProvider } from './ui/store-context.tsx';
import { exposeTestHook } from './ui/test-hook.ts';
import { applyTheme, savedTheme } from './ui/theme.ts';
import { syncConfigWithUrl } from './ui/url-sync.ts';
import { type WorkerLike, connectTrainingWorker } from './ui/worker-connection.ts';
import './ui/styles.css';

const createWorker = (): WorkerLike => new Worker(new URL('./worker/experiment.worker.ts', import.meta.url), { type: 'module' }) as unknown as WorkerLike;
// The worker's events go to the store, the store's commands to the worker: the store is read only when an event arrives.
const send = connectTrainingWorker(createWorker, {
  receive: (event) => store.getState().receive(event),
  crashed: (message) => store.getState().workerCrashed(message),
});
const store = createAppStore({ send, dataUrl: new URL('data/', document.baseURI).href });
applyTheme(savedTheme());
syncConfigWithUrl(store);
exposeTestHook(store);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <AppStoreProvider store={store}>
      <App />
    </AppStoreProvider>
  </StrictMode>,
);
