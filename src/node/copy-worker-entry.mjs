// Loads the TypeScript copy worker in a worker thread (vitest and tsx alike).
import { register } from 'tsx/esm/api';

register();
await import('./copy-worker.ts');
