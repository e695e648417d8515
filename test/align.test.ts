import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { type HostWeights, alignMlp } from '../src/core/analysis/align.ts';
import { maxAssignment } from '../src/core/analysis/assignment.ts';
import { makeBatch, rangeIndices } from '../src/core/data/dataset.ts';
import { lenet300100 } from '../src/core/models/lenet.ts';
import { disposeParams, initParams } from '../src/core/models/params.ts';
import { Rng } from '../src/core/rng.ts';
import { TINY_CPU_RUN, collect, realMnist, useBackend } from './helpers.ts';
import { runInstabilityAnalysis } from '../src/core/experiments/instability.ts';
import { parseResultsFile } from '../src/core/experiments/results-file.ts';
import { workPlan } from '../src/core/experiments/work.ts';
import { alignedRows } from '../src/ui/AlignedPathChart.tsx';

beforeAll(() => useBackend('cpu'));

const LENET_LAYERS = ['fc1', 'fc2', 'out'];

function* permutationsOf(n: number): Generator<number[]> {
  if (n === 0) {
    yield [];
    return;
  }
  for (const rest of permutationsOf(n - 1)) for (let at = 0; at <= rest.length; at++) yield [...rest.slice(0, at), n - 1, ...rest.slice(at)];
}

async function host(params: ReadonlyMap<string, tf.Tensor>): Promise<HostWeights> {
  const out = new Map<string, { shape: number[]; values: Float32Array }>();
  for (const [name, t] of params) out.set(name, { shape: t.shape, values: new Float32Array(await t.data<'float32'>()) });
  return out;
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
  test('a network whose hidden units were shuffled is matched back exactly; a network matched to itself is left as it is', async () => {
    const a = initParams(lenet300100.specs, 11);
    const wa = await host(a);
    disposeParams(a);
    const rng = new Rng(3);
    const shuffle = (n: number) => {
      const p = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = rng.nextInt(i + 1);
        [p[i], p[j]] = [p[j] as number, p[i] as number];
      }
      return p;
    };
    const [s1, s2] = [shuffle(300), shuffle(100)];
    // B's unit i is A's unit s[i]: columns of fc1 and fc2 and rows of fc2 and out move with them.
    const get = (name: string) => wa.get(name)?.values ?? new Float32Array();
    const wb: HostWeights = new Map([
      [
        'fc1.weight',
        {
          shape: [784, 300],
          values: Float32Array.from({ length: 784 * 300 }, (_, x) => get('fc1.weight')[Math.floor(x / 300) * 300 + (s1[x % 300] as number)] as number),
        },
      ],
      ['fc1.bias', { shape: [300], values: Float32Array.from(s1, (i) => get('fc1.bias')[i] as number) }],
      [
        'fc2.weight',
        {
          shape: [300, 100],
          values: Float32Array.from(
            { length: 300 * 100 },
            (_, x) => get('fc2.weight')[(s1[Math.floor(x / 100)] as number) * 100 + (s2[x % 100] as number)] as number,
          ),
        },
      ],
      ['fc2.bias', { shape: [100], values: Float32Array.from(s2, (i) => get('fc2.bias')[i] as number) }],
      [
        'out.weight',
        {
          shape: [100, 10],
          values: Float32Array.from({ length: 1000 }, (_, x) => get('out.weight')[(s2[Math.floor(x / 10)] as number) * 10 + (x % 10)] as number),
        },
      ],
      ['out.bias', { shape: [10], values: get('out.bias') }],
    ]);
    const back = alignMlp(wa, wb, LENET_LAYERS);
    for (const [name, w] of wa) expect(back.aligned.get(name)?.values, name).toEqual(w.values);
    const self = alignMlp(wa, wa, LENET_LAYERS);
    expect(self.rounds).toBe(1);
    expect(self.permutations.map((p) => p.every((v, i) => v === i))).toEqual([true, true]);
  });

  test('the aligned network computes the same outputs as before, up to float rounding (real MNIST, cpu)', async () => {
    const mnist = await realMnist();
    const [a, b] = [initParams(lenet300100.specs, 1), initParams(lenet300100.specs, 2)];
    const { aligned, permutations } = alignMlp(await host(a), await host(b), LENET_LAYERS);
    // Two independent initialisations: the matching moves most units.
    expect(permutations[0]?.filter((v, i) => v !== i).length).toBeGreaterThan(250);
    const c = new Map([...aligned].map(([name, w]) => [name, tf.tensor(w.values, [...w.shape])]));
    const batch = makeBatch(mnist.test, rangeIndices(0, 200, mnist.test.count));
    const { diff, same } = tf.tidy(() => {
      const [before, after] = [lenet300100.forward(b, batch.x, { mode: 'eval' }), lenet300100.forward(c, batch.x, { mode: 'eval' })];
      return {
        diff: tf.max(tf.abs(tf.sub(before, after))).dataSync()[0] ?? Number.NaN,
        same: Array.from(tf.argMax(before, 1).dataSync()).join() === Array.from(tf.argMax(after, 1).dataSync()).join(),
      };
    });
    expect(diff).toBeLessThan(1e-4);
    expect(same).toBe(true);
    tf.dispose([batch.x, batch.y]);
    for (const p of [a, b, c]) disposeParams(p);
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
    // The chart's rows: mean over pairs at each α, before and after.
    const rows = alignedRows(pairs.filter((p) => p.k === 0));
    expect(rows.map((r) => r.x)).toEqual([0, 0.5, 1]);
    expect(rows[1]?.after).toBeCloseTo(pairs.filter((p) => p.k === 0).reduce((s, p) => s + (p.aligned?.testErrors[1] ?? 0), 0) / 2, 12);
    expect(tf.memory().numTensors).toBe(0);
  });

  test('a network it cannot align yet is refused before anything trains, with what to do', async () => {
    const mnist = await realMnist();
    await expect(collect(runInstabilityAnalysis({ ...ALIGNED, model: 'resnet-20' }, mnist, { backend: 'cpu' }))).rejects.toThrow(
      'permutation alignment (align) is built for LeNet-300-100 only so far, not resnet-20: turn it off to run this network',
    );
    expect(tf.memory().numTensors).toBe(0);
  });
});
