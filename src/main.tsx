import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { WorkerEvent } from './protocol/messages.ts';
import { App } from './ui/App.tsx';
import { connectWorker, useAppStore } from './ui/store.ts';
import { syncConfigWithUrl } from './ui/url-sync.ts';
import './ui/styles.css';

const worker = new Worker(new URL('./worker/experiment.worker.ts', import.meta.url), { type: 'module' });
worker.onmessage = (message: MessageEvent<WorkerEvent>) => useAppStore.getState().receive(message.data);
worker.onerror = (event) => {
  const { run } = useAppStore.getState();
  if (run.runId) useAppStore.getState().receive({ type: 'error', runId: run.runId, message: `the worker crashed (${event.message})` });
};
connectWorker((command) => worker.postMessage(command));
syncConfigWithUrl();
// Test hook: end-to-end tests read the app's state here instead of scraping pixels.
(window as unknown as { __lmc: typeof useAppStore }).__lmc = useAppStore;

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
