import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { permuteUnits, weightMatching } from '../src/core/analysis/align.ts';
import { maxAssignment } from '../src/core/analysis/assignment.ts';
import { makeBatch, rangeIndices } from '../src/core/data/dataset.ts';
import { lenet300100 } from '../src/core/models/lenet.ts';
import type { ForwardMode, Model } from '../src/core/models/model.ts';
import { type ParamMap, disposeParams, initParams } from '../src/core/models/params.ts';
import { resnet20 } from '../src/core/models/resnet.ts';
import { crossFieldProblems } from '../src/core/experiments/config.ts';
import { PRESETS } from '../src/core/experiments/presets.ts';
import { syntheticCifar } from './synthetic-cifar.ts';
import { scrambleForPermutationTest, shuffled } from './permutations.ts';
import { Rng } from '../src/core/rng.ts';
import { TINY_CPU_RUN, collect, realMnist, useBackend } from './helpers.ts';
import { runInstabilityAnalysis } from '../src/core/experiments/instability.ts';
import { parseResultsFile } from '../src/core/experiments/results-file.ts';
import { workPlan } from '../src/core/experiments/work.ts';
import { alignedRows, movedPhrase } from '../src/ui/AlignedPathChart.tsx';

beforeAll(() => useBackend('cpu'));

function* permutationsOf(n: number): Generator<number[]> {
  if (n === 0) {
    yield [];
    return;
  }
  for (const rest of permutationsOf(n - 1)) for (let at = 0; at <= rest.length; at++) yield [...rest.slice(0, at), n - 1, ...rest.slice(at)];
}

/** Every tensor's values by name, for exact comparisons. */
function valuesOf(params: ReadonlyMap<string, tf.Tensor>): Map<string, number[]> {
  return new Map([...params].map(([name, t]) => [name, Array.from(t.dataSync())]));
}

/** The largest difference between the logits of `a` and `b` on `x`, and whether they predict the same classes. */
function sameFunction(model: Model, a: ParamMap, b: ParamMap, x: tf.Tensor2D, mode: ForwardMode = { mode: 'eval' }): { diff: number; same: boolean } {
  return tf.tidy(() => {
    const [before, after] = [model.forward(a, x, mode), model.forward(b, x, mode)];
    return {
      diff: tf.max(tf.abs(tf.sub(before, after))).dataSync()[0] ?? Number.NaN,
      same: Array.from(tf.argMax(before, 1).dataSync()).join() === Array.from(tf.argMax(after, 1).dataSync()).join(),
    };
  });
}

describe('the linear assignment', () => {
  test('picks the permutation of largest total similarity: a hand-checked 3 × 3, and every 6 × 6 against all 720 permutations', () => {
    expect(Array.from(maxAssignment([10, 1, 1, 1, 1, 10, 1, 10, 1], 3))).toEqual([0, 2, 1]);
    const rng = new Rng(7);
    for (let trial = 0; trial < 20; trial++) {
      const m = Array.from({ length: 36 }, () => rng.nextFloat() * 10 - 5);
      const p = maxAssignment(m, 6);
      const total = (q: ArrayLike<number>) => Array.from({ length: 6 }, (_, i) => m[i * 6 + (q[i] as number)] as number).reduce((s, v) => s + v, 0);
      expect(new Set(p).size).toBe(6);
      const best = Math.max(...[...permutationsOf(6)].map(total));
      expect(total(p)).toBeCloseTo(best, 9);
    }
    expect(() => maxAssignment([1, 2, 3], 2)).toThrow('a 2 × 2 similarity matrix has 4 entries, not 3');
  });
});

