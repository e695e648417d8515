import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { takeFirst } from '../src/core/data/dataset.ts';
import { PRESETS } from '../src/core/experiments/presets.ts';
import type { ExperimentEvent } from '../src/core/experiments/events.ts';
import { runInstabilityAnalysis } from '../src/core/experiments/instability.ts';
import { copyEndStep, copyNoiseSeed, createTrunk, scheduleOf, startTrainee } from '../src/core/experiments/trainees.ts';
import { lenet300100 } from '../src/core/models/lenet.ts';
import { disposeTrainee, trainTo } from '../src/core/train/trainer.ts';
import { TrainingDivergedError } from '../src/core/train/trainer.ts';
import { isAbortError } from '../src/core/train/yield.ts';
import { collect, realMnist, useBackend } from './helpers.ts';

beforeAll(() => useBackend('cpu'));

const SMALL = {
  ...PRESETS['lenet-quick'],
  // Small batches: the cpu backend's cost per step is mostly per weight, so the property tests stay quick on a busy machine.
  batchSize: 10,
  trainingSteps: 12,
  rewindSteps: [0, 4],
  inits: 1,
  pairsPerInit: 1,
  alphas: 3,
  testExamples: 200,
  trainEval: true,
  trainExamples: 200,
};

function withoutTimes(events: ExperimentEvent[]): unknown[] {
  return events.map((e) => {
    if (e.type === 'progress') return { phase: e.phase, step: e.step, loss: e.loss };
    if (e.type === 'done') return { pairs: e.results.pairs, summaries: e.results.summaries };
    return e;
  });
}

describe('reproducibility on the cpu backend', () => {
  test('the same seeds give identical losses, curves and barriers', async () => {
    const mnist = await realMnist();
    const run = () => collect(runInstabilityAnalysis(SMALL, mnist, { backend: 'cpu', reportEveryMs: 0 }));
    const first = await run();
    const second = await run();
    const losses = first.flatMap((e) => (e.type === 'progress' && e.loss !== undefined ? [e.loss] : []));
    // Trunk 4 steps + 2 copies × (12 + 8) steps, a loss read at every step.
    expect(losses).toHaveLength(4 + 2 * 12 + 2 * 8);
    expect(withoutTimes(second)).toEqual(withoutTimes(first));
    const other = await collect(runInstabilityAnalysis({ ...SMALL, noiseSeed: 2 }, mnist, { backend: 'cpu', reportEveryMs: 0 }));
    const otherLosses = other.flatMap((e) => (e.type === 'progress' && e.loss !== undefined ? [e.loss] : []));
    expect(otherLosses).not.toEqual(losses);
    expect(tf.memory().numTensors).toBe(0);
  });

  test('the reset-schedule variant (Figure 4) trains copies for T steps from k with the schedule restarted', async () => {
    const mnist = await realMnist();
    const config = { ...SMALL, rewindSteps: [4], trainEval: false, resetSchedule: true };
    expect(copyEndStep(config, 4)).toBe(16);
    expect(copyEndStep({ ...config, resetSchedule: false }, 4)).toBe(12);
    const events = await collect(runInstabilityAnalysis(config, mnist, { backend: 'cpu', reportEveryMs: 0 }));
    const copySteps = events.flatMap((e) => (e.type === 'progress' && e.phase === 'copy' ? [e.step] : []));
    expect(copySteps).toEqual([...Array.from({ length: 12 }, (_, i) => 5 + i), ...Array.from({ length: 12 }, (_, i) => 5 + i)]);
    const trunk = createTrunk(config, lenet300100, mnist.train.count, 0);
    const copy = startTrainee(
      config,
      { ...trunk, step: 4 },
      { noiseSeed: 1, trainCount: mnist.train.count, mask: null, keepOptimizer: false, resetSchedule: true },
    );
    expect(copy.scheduleOffset).toBe(4);
    disposeTrainee(copy);
    disposeTrainee(trunk);
  });

  test('a different noise seed changes the data order but not the initial weights', async () => {
    const mnist = await realMnist();
    const a = createTrunk(SMALL, lenet300100, mnist.train.count, 0);
    const b = createTrunk({ ...SMALL, noiseSeed: 77 }, lenet300100, mnist.train.count, 0);
    for (const [name, t] of a.params) expect([...t.dataSync()]).toEqual([...b.params.get(name)!.dataSync()]);
    expect([...a.order.batchIndices(0)]).not.toEqual([...b.order.batchIndices(0)]);
    expect(copyNoiseSeed(SMALL, 0, 0, 0)).not.toBe(copyNoiseSeed(SMALL, 0, 0, 1));
    const c = createTrunk({ ...SMALL, initSeed: 2 }, lenet300100, mnist.train.count, 0);
    expect(c.params.get('fc1.weight')!.dataSync()[0]).not.toBe(a.params.get('fc1.weight')!.dataSync()[0]);
    for (const t of [a, b, c]) disposeTrainee(t);
  });

  test('points stream in alpha order with both endpoints, and the run ends with done', async () => {
    const mnist = await realMnist();
    const events = await collect(runInstabilityAnalysis({ ...SMALL, rewindSteps: [0] }, mnist, { backend: 'cpu' }));
    const points = events.filter((e) => e.type === 'point');
    expect(points.map((p) => p.alpha)).toEqual([0, 0.5, 1]);
    const done = events.at(-1);
    expect(done?.type).toBe('done');
  });
});

