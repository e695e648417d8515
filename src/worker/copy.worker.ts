/// <reference lib="webworker" />
/** A copy worker started by the experiment worker: the shared handler on the experiment's backend. */
import { copyWorkerHandler } from '../parallel/copy-worker-handler.ts';
import type { CopyWorkerCommand, CopyWorkerEvent } from '../protocol/copy-messages.ts';
import { startNamedBackend } from './backend.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const handle = copyWorkerHandler((event: CopyWorkerEvent) => scope.postMessage(event), startNamedBackend);
scope.onmessage = (message: MessageEvent<CopyWorkerCommand>) => void handle(message.data);
