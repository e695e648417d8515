import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test, vi } from 'vitest';
import type { ImageDataset } from '../src/core/data/dataset.ts';
import { DataOrder } from '../src/core/data/order.ts';
import { scheduleOf } from '../src/core/experiments/trainees.ts';
import { lenet300100 } from '../src/core/models/lenet.ts';
import type { Model } from '../src/core/models/model.ts';
import { initParams } from '../src/core/models/params.ts';
import { resnet20 } from '../src/core/models/resnet.ts';
import { vgg16 } from '../src/core/models/vgg.ts';
import { CopyDivergedError } from '../src/core/train/copy-trainer.ts';
import { createOptimizer, type OptimizerSettings } from '../src/core/train/optimizer.ts';
import { forceSideBySide, joinTensors, partOf, sideBySideModel, trainSideBySide } from '../src/core/train/side-by-side.ts';
import { runInstabilityAnalysis } from '../src/core/experiments/instability.ts';
import { measureTrainingSpeed } from '../src/core/train/probe.ts';
import { type Trainee, disposeTrainee, trainTo } from '../src/core/train/trainer.ts';
import { isAbortError } from '../src/core/train/yield.ts';
import { TINY_CPU_RUN, collect, realMnist, useBackend } from './helpers.ts';
import { syntheticCifar } from './synthetic-cifar.ts';

beforeAll(() => useBackend('cpu'));

const SGD: OptimizerSettings = { kind: 'sgd', momentum: 0.9, weightDecay: 1e-4 };

/** A network from initialisation `init` with data order `noise`, at step 0. */
function trainee(model: Model, settings: OptimizerSettings, init: number, noise: number, count: number, batch: number): Trainee {
  return {
    params: initParams(model.specs, init),
    optimizer: createOptimizer(settings),
    order: new DataOrder(noise, count, batch),
    step: 0,
    scheduleOffset: 0,
    mask: null,
  };
}

/** Every tensor of a trainee, parameters and optimiser state, by name. */
function tensorsOf(t: Trainee): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const [name, p] of t.params) out.set(name, p.dataSync() as Float32Array);
  for (const [slot, tensors] of Object.entries(t.optimizer.state)) for (const [name, s] of tensors) out.set(`${slot}:${name}`, s.dataSync() as Float32Array);
  return out;
}

function largestDifference(a: Map<string, Float32Array>, b: Map<string, Float32Array>): number {
  expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
  let worst = 0;
  for (const [name, values] of a) {
    const other = b.get(name) as Float32Array;
    expect(other.length, name).toBe(values.length);
    for (let i = 0; i < values.length; i++) worst = Math.max(worst, Math.abs((values[i] ?? 0) - (other[i] ?? Number.NaN)));
  }
  return worst;
}

/**
 * Trains `make()`'s networks one after the other and, from fresh copies, side by side, `steps`
 * steps each; returns the largest difference of any weight or optimiser state, and the losses.
 */
async function apartAndSideBySide(model: Model, data: ImageDataset, make: () => Trainee[], steps: number, learningRate = 0.05) {
  const schedule = { learningRate, milestones: [2], gamma: 0.5, warmupSteps: 0 };
  const options = { model, data, schedule, reportEveryMs: 0 };
  const apart = make();
  const apartLosses: number[][] = [];
  for (const t of apart) {
    const progress = await collect(trainTo(t, t.step + steps, options));
    apartLosses.push(progress.map((p) => p.loss ?? Number.NaN));
  }
  const given = make();
  const before = given.map(tensorsOf);
  const generator = trainSideBySide(given, (given[0]?.step ?? 0) + steps, options);
  const reports: { step: number; losses: readonly number[] }[] = [];
  let next = await generator.next();
  while (!next.done) {
    reports.push(next.value);
    next = await generator.next();
  }
  const trained = next.value;
  // The trainees given are left as they were.
  given.forEach((t, i) => expect(largestDifference(tensorsOf(t), before[i] as Map<string, Float32Array>)).toBe(0));
  let worst = 0;
  for (const [i, t] of trained.entries()) {
    expect(t.step).toBe(apart[i]?.step);
    expect(t.optimizer.updates).toBe(apart[i]?.optimizer.updates);
    expect(t.order).toBe(given[i]?.order);
    worst = Math.max(worst, largestDifference(tensorsOf(t), tensorsOf(apart[i] as Trainee)));
  }
  const sideLosses = trained.map((_, c) => reports.map((r) => r.losses[c] ?? Number.NaN));
  for (const t of [...apart, ...given, ...trained]) disposeTrainee(t);
  return { worst, apartLosses, sideLosses, steps: reports.map((r) => r.step) };
}

