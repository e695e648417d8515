import type { WorkerCommand, WorkerEvent } from '../protocol/messages.ts';

/** The part of a `Worker` the connection uses (tests give a stand-in). */
export interface WorkerLike {
  onmessage: ((message: MessageEvent<WorkerEvent>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  postMessage(command: WorkerCommand): void;
  terminate(): void;
}

/** What the connection tells the app. */
export interface ConnectionSinks {
  /** Every event of the live worker. */
  readonly receive: (event: WorkerEvent) => void;
  /** The worker crashed (an uncaught error, out of memory): `message` says what it said. */
  readonly crashed: (message: string) => void;
}

/**
 * Keeps one training worker. A worker that crashes is terminated and forgotten, the app is told,
 * and the next command starts a fresh one, so a crash never leaves Start waiting on a dead worker.
 * Returns the function that sends a command.
 */
export function connectTrainingWorker(create: () => WorkerLike, sinks: ConnectionSinks): (command: WorkerCommand) => void {
  let worker: WorkerLike | null = null;
  const live = (): WorkerLike => {
    if (worker) return worker;
    const w = create();
    w.onmessage = (message) => {
      if (worker === w) sinks.receive(message.data);
    };
    w.onerror = (event) => {
      if (worker !== w) return;
      event.preventDefault?.();
      worker = null;
      w.terminate();
      sinks.crashed(event.message || 'no reason given');
    };
    worker = w;
    return w;
  };
  return (command) => live().postMessage(command);
}