describe('the SGD noise of the copies', () => {
  test('with the same noise (a control) the two copies end identical: distance 0, the same errors at both ends, barrier exactly 0', async () => {
    const mnist = await realMnist();
    const config = { ...SMALL, rewindSteps: [4], trainEval: false, copyNoise: 'same' as const };
    const same = (await collect(runInstabilityAnalysis(config, mnist, { backend: 'cpu' }))).flatMap((e) => (e.type === 'pair' ? [e.result] : []));
    expect(same).toHaveLength(1);
    expect(same[0]?.distances.l2).toBe(0);
    expect(same[0]?.distances.classifiedDifferently).toBe(0);
    expect(same[0]?.testErrors[0]).toBe(same[0]?.testErrors.at(-1));
    expect(same[0]?.testBarrier).toBe(0);
    const different = (await collect(runInstabilityAnalysis({ ...config, copyNoise: 'different' }, mnist, { backend: 'cpu' }))).flatMap((e) =>
      e.type === 'pair' ? [e.result] : [],
    );
    expect(different[0]?.distances.l2).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(0);
  });
});

describe('divergence', () => {
  test('a NaN loss stops the run with a message naming the step and suggesting a lower learning rate, and frees every tensor', async () => {
    const mnist = await realMnist();
    const config = { ...SMALL, optimizer: 'sgd' as const, learningRate: 10, trainingSteps: 200, rewindSteps: [0], trainEval: false };
    const events: ExperimentEvent[] = [];
    let error: unknown = null;
    try {
      for await (const e of runInstabilityAnalysis(config, mnist, { backend: 'cpu', reportEveryMs: 0 })) events.push(e);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TrainingDivergedError);
    const diverged = error as TrainingDivergedError;
    const lastLoss = events.flatMap((e) => (e.type === 'progress' && e.loss !== undefined ? [e] : [])).at(-1);
    expect(diverged.step).toBe((lastLoss?.step ?? 0) + 1);
    expect(diverged.message).toMatch(
      new RegExp(
        `^training diverged: the loss was (NaN|-?Infinity) at step ${diverged.step} while training dense network, init 0, copy 1 of pair 0 \\(learning rate 10\\); try a lower learning rate$`,
      ),
    );
    expect(tf.memory().numTensors).toBe(0);
  });
});

describe('tensor memory', () => {
  test('stays flat across 200 training steps', async () => {
    await useBackend('wasm');
    const mnist = await realMnist();
    const trunk = createTrunk(SMALL, lenet300100, mnist.train.count, 0);
    const opts = { model: lenet300100, data: takeFirst(mnist.train, 6000), schedule: scheduleOf(SMALL), reportEveryMs: 0 };
    await collect(trainTo(trunk, 1, opts));
    const afterFirst = tf.memory().numTensors;
    await collect(trainTo(trunk, 200, opts));
    expect(trunk.step).toBe(200);
    expect(tf.memory().numTensors).toBe(afterFirst);
    disposeTrainee(trunk);
    expect(tf.memory().numTensors).toBe(0);
    await useBackend('cpu');
  });

  test('a cancelled experiment throws AbortError and frees every tensor, mid-training and mid-path', async () => {
    const mnist = await realMnist();
    for (const stopAt of ['copy', 'point'] as const) {
      const controller = new AbortController();
      let error: unknown = null;
      try {
        for await (const e of runInstabilityAnalysis(SMALL, mnist, { backend: 'cpu', signal: controller.signal, reportEveryMs: 0 })) {
          if ((stopAt === 'copy' && e.type === 'progress' && e.phase === 'copy') || (stopAt === 'point' && e.type === 'point')) controller.abort();
        }
      } catch (e) {
        error = e;
      }
      expect(isAbortError(error)).toBe(true);
      expect(tf.memory().numTensors).toBe(0);
    }
  });

  test('closing the event stream early frees every tensor', async () => {
    const mnist = await realMnist();
    for await (const e of runInstabilityAnalysis(SMALL, mnist, { backend: 'cpu' })) if (e.type === 'point') break;
    expect(tf.memory().numTensors).toBe(0);
  });
});
