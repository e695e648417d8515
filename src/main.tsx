import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App.tsx';
import { connectWorker, useAppStore } from './ui/store.ts';
import { syncConfigWithUrl } from './ui/url-sync.ts';
import { exposeTestHook } from './ui/test-hook.ts';
import { type WorkerLike, connectTrainingWorker } from './ui/worker-connection.ts';
import './ui/styles.css';

const createWorker = (): WorkerLike => new Worker(new URL('./worker/experiment.worker.ts', import.meta.url), { type: 'module' }) as unknown as WorkerLike;
connectWorker(
  connectTrainingWorker(createWorker, {
    receive: (event) => useAppStore.getState().receive(event),
    crashed: (message) => useAppStore.getState().workerCrashed(message),
  }),
);
syncConfigWithUrl();
exposeTestHook();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