describe('joining and splitting tensors', () => {
  test('weights join block-diagonally over their last two axes and vectors end to end, and split back exactly', () => {
    tf.tidy(() => {
      const a = tf.tensor2d([[1, 2]]);
      const b = tf.tensor2d([[3, 4]]);
      const joined = joinTensors([a, b]);
      expect(joined.shape).toEqual([2, 4]);
      expect(joined.arraySync()).toEqual([
        [1, 2, 0, 0],
        [0, 0, 3, 4],
      ]);
      expect(partOf(joined, 1, [1, 2]).arraySync()).toEqual([[3, 4]]);
      const filters = [tf.fill([1, 1, 1, 2], 5), tf.fill([1, 1, 1, 2], 6), tf.fill([1, 1, 1, 2], 7)];
      const wide = joinTensors(filters);
      expect(wide.shape).toEqual([1, 1, 3, 6]);
      expect((wide.arraySync() as number[][][][])[0]?.[0]).toEqual([
        [5, 5, 0, 0, 0, 0],
        [0, 0, 6, 6, 0, 0],
        [0, 0, 0, 0, 7, 7],
      ]);
      expect(partOf(wide, 2, [1, 1, 1, 2]).arraySync()).toEqual([[[[7, 7]]]]);
      const vectors = joinTensors([tf.tensor1d([1, 2]), tf.tensor1d([3, 4])]);
      expect(vectors.arraySync()).toEqual([1, 2, 3, 4]);
      expect(partOf(vectors, 1, [2]).arraySync()).toEqual([3, 4]);
    });
    expect(tf.memory().numTensors).toBe(0);
  });

  test('every model has a side-by-side form whose parameters are its own, copies times as wide', () => {
    for (const model of [lenet300100, resnet20(2), vgg16(2)]) {
      const wide = model.sideBySide?.(3);
      expect(wide, model.name).toBeDefined();
      expect(wide?.specs.map((s) => s.name)).toEqual(model.specs.map((s) => s.name));
      expect(wide?.inputChannels).toBe(3 * model.inputChannels);
      expect(wide?.inputSize).toBe(3 * model.inputSize);
      expect(wide?.numClasses).toBe(30);
      const fc = wide?.specs.find((s) => s.name === model.outputLayer)?.shape;
      const own = model.specs.find((s) => s.name === model.outputLayer)?.shape ?? [];
      expect(fc).toEqual([3 * (own[0] ?? 0), 30]);
    }
  });
});

