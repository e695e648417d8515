import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Checkpoint } from '../src/core/experiments/checkpoint.ts';
import type { ExperimentEvent } from '../src/core/experiments/events.ts';
import { runExperiment } from '../src/core/experiments/run.ts';
import { runInstabilityAnalysis } from '../src/core/experiments/instability.ts';
import { createTrunk, scheduleOf } from '../src/core/experiments/trainees.ts';
import { lenet300100 } from '../src/core/models/lenet.ts';
import { restoreTrainee, snapshotTrainee } from '../src/core/train/snapshot.ts';
import { TrainingDivergedError, disposeTrainee, trainTo } from '../src/core/train/trainer.ts';
import { isAbortError } from '../src/core/train/yield.ts';
import { startNodeCopyWorkers } from '../src/node/copy-workers.ts';
import type { CopyWorkerPool } from '../src/parallel/copy-pool.ts';
import { copyWorkerHandler } from '../src/parallel/copy-worker-handler.ts';
import type { CopyWorkerEvent } from '../src/protocol/copy-messages.ts';
import { TINY_CPU_RUN, TINY_IMP_RUN, collect, realMnist, useBackend } from './helpers.ts';

const SMALL = { ...TINY_CPU_RUN, trainingSteps: 16, rewindSteps: [0, 6], inits: 1, testExamples: 300 };

async function weights(params: ReadonlyMap<string, tf.Tensor>): Promise<Float32Array[]> {
  return Promise.all([...params.values()].map(async (t) => new Float32Array(await t.data<'float32'>())));
}

beforeAll(() => useBackend('cpu'));

describe('trainee snapshots', () => {
  for (const optimizer of ['adam', 'sgd'] as const) {
    test(`a ${optimizer} trainee restored from a snapshot trains on to exactly the weights of one never stopped (cpu)`, async () => {
      const mnist = await realMnist();
      const config = { ...SMALL, optimizer, momentum: 0.9, weightDecay: 1e-4 };
      const options = { model: lenet300100, data: mnist.train, schedule: scheduleOf(config), reportEveryMs: 0 };
      const straight = createTrunk(config, lenet300100, mnist.train.count, 0);
      await collect(trainTo(straight, 3, options));
      const snapshot = await snapshotTrainee(straight);
      expect(snapshot.step).toBe(3);
      expect(snapshot.optimizer.updates).toBe(3);
      expect(Object.keys(snapshot.optimizer.slots).sort()).toEqual(optimizer === 'adam' ? ['m', 'v'] : ['momentum']);
      const resumed = restoreTrainee(structuredClone(snapshot), null);
      await collect(trainTo(straight, 6, options));
      await collect(trainTo(resumed, 6, options));
      expect(resumed.step).toBe(6);
      expect(await weights(resumed.params)).toEqual(await weights(straight.params));
      disposeTrainee(straight);
      disposeTrainee(resumed);
      expect(tf.memory().numTensors).toBe(0);
    });
  }

  test('a stored tensor whose values do not fill its shape is refused with the shapes named', async () => {
    const mnist = await realMnist();
    const trunk = createTrunk(SMALL, lenet300100, mnist.train.count, 0);
    const snapshot = await snapshotTrainee(trunk);
    disposeTrainee(trunk);
    const first = snapshot.params[0];
    if (!first) throw new Error('no parameters');
    const broken = {
      ...snapshot,
      params: [{ ...first, tensor: { shape: first.tensor.shape, values: first.tensor.values.subarray(1) } }, ...snapshot.params.slice(1)],
    };
    expect(() => restoreTrainee(broken, null)).toThrow(/shape \[784, 300\] holds 235199 values, not 235200/);
    expect(tf.memory().numTensors).toBe(0);
  });
});

