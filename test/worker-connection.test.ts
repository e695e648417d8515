import { describe, expect, test } from 'vitest';
import type { WorkerCommand, WorkerEvent } from '../src/protocol/messages.ts';
import { createAppStore } from '../src/ui/store.ts';
import { type WorkerLike, connectTrainingWorker } from '../src/ui/worker-connection.ts';
import { EMPTY_RUN } from '../src/ui/run-state.ts';

/** A stand-in worker that records what it was sent and whether it was terminated. */
class FakeWorker implements WorkerLike {
  onmessage: ((message: MessageEvent<WorkerEvent>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  readonly sent: WorkerCommand[] = [];
  terminated = false;
  postMessage(command: WorkerCommand): void {
    this.sent.push(command);
  }
  terminate(): void {
    this.terminated = true;
  }
  emit(event: WorkerEvent): void {
    this.onmessage?.({ data: event } as MessageEvent<WorkerEvent>);
  }
  crash(message: string): void {
    this.onerror?.({ message, preventDefault: () => undefined } as ErrorEvent);
  }
}

describe('the training worker connection', () => {
  test('a crashed worker is terminated, the app told, and the next command goes to a fresh worker', () => {
    const made: FakeWorker[] = [];
    const received: WorkerEvent[] = [];
    const crashes: string[] = [];
    const send = connectTrainingWorker(
      () => {
        const w = new FakeWorker();
        made.push(w);
        return w;
      },
      { receive: (e) => received.push(e), crashed: (m) => crashes.push(m) },
    );
    expect(made).toHaveLength(0); // started on first use
    send({ type: 'list-runs' });
    const first = made[0] as FakeWorker;
    first.emit({ type: 'storage', message: 'one' });
    first.crash('out of memory');
    expect(first.terminated).toBe(true);
    expect(crashes).toEqual(['out of memory']);
    first.emit({ type: 'storage', message: 'from the dead worker' });
    first.crash('again');
    expect(crashes).toHaveLength(1);
    send({ type: 'cancel', runId: 'r' });
    expect(made).toHaveLength(2);
    expect(first.sent).toEqual([{ type: 'list-runs' }]);
    expect((made[1] as FakeWorker).sent).toEqual([{ type: 'cancel', runId: 'r' }]);
    expect(received).toEqual([{ type: 'storage', message: 'one' }]);
  });

  test('a crash ends a run that waited on the worker with the message kept; a late “cancelled” does not relabel a finished run', () => {
    const useAppStore = createAppStore({ send: () => undefined, dataUrl: 'http://app.test/data/' });
    useAppStore.setState({
      run: { ...EMPTY_RUN, runId: 'r1', phase: 'preparing', statusMessage: 'Starting the worker…' },
      cifar: { state: 'loading', message: 'Loading' },
    });
    useAppStore.getState().workerCrashed('boom');
    const { run, cifar } = useAppStore.getState();
    expect(run.phase).toBe('error');
    expect(run.error).toMatch(/^the training worker stopped unexpectedly \(boom\)\. Results so far are kept; Start runs again/);
    expect(cifar.state).toBe('error');
    useAppStore.setState({ run: { ...EMPTY_RUN, runId: 'r2', phase: 'done' } });
    useAppStore.getState().receive({ type: 'cancelled', runId: 'r2' });
    expect(useAppStore.getState().run.phase).toBe('done');
  });
});