describe('training copies side by side (cpu)', () => {
  test('LeNet-300-100 copies, one pruned, train side by side to the weights and momentum of training them apart', async () => {
    const mnist = await realMnist();
    const mask = new Map(
      lenet300100.specs
        .filter((s) => s.prunable)
        .map(
          (s, i) =>
            [
              s.name,
              tf.tensor(
                Float32Array.from({ length: s.shape.reduce((a, b) => a * b, 1) }, (_, j) => ((j * 7 + i) % 5 === 0 ? 0 : 1)),
                [...s.shape],
              ),
            ] as const,
        ),
    );
    const make = () => {
      const copies = [trainee(lenet300100, SGD, 1, 11, mnist.train.count, 10), trainee(lenet300100, SGD, 1, 12, mnist.train.count, 10)];
      // The second copy is pruned, as IMP's are; the first stays dense.
      const pruned = { ...(copies[1] as Trainee), mask };
      tf.tidy(() => {
        for (const [name, m] of mask) (pruned.params.get(name) as tf.Variable).assign(tf.mul(pruned.params.get(name) as tf.Tensor, m));
      });
      return [copies[0] as Trainee, pruned];
    };
    const { worst, apartLosses, sideLosses, steps } = await apartAndSideBySide(lenet300100, mnist.train, make, 3);
    expect(steps).toEqual([1, 2, 3]);
    expect(worst).toBeLessThan(1e-6);
    expect(apartLosses[0]).not.toEqual(apartLosses[1]);
    for (const [c, losses] of sideLosses.entries())
      for (const [i, l] of losses.entries()) expect(Math.abs(l - (apartLosses[c]?.[i] ?? Number.NaN))).toBeLessThan(1e-5);
    tf.dispose([...mask.values()]);
    expect(tf.memory().numTensors).toBe(0);
  });

  test('Adam copies train side by side as apart', async () => {
    const mnist = await realMnist();
    const adam: OptimizerSettings = { kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 };
    const make = () => [trainee(lenet300100, adam, 2, 21, mnist.train.count, 10), trainee(lenet300100, adam, 3, 22, mnist.train.count, 10)];
    const { worst } = await apartAndSideBySide(lenet300100, mnist.train, make, 2, 1e-3);
    expect(worst).toBeLessThan(1e-6);
    expect(tf.memory().numTensors).toBe(0);
  });

  test('ResNet-20 copies, with BatchNorm and augmentation, train side by side as apart', async () => {
    const model = resnet20(2);
    const data = syntheticCifar(16, 5);
    expect(data.augmentation).toBe('crop4-flip');
    const make = () => [trainee(model, SGD, 7, 31, 16, 4), trainee(model, SGD, 8, 32, 16, 4)];
    const { worst } = await apartAndSideBySide(model, data, make, 2, 0.1);
    expect(worst).toBeLessThan(1e-5);
    expect(tf.memory().numTensors).toBe(0);
  });

  test('networks at different steps do not join; a diverged copy is named; an abort frees everything', async () => {
    const mnist = await realMnist();
    const config = { ...TINY_CPU_RUN };
    const options = { model: lenet300100, data: mnist.train, schedule: scheduleOf(config), reportEveryMs: 0 };
    const copies = [trainee(lenet300100, SGD, 1, 1, mnist.train.count, 10), trainee(lenet300100, SGD, 1, 2, mnist.train.count, 10)];
    expect(sideBySideModel(lenet300100, copies)).not.toBeNull();
    expect(sideBySideModel(lenet300100, copies.slice(0, 1))).toBeNull();
    await collect(trainTo(copies[1] as Trainee, 1, options));
    expect(sideBySideModel(lenet300100, copies)).toBeNull();
    await collect(trainTo(copies[0] as Trainee, 1, options));
    // A learning rate far too high: the copies' losses overflow.
    const wild = { ...options, schedule: { ...options.schedule, learningRate: 1e30 } };
    const error = await collect(trainSideBySide(copies, 6, wild)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CopyDivergedError);
    // Both copies' losses overflow in the same step (a copy's NaN reaches the other through the zeros anyway).
    expect((error as CopyDivergedError).withPartners).toBe(true);
    const controller = new AbortController();
    controller.abort();
    const aborted = await collect(trainSideBySide(copies, 6, { ...options, signal: controller.signal })).catch((e: unknown) => e);
    expect(isAbortError(aborted)).toBe(true);
    expect(copies.map((c) => c.step)).toEqual([1, 1]);
    for (const c of copies) disposeTrainee(c);
    expect(tf.memory().numTensors).toBe(0);
  });

  test('an instability analysis with its pairs side by side reports each copy as apart and finds the same paths', async () => {
    const mnist = await realMnist();
    const config = { ...TINY_CPU_RUN, inits: 1, trainingSteps: 6, rewindSteps: [0, 2], testExamples: 200 };
    const run = async (sideBySide: boolean) => {
      forceSideBySide(sideBySide);
      try {
        return await collect(runInstabilityAnalysis(config, mnist, { backend: 'cpu', reportEveryMs: 0 }));
      } finally {
        forceSideBySide(null);
      }
    };
    const [side, apart] = [await run(true), await run(false)];
    const progress = (events: typeof side) =>
      events.flatMap((e) => (e.type === 'progress' && e.loss !== undefined ? [{ phase: e.phase, k: e.k, copy: e.copy, step: e.step, loss: e.loss }] : []));
    const [sideSteps, apartSteps] = [progress(side), progress(apart)];
    // The same reports, each copy at each step (side by side they interleave: copy 1, copy 2 at each step).
    const key = (p: { phase: string; k: number; copy: number | undefined; step: number | undefined }) => `${p.phase} ${p.k} ${p.copy} ${p.step}`;
    expect(sideSteps.map(key).sort()).toEqual(apartSteps.map(key).sort());
    expect(sideSteps.filter((p) => p.phase === 'copy')).toHaveLength(2 * 6 + 2 * 4);
    const apartLoss = new Map(apartSteps.map((p) => [key(p), p.loss]));
    for (const p of sideSteps) expect(Math.abs(p.loss - (apartLoss.get(key(p)) ?? Number.NaN)), key(p)).toBeLessThan(1e-5);
    const pairs = (events: typeof side) => events.flatMap((e) => (e.type === 'done' ? e.results.pairs : []));
    const [sidePairs, apartPairs] = [pairs(side), pairs(apart)];
    expect(sidePairs.map((p) => p.k)).toEqual([0, 2]);
    for (const [i, p] of sidePairs.entries()) {
      const other = apartPairs[i];
      // Errors are counts of 200 test examples: a last-digit difference in a logit could move one.
      for (const [j, e] of p.testErrors.entries()) expect(Math.abs(e - (other?.testErrors[j] ?? Number.NaN))).toBeLessThanOrEqual(0.5);
      expect(Math.abs(p.distances.l2 - (other?.distances.l2 ?? Number.NaN))).toBeLessThan(1e-4);
    }
    expect(tf.memory().numTensors).toBe(0);
  });

  test('a run whose side-by-side pair diverges says which pair, and that either copy may have diverged first', async () => {
    const mnist = await realMnist();
    const config = { ...TINY_CPU_RUN, inits: 1, rewindSteps: [0], trainingSteps: 4, learningRate: 1e30 };
    forceSideBySide(true);
    try {
      const error = await collect(runInstabilityAnalysis(config, mnist, { backend: 'cpu', reportEveryMs: 0 })).catch((e: unknown) => e);
      expect((error as Error).message).toMatch(
        /training diverged: the loss was (NaN|-?Infinity) at step \d+ while training dense network, init 0, copy 1 of pair 0 \(with its partner, trained side by side: either may have diverged first\) \(learning rate 1e\+30\)/,
      );
    } finally {
      forceSideBySide(null);
    }
    expect(tf.memory().numTensors).toBe(0);
  });

  test('the backend probe times a pair side by side only where pairs train so, reads losses as a run does, and frees what it made', async () => {
    const mnist = await realMnist();
    const probe = () => measureTrainingSpeed(lenet300100, mnist.train, SGD, 10);
    // As a run trains: each warm-up step's loss read back (2), then only the last timed step's.
    const reads = vi.spyOn(tf.Tensor.prototype, 'data');
    try {
      const apart = await probe();
      expect(apart.stepsPerSecond).toBeGreaterThan(0);
      expect(apart.pairStepsPerSecond).toBeNull();
      expect(reads).toHaveBeenCalledTimes(3);
      forceSideBySide(true);
      const side = await probe();
      expect(side.pairStepsPerSecond).toBeGreaterThan(0);
      expect(reads).toHaveBeenCalledTimes(3 + 3 + 3);
    } finally {
      forceSideBySide(null);
      reads.mockRestore();
    }
    expect(tf.memory().numTensors).toBe(0);
  });
});
