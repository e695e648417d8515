import 'fake-indexeddb/auto';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import type { ExperimentEvent } from '../src/core/experiments/events.ts';
import { runExperiment } from '../src/core/experiments/run.ts';
import { TrainingDivergedError } from '../src/core/train/trainer.ts';
import type { BackendName, WorkerEvent } from '../src/protocol/messages.ts';
import { RunStore } from '../src/storage/run-store.ts';
import { runSession } from '../src/worker/run-session.ts';
import { TINY_CPU_RUN, collect, realMnist, useBackend } from './helpers.ts';

// Every "backend" here is the cpu backend under another name, so numbers can be compared exactly.
const CONFIG = { ...TINY_CPU_RUN, backend: 'auto' as const, inits: 1, pairsPerInit: 2 };

beforeAll(() => useBackend('cpu'));

/** The experiment, except that on `failOn` it throws `error` once its first finished pair is checkpointed. */
function failingOn(failOn: BackendName, error: Error): typeof runExperiment {
  return async function* (config, data, options) {
    let pairs = 0;
    for await (const event of runExperiment(config, data, options)) {
      // The checkpoint of a pair is saved after the pair is emitted, before the next event.
      if (options.backend === failOn && pairs > 0) throw error;
      if (event.type === 'pair') pairs += 1;
      yield event;
    }
    return undefined as never;
  } as typeof runExperiment;
}

async function session(id: string, experiment: typeof runExperiment) {
  const store = await RunStore.open(`session-${id}`);
  const posted: WorkerEvent[] = [];
  const started: BackendName[] = [];
  const host = {
    post: (e: WorkerEvent) => posted.push(e),
    store,
    startBackend: async (name: BackendName) => void started.push(name),
    copyTrainerFor: async () => null,
    experiment,
  };
  let error: unknown = null;
  try {
    await runSession(host, { runId: id, config: CONFIG, data: await realMnist(), backend: 'webgl', signal: new AbortController().signal });
  } catch (e) {
    error = e;
  }
  const events = posted.flatMap((e): ExperimentEvent[] => (e.type === 'experiment' ? [e.event] : []));
  return { store, posted, started, events, error };
}

describe('a run session in the worker', () => {
  test('a backend that fails mid-run falls back to the next and continues from the last checkpoint to the uninterrupted numbers', async () => {
    const straight = await collect(runExperiment(CONFIG, await realMnist(), { backend: 'cpu' }));
    const { store, posted, started, events, error } = await session('fallback', failingOn('webgl', new Error('WebGL context lost')));
    expect(error).toBeNull();
    expect(started).toEqual(['wasm']);
    expect(posted.filter((e) => e.type === 'notice').map((e) => e.type === 'notice' && e.message)).toEqual([
      'webgl failed (WebGL context lost); continuing on wasm from the last checkpoint',
    ]);
    const done = events.at(-1);
    const expected = straight.at(-1);
    expect(done?.type === 'done' && done.results.pairs).toEqual(expected?.type === 'done' && expected.results.pairs);
    expect(done?.type === 'done' && done.results.backend).toBe('wasm');
    const stored = await store.get('fallback');
    expect(stored?.status).toBe('done');
    expect(stored?.results?.pairs).toHaveLength(4);
    expect(await store.checkpoint('fallback')).toBeUndefined();
    expect(posted.some((e) => e.type === 'runs')).toBe(true);
    store.close();
    expect(tf.memory().numTensors).toBe(0);
  });

  test('a diverged run does not fall back: it stops, recorded as failed with its checkpoint kept for a resume', async () => {
    const { store, started, error } = await session('diverged', failingOn('webgl', new TrainingDivergedError(3, Number.NaN)));
    expect(error).toBeInstanceOf(TrainingDivergedError);
    expect(started).toEqual([]);
    const stored = await store.get('diverged');
    expect(stored?.status).toBe('failed');
    expect(stored?.error).toMatch(/^training diverged: the loss was NaN at step 3/);
    expect(await store.checkpoint('diverged')).toBeDefined();
    store.close();
    expect(tf.memory().numTensors).toBe(0);
  });
});