describe('weight matching of LeNet-300-100', () => {
  test('a network whose hidden units were shuffled by hand is matched back exactly; a network matched to itself is left as it is', async () => {
    const a = initParams(lenet300100.specs, 11);
    const wa = valuesOf(a);
    const rng = new Rng(3);
    const [s1, s2] = [shuffled(300, rng), shuffled(100, rng)];
    // B's unit i is A's unit s[i]: columns of fc1 and fc2 and rows of fc2 and out move with them.
    const get = (name: string) => wa.get(name) ?? [];
    const b = new Map<string, tf.Tensor>([
      [
        'fc1.weight',
        tf.tensor(
          Float32Array.from({ length: 784 * 300 }, (_, x) => get('fc1.weight')[Math.floor(x / 300) * 300 + (s1[x % 300] as number)] as number),
          [784, 300],
        ),
      ],
      ['fc1.bias', tf.tensor(Float32Array.from(s1, (i) => get('fc1.bias')[i] as number))],
      [
        'fc2.weight',
        tf.tensor(
          Float32Array.from({ length: 300 * 100 }, (_, x) => get('fc2.weight')[(s1[Math.floor(x / 100)] as number) * 100 + (s2[x % 100] as number)] as number),
          [300, 100],
        ),
      ],
      ['fc2.bias', tf.tensor(Float32Array.from(s2, (i) => get('fc2.bias')[i] as number))],
      [
        'out.weight',
        tf.tensor(
          Float32Array.from({ length: 1000 }, (_, x) => get('out.weight')[(s2[Math.floor(x / 10)] as number) * 10 + (x % 10)] as number),
          [100, 10],
        ),
      ],
      ['out.bias', tf.tensor(get('out.bias'))],
    ]);
    const found = await weightMatching(lenet300100, a, b);
    const back = permuteUnits(lenet300100, b, found.permutations);
    expect(valuesOf(back)).toEqual(wa);
    const self = await weightMatching(lenet300100, a, a);
    expect(self.rounds).toBe(1);
    expect(self.permutations.map((p) => p.every((v, i) => v === i))).toEqual([true, true]);
    for (const p of [a, b, back]) disposeParams(p);
    expect(tf.memory().numTensors).toBe(0);
  });

  test('the aligned network computes the same outputs as before, up to float rounding (real MNIST, cpu)', async () => {
    const mnist = await realMnist();
    const [a, b] = [initParams(lenet300100.specs, 1), initParams(lenet300100.specs, 2)];
    const { permutations } = await weightMatching(lenet300100, a, b);
    // Two independent initialisations: the matching moves most units.
    expect(permutations[0]?.filter((v, i) => v !== i).length).toBeGreaterThan(250);
    const c = permuteUnits(lenet300100, b, permutations);
    const batch = makeBatch(mnist.test, rangeIndices(0, 200, mnist.test.count));
    const { diff, same } = sameFunction(lenet300100, b, c, batch.x);
    expect(diff).toBeLessThan(1e-4);
    expect(same).toBe(true);
    tf.dispose([batch.x, batch.y]);
    for (const p of [a, b, c]) disposeParams(p);
    expect(tf.memory().numTensors).toBe(0);
  });
});

describe('weight matching of ResNet-20', () => {
  const model = resnet20(4);

  test('one permutation per residual stream and one inside each block, covering every weight but the classifier’s bias', () => {
    const groups = model.unitGroups;
    expect(groups.map((g) => `${g.name}:${g.size}`)).toEqual([
      'stream.0:4',
      'stream.1:8',
      'stream.2:16',
      ...Array.from({ length: 9 }, (_, i) => `blocks.${i}.inner:${[4, 8, 16][Math.floor(i / 3)]}`),
    ]);
    // Stream 0 by hand: the stem conv's outputs and its BatchNorm (4 tensors); blocks 0–2 read it (conv1 inputs) and add into it
    // (conv2 outputs, bn2's 4 tensors); block 3 reads it through conv1 and the shortcut: 1 + 4 + 3 × (1 + 1 + 4) + 2 = 25 axes.
    expect(groups[0]?.axes).toHaveLength(25);
    // Stream 2 ends in the classifier's rows.
    expect(groups[2]?.axes.at(-1)).toEqual({ param: 'fc.weight', axis: 0 });
    expect(groups[3]?.axes.map((a) => `${a.param}@${a.axis}`)).toEqual([
      'blocks.0.conv1.weight@3',
      'blocks.0.bn1.weight@0',
      'blocks.0.bn1.bias@0',
      'blocks.0.bn1.running_mean@0',
      'blocks.0.bn1.running_var@0',
      'blocks.0.conv2.weight@2',
    ]);
    const covered = new Set(groups.flatMap((g) => g.axes.map((a) => a.param)));
    expect(model.specs.map((s) => s.name).filter((n) => !covered.has(n))).toEqual(['fc.bias']);
    // Every axis is a real axis of its parameter with the group's number of units.
    for (const g of groups) for (const a of g.axes) expect(model.specs.find((s) => s.name === a.param)?.shape[a.axis], `${g.name} ${a.param}`).toBe(g.size);
  });

  test('randomly permuted channels compute the same outputs in both BatchNorm modes, and weight matching puts them back exactly', async () => {
    const a = initParams(model.specs, 5);
    const shuffles = scrambleForPermutationTest(model, a, 9);
    const b = permuteUnits(model, a, shuffles);
    const data = syntheticCifar(16, 4);
    const batch = makeBatch(data, rangeIndices(0, 16, data.count));
    for (const mode of [{ mode: 'eval' }, { mode: 'train' }] as const) {
      const { diff, same } = sameFunction(model, a, b, batch.x, mode);
      expect(diff, mode.mode).toBeLessThan(1e-4);
      expect(same, mode.mode).toBe(true);
    }
    expect(valuesOf(b).get('blocks.0.conv1.weight')).not.toEqual(valuesOf(a).get('blocks.0.conv1.weight'));
    // The check has teeth: these inputs get different logits in eval mode.
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(model.forward(a, batch.x).slice(0, 1), model.forward(a, batch.x).slice(1, 1)))).dataSync()[0])).toBeGreaterThan(
      1e-3,
    );
    const found = await weightMatching(model, a, b);
    const back = permuteUnits(model, b, found.permutations);
    expect(valuesOf(back)).toEqual(valuesOf(a));
    tf.dispose([batch.x, batch.y]);
    for (const p of [a, b, back]) disposeParams(p);
    expect(tf.memory().numTensors).toBe(0);
  });
});