describe('copies trained in two worker threads', () => {
  let pool: CopyWorkerPool | null = null;

  beforeAll(async () => {
    const mnist = await realMnist();
    pool = await startNodeCopyWorkers({ backend: 'cpu', model: 'lenet-300-100', width: 16, train: mnist.train }, 2);
  });
  afterAll(() => pool?.close());

  test('give exactly the curves, barriers and distances of copies trained one after the other (cpu), also in one-step chunks between checkpoints', async () => {
    const mnist = await realMnist();
    const sequential = await collect(runInstabilityAnalysis(SMALL, mnist, { backend: 'cpu' }));
    let checkpoints = 0;
    const chunked = { onCheckpoint: () => void checkpoints++, checkpointEverySeconds: 0 };
    const parallel = await collect(runInstabilityAnalysis(SMALL, mnist, { backend: 'cpu', copyTrainer: pool ?? undefined, ...chunked }));
    // After every step of every pair but the last (16 − k steps), after each pair, and after each summary.
    expect(checkpoints).toBe(15 + 9 + 2 + 2);
    const pairs = (events: ExperimentEvent[]) => events.flatMap((e) => (e.type === 'pair' ? [e.result] : []));
    expect(pairs(parallel)).toHaveLength(2);
    expect(pairs(parallel)).toEqual(pairs(sequential));
    const copySteps = parallel.flatMap((e) => (e.type === 'progress' && e.phase === 'copy' ? [`${e.k}/${e.copy}/${e.step}`] : []));
    // Both copies of each pair report reaching T = 16.
    for (const k of [0, 6]) for (const copy of [0, 1]) expect(copySteps).toContain(`${k}/${copy}/16`);
    const done = parallel.at(-1);
    expect(done?.type === 'done' && done.results.timing.trainingExamples).toBe((6 + 2 * 16 + 2 * 10) * SMALL.batchSize);
    expect(tf.memory().numTensors).toBe(0);
    expect(pool?.tensorsLeft()).toBe(0);
  });

  test('a copy that diverges in a worker stops the run with the copy named, and a cancelled run frees the workers for the next', async () => {
    const mnist = await realMnist();
    const diverging = { ...SMALL, optimizer: 'sgd' as const, learningRate: 10, trainingSteps: 200, rewindSteps: [0] };
    let error: unknown = null;
    try {
      await collect(runInstabilityAnalysis(diverging, mnist, { backend: 'cpu', copyTrainer: pool ?? undefined, reportEveryMs: 0 }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TrainingDivergedError);
    expect((error as Error).message).toMatch(
      /^training diverged: the loss was (NaN|-?Infinity) at step \d+ while training dense network, init 0, copy [12] of pair 0 \(learning rate 10\); try a lower learning rate$/,
    );

    const controller = new AbortController();
    error = null;
    try {
      for await (const e of runInstabilityAnalysis({ ...SMALL, trainingSteps: 400, rewindSteps: [0] }, mnist, {
        backend: 'cpu',
        copyTrainer: pool ?? undefined,
        signal: controller.signal,
        reportEveryMs: 0,
      })) {
        if (e.type === 'progress' && e.phase === 'copy' && (e.step ?? 0) >= 2) controller.abort();
      }
    } catch (e) {
      error = e;
    }
    expect(isAbortError(error)).toBe(true);
    expect(tf.memory().numTensors).toBe(0);
    expect(pool?.tensorsLeft()).toBe(0);

    const after = await collect(runInstabilityAnalysis({ ...SMALL, rewindSteps: [6] }, mnist, { backend: 'cpu', copyTrainer: pool ?? undefined }));
    expect(after.filter((e) => e.type === 'pair')).toHaveLength(1);
    expect(pool?.tensorsLeft()).toBe(0);
  });

  test('a copy worker reports the tensors left in it after each job, so the run’s leak check covers it', async () => {
    const mnist = await realMnist();
    const events: CopyWorkerEvent[] = [];
    const handle = copyWorkerHandler(
      (e) => events.push(e),
      async (name) => name,
    );
    await handle({ type: 'setup', backend: 'cpu', model: 'lenet-300-100', width: 16, train: mnist.train });
    const trunk = createTrunk(SMALL, lenet300100, mnist.train.count, 0);
    const snapshot = await snapshotTrainee(trunk);
    disposeTrainee(trunk);
    const stray = tf.zeros([3]); // a leak, as a worker would have one
    await handle({ type: 'train', job: 7, snapshot, mask: null, to: 2, schedule: scheduleOf(SMALL), reportEveryMs: 0 });
    const end = events.at(-1);
    expect(end?.type === 'done' && end.numTensors).toBe(1);
    stray.dispose();
    await handle({ type: 'train', job: 8, snapshot, mask: null, to: 2, schedule: scheduleOf(SMALL), reportEveryMs: 0 });
    const clean = events.at(-1);
    expect(clean?.type === 'done' && clean.numTensors).toBe(0);
  });
});

describe('several pairs at once in four worker threads', () => {
  let pool: CopyWorkerPool | null = null;

  beforeAll(async () => {
    const mnist = await realMnist();
    pool = await startNodeCopyWorkers({ backend: 'cpu', model: 'lenet-300-100', width: 16, train: mnist.train }, 4);
  });
  afterAll(() => pool?.close());

  // 2 inits × 2 pairs at k = 0 and 3: two pairs (four copies) train together.
  const FOUR_PAIRS = { ...TINY_CPU_RUN, pairsPerInit: 2, trainingSteps: 6, rewindSteps: [0, 3], testExamples: 100 };

  test('instability analysis gives exactly the numbers of one pair after another, and a checkpoint inside a batch resumes both pairs', async () => {
    const mnist = await realMnist();
    const sequential = await collect(runInstabilityAnalysis(FOUR_PAIRS, mnist, { backend: 'cpu' }));
    const checkpoints: Checkpoint[] = [];
    const options = {
      backend: 'cpu',
      copyTrainer: pool ?? undefined,
      onCheckpoint: (c: Checkpoint) => void checkpoints.push(structuredClone(c)),
      checkpointEverySeconds: 0,
    };
    const batched = await collect(runInstabilityAnalysis(FOUR_PAIRS, mnist, options));
    const pairs = (events: ExperimentEvent[]) => events.flatMap((e) => (e.type === 'pair' ? [e.result] : []));
    expect(pairs(batched)).toHaveLength(8);
    expect(pairs(batched)).toEqual(pairs(sequential));
    // Copies of two pairs train at the same time: progress of pair 1 arrives before pair 0 has finished.
    const copyProgress = batched.flatMap((e) => (e.type === 'progress' && e.phase === 'copy' ? [e] : []));
    const firstOfPair1 = copyProgress.findIndex((e) => e.k === 0 && e.init === 0 && e.pair === 1);
    const lastOfPair0 = copyProgress.findLastIndex((e) => e.k === 0 && e.init === 0 && e.pair === 0);
    expect(firstOfPair1).toBeGreaterThanOrEqual(0);
    expect(firstOfPair1).toBeLessThan(lastOfPair0);
    // Checkpoints inside training hold both pairs of the batch, with two copies each.
    const inside = checkpoints.flatMap((c) => (c.experiment === 'instability' && c.inPairs ? [c.inPairs] : []));
    expect(inside.length).toBeGreaterThan(0);
    expect(inside.every((held) => held.length === 2 && held.every((p) => p.copies.length === 2))).toBe(true);
    const middle = checkpoints.find((c) => c.experiment === 'instability' && c.inPairs?.[0]?.key.k === 3 && c.inPairs[0].copies[0]?.step === 5);
    expect(middle).toBeDefined();
    // Resumed one pair at a time (no workers), from the middle of a batch: the same numbers.
    const resumed = await collect(runInstabilityAnalysis(FOUR_PAIRS, mnist, { backend: 'cpu', resume: middle }));
    expect(pairs(resumed)).toEqual(pairs(sequential));
    expect(tf.memory().numTensors).toBe(0);
    expect(pool?.tensorsLeft()).toBe(0);
  });

  test('IMP’s subnetworks of a level, and then their pairs, train together to exactly the sequential numbers', async () => {
    const mnist = await realMnist();
    const imp = { ...TINY_IMP_RUN, pruneRounds: 1, subnetInstability: 'all' as const };
    const numbers = (events: ExperimentEvent[]) => {
      const done = events.at(-1);
      if (done?.type !== 'done') throw new Error('the run did not finish');
      return { pairs: done.results.pairs, summaries: done.results.summaries, accuracies: done.results.format === 'lmc-lab/imp' ? done.results.accuracies : [] };
    };
    const sequential = numbers(await collect(runExperiment(imp, mnist, { backend: 'cpu' })));
    const events = await collect(runExperiment(imp, mnist, { backend: 'cpu', copyTrainer: pool ?? undefined }));
    const batched = numbers(events);
    expect(batched.pairs.map((p) => p.kind)).toEqual(['imp', 'random-prune', 'random-reinit']);
    expect(batched.accuracies.map((a) => a.kind)).toEqual(['dense', 'imp', 'random-prune', 'random-reinit']);
    // The three subnetworks trained in the workers at the same time: each reports reaching T.
    const subnetEnds = events.flatMap((e) => (e.type === 'progress' && e.phase === 'subnet' && e.step === imp.trainingSteps ? [e.kind] : []));
    expect(new Set(subnetEnds)).toEqual(new Set(['imp', 'random-prune', 'random-reinit']));
    expect(batched).toEqual(sequential);
    expect(tf.memory().numTensors).toBe(0);
    expect(pool?.tensorsLeft()).toBe(0);
  });
});
