import 'fake-indexeddb/auto';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { Checkpoint } from '../src/core/experiments/checkpoint.ts';
import type { ExperimentEvent } from '../src/core/experiments/events.ts';
import { runExperiment } from '../src/core/experiments/run.ts';
import { isAbortError } from '../src/core/train/yield.ts';
import { RunStore, StorageError } from '../src/storage/run-store.ts';
import { TINY_CPU_RUN, realMnist, useBackend } from './helpers.ts';

const CONFIG = TINY_CPU_RUN;
let store: RunStore;
let dbCount = 0;

beforeAll(() => useBackend('cpu'));
beforeEach(async () => {
  store = await RunStore.open(`test-runs-${++dbCount}`);
});
afterEach(() => store.close());

/** Runs CONFIG storing checkpoints as the worker does; aborts after `stopAfter` checkpoints if given. */
async function storedRun(id: string, stopAfter: number | null, resume?: Checkpoint): Promise<ExperimentEvent[]> {
  const controller = new AbortController();
  let saved = 0;
  const events: ExperimentEvent[] = [];
  const onCheckpoint = async (c: Checkpoint): Promise<void> => {
    await store.saveCheckpoint(id, c, 0.5);
    if (++saved === stopAfter) controller.abort();
  };
  try {
    for await (const e of runExperiment(CONFIG, await realMnist(), { backend: 'cpu', signal: controller.signal, onCheckpoint, resume })) events.push(e);
  } catch (error) {
    if (!isAbortError(error)) throw error;
  }
  return events;
}

describe('the run store (IndexedDB through fake-indexeddb)', () => {
  test('a run interrupted after its second checkpoint and resumed from the store ends exactly like an uninterrupted one', async () => {
    await store.create('a', CONFIG, 'cpu');
    await store.create('b', CONFIG, 'cpu');
    const straight = await storedRun('a', null);
    const done = straight.at(-1);
    if (done?.type !== 'done') throw new Error('the uninterrupted run did not finish');
    await store.finish('a', done.results);

    const interrupted = await storedRun('b', 2);
    expect(interrupted.some((e) => e.type === 'done')).toBe(false);
    const stored = await store.checkpoint('b');
    expect(stored?.experiment).toBe('instability');
    expect(stored?.events.filter((e) => e.type === 'pair')).toHaveLength(2);
    const resumed = await storedRun('b', null, stored);
    const end = resumed.at(-1);
    expect(end?.type === 'done' && end.results.pairs).toEqual(done.results.pairs);
    expect(end?.type === 'done' && end.results.summaries).toEqual(done.results.summaries);
    expect(tf.memory().numTensors).toBe(0);

    const list = await store.list();
    expect(list.map((r) => [r.id, r.status, r.pairs])).toEqual([
      ['b', 'running', 4],
      ['a', 'done', 4],
    ]);
    expect(await store.checkpoint('a')).toBeUndefined();
    // Two trunks of LeNet with Adam: 3 × 266,610 float32 values each, plus results.
    expect(list[0]?.checkpointBytes).toBeGreaterThan(2 * 3 * 266_610 * 4);
    expect(list[0]?.checkpointBytes).toBeLessThan(2 * 3 * 266_610 * 4 + 100_000);
  });

  test('stop keeps the checkpoint for a resume; delete removes run and checkpoint', async () => {
    await store.create('c', CONFIG, 'cpu');
    await storedRun('c', 1);
    await store.stop('c', 'failed', 'webgpu device lost');
    expect((await store.get('c'))?.status).toBe('failed');
    expect((await store.get('c'))?.error).toBe('webgpu device lost');
    expect(await store.checkpoint('c')).toBeDefined();
    await store.reopen('c', 'wasm');
    expect((await store.get('c'))?.status).toBe('running');
    expect((await store.get('c'))?.error).toBeUndefined();
    await store.delete('c');
    expect(await store.get('c')).toBeUndefined();
    expect(await store.checkpoint('c')).toBeUndefined();
    expect(await store.list()).toEqual([]);
  });

  test('a full quota is reported in plain words and leaves the previous checkpoint whole', async () => {
    await store.create('d', CONFIG, 'cpu');
    await storedRun('d', 1);
    const before = await store.checkpoint('d');
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'checkpoints') throw new DOMException('quota', 'QuotaExceededError');
      return put.apply(this, args);
    };
    try {
      const next = { ...(before as Checkpoint), workDone: 123 };
      const error = await store.saveCheckpoint('d', next, 0.9).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageError);
      expect((error as Error).message).toBe(
        "could not save a checkpoint: the browser's storage for this site is full (quota exceeded); delete stored runs or free disk space. What was stored before is intact.",
      );
    } finally {
      IDBObjectStore.prototype.put = put;
    }
    expect(await store.checkpoint('d')).toEqual(before);
    expect((await store.get('d'))?.fractionDone).toBe(0.5);
  });

  test('a browser that blocks storage (private mode) gets a message saying so, and no store', async () => {
    const open = indexedDB.open;
    indexedDB.open = () => {
      throw new DOMException('The user denied permission to access the database.', 'SecurityError');
    };
    try {
      await expect(RunStore.open('blocked')).rejects.toThrow(
        'could not open the run store: this browser does not allow storage here (private browsing, or storage blocked for this site) — The user denied permission to access the database.',
      );
    } finally {
      indexedDB.open = open;
    }
  });
});