describe('the aligned path of a run (cpu)', () => {
  const ALIGNED = { ...TINY_CPU_RUN, align: true, testExamples: 100 };

  test('every pair walks the path again with copy 2 aligned: it starts at copy 1, ends at the same function as copy 2, and is counted in the work', async () => {
    const mnist = await realMnist();
    const events = await collect(runInstabilityAnalysis(ALIGNED, mnist, { backend: 'cpu' }));
    const done = events.at(-1);
    if (done?.type !== 'done') throw new Error('the run did not finish');
    const pairs = done.results.pairs;
    expect(pairs).toHaveLength(4);
    for (const p of pairs) {
      expect(p.aligned?.testErrors).toHaveLength(3);
      expect(p.aligned?.testErrors[0]).toBe(p.testErrors[0]);
      // Copy 2 with its units reordered computes the same function: the same error on these 100 images.
      expect(p.aligned?.testErrors[2]).toBe(p.testErrors[2]);
    }
    expect(workPlan(ALIGNED).evaluations).toBe(2 * workPlan({ ...ALIGNED, align: false }).evaluations);
    expect(parseResultsFile(JSON.stringify(done.results), 'a.json').pairs).toEqual(pairs);
    const shifted = { ...done.results, pairs: pairs.map((p) => ({ ...p, aligned: { testErrors: [50, ...(p.aligned?.testErrors.slice(1) ?? [])] } })) };
    expect(() => parseResultsFile(JSON.stringify(shifted), 'a.json')).toThrow('a.json: pairs.0: the aligned path does not start at copy 1');
    const overMoved = { ...done.results, pairs: pairs.map((p) => ({ ...p, aligned: { ...p.aligned, moved: 401 } })) };
    expect(() => parseResultsFile(JSON.stringify(overMoved), 'a.json')).toThrow(
      'a.json: pairs.0.aligned: moved units must come with the unit count and not exceed it',
    );
    // The chart's rows: mean over pairs at each α, before and after.
    const rows = alignedRows(pairs.filter((p) => p.k === 0));
    expect(rows.map((r) => r.x)).toEqual([0, 0.5, 1]);
    expect(rows[1]?.after).toBeCloseTo(pairs.filter((p) => p.k === 0).reduce((s, p) => s + (p.aligned?.testErrors[1] ?? 0), 0) / 2, 12);
    const withMoved = (moved: number) => ({ ...pairs[0], aligned: { testErrors: [1, 2], moved, units: 400 } }) as (typeof pairs)[number];
    expect(movedPhrase([withMoved(3), withMoved(4)])).toBe('moved 4 of 400 units on average');
    expect(movedPhrase([withMoved(3)])).toBe('moved 3 of 400 units');
    expect(movedPhrase([{ ...withMoved(3), aligned: { testErrors: [1, 2] } }])).toBeNull();
    expect(tf.memory().numTensors).toBe(0);
  });

  test('copies from two initialisations: copy 1 is the shared run’s, copy 2 starts from the next init’s network, and the matching moves most units', async () => {
    const mnist = await realMnist();
    const config = { ...ALIGNED, rewindSteps: [0, 4] };
    const run = async (copyStart: 'shared' | 'two-inits') => {
      const done = (await collect(runInstabilityAnalysis({ ...config, copyStart }, mnist, { backend: 'cpu' }))).at(-1);
      if (done?.type !== 'done') throw new Error('the run did not finish');
      return done.results.pairs;
    };
    const [shared, crossed] = [await run('shared'), await run('two-inits')];
    expect(crossed).toHaveLength(4);
    // At k = 4 each start has travelled from its own initialisation: the pair reports the mean of the two trunks' distances.
    const [, , shared0, shared1] = shared.map((p) => p.distances.initToK);
    expect(crossed[2]?.distances.initToK).toBeCloseTo(((shared0 ?? 0) + (shared1 ?? 0)) / 2, 5);
    expect(shared0).toBeGreaterThan(0);
    for (const [i, p] of crossed.entries()) {
      // Copy 1 is the very network of the shared run; copy 2 is not.
      expect(p.testErrors[0]).toBe(shared[i]?.testErrors[0]);
      expect(p.distances.l2).toBeGreaterThan(5 * (shared[i]?.distances.l2 ?? Number.NaN));
      // Ten steps from two random initialisations: 400 hidden units, most renumbered; from one, few.
      expect(p.aligned?.units).toBe(300 + 100);
      expect(p.aligned?.moved).toBeGreaterThan(300);
      expect(shared[i]?.aligned?.moved).toBeLessThan(50);
      expect(p.aligned?.testErrors[2]).toBe(p.testErrors[2]);
    }
    expect(tf.memory().numTensors).toBe(0);
  });

  test('copies from two initialisations need two of them, the dense experiment and no error plane', () => {
    const two = { ...ALIGNED, copyStart: 'two-inits' as const };
    expect(crossFieldProblems({ ...two, inits: 1 })).toEqual(['copies from two initialisations (copyStart two-inits) need at least 2 initialisations, not 1']);
    expect(crossFieldProblems({ ...two, experiment: 'imp' })).toEqual([
      'copies from two initialisations (copyStart two-inits) are for the instability experiment, not IMP',
    ]);
    expect(crossFieldProblems({ ...two, planeGrid: 5 })).toEqual([
      'copies from two initialisations (copyStart two-inits) share no network at k, so there is no error plane through it: set the error plane to 0',
    ]);
    expect(crossFieldProblems(two)).toEqual([]);
  });

  test('ResNet-20 aligns too: the aligned path starts at copy 1 and ends at copy 2’s error (generated CIFAR-10-format data)', async () => {
    const data = { train: syntheticCifar(40, 1), test: syntheticCifar(20, 2) };
    const config = {
      ...PRESETS['resnet20-quick'],
      backend: 'cpu' as const,
      width: 2,
      batchSize: 4,
      trainingSteps: 3,
      rewindSteps: [0],
      inits: 1,
      pairsPerInit: 1,
      alphas: 3,
      testExamples: 20,
      align: true,
    };
    const events = await collect(runInstabilityAnalysis(config, data, { backend: 'cpu' }));
    const done = events.at(-1);
    if (done?.type !== 'done') throw new Error('the run did not finish');
    const [pair] = done.results.pairs;
    expect(pair?.aligned?.testErrors[0]).toBe(pair?.testErrors[0]);
    expect(pair?.aligned?.testErrors[2]).toBe(pair?.testErrors[2]);
    // Width 2: streams of 2, 4 and 8 channels, and 3 blocks of each inside: 14 + 3 × 14 = 56 permutable channels.
    expect(pair?.aligned?.units).toBe(56);
    expect(pair?.aligned?.moved).toBeLessThanOrEqual(56);
    expect(tf.memory().numTensors).toBe(0);
  });
});
