/// <reference lib="webworker" />
/**
 * The training worker's entry: every command goes to the one {@link TrainingHost}, which holds
 * the worker's state and posts the events back. Nothing here computes; the core does.
 */
import type { WorkerCommand, WorkerEvent } from '../protocol/messages.ts';
import { TrainingHost } from './training-host.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const host = new TrainingHost((event: WorkerEvent) => scope.postMessage(event));
scope.onmessage = (message: MessageEvent<WorkerCommand>) => host.receive(message.data);
