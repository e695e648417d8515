import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { PRESETS } from '../src/core/experiments/presets.ts';
import { startTrainee } from '../src/core/experiments/trainees.ts';
import { lenet300100 } from '../src/core/models/lenet.ts';
import { disposeParams, initParams } from '../src/core/models/params.ts';
import { pruneGlobalMagnitude, randomMaskLike } from '../src/core/prune/magnitude.ts';
import { applyMask, disposeMask, fullHostMask, maskCounts, maskDensity, readPrunable, uploadMask } from '../src/core/prune/mask.ts';
import { createOptimizer } from '../src/core/train/optimizer.ts';
import { useBackend } from './helpers.ts';

beforeAll(() => useBackend('cpu'));

const f32 = (v: number[]) => Float32Array.from(v);
const u8 = (v: number[]) => Uint8Array.from(v);

describe('global magnitude pruning', () => {
  test('one threshold across tensors removes exactly ⌈fraction × alive⌉ of the smallest |w|', () => {
    const weights = new Map([
      ['a', f32([0.9, -0.1, 0.5, -0.7, 0.05])],
      ['b', f32([-0.3, 0.2, 0.8, -0.6, 0.4])],
    ]);
    const mask = new Map([
      ['a', u8([1, 1, 1, 1, 0])],
      ['b', u8([1, 1, 1, 1, 1])],
    ]);
    // 9 alive; ⌈0.3 × 9⌉ = 3 removed: |−0.1|, |0.2|, |−0.3| (the already-pruned 0.05 does not count).
    const next = pruneGlobalMagnitude(mask, weights, { fraction: 0.3, outputLayer: null, outputRule: 'prune' });
    expect([...(next.get('a') ?? [])]).toEqual([1, 0, 1, 1, 0]);
    expect([...(next.get('b') ?? [])]).toEqual([0, 0, 1, 1, 1]);
    expect(maskCounts(next).alive).toBe(6);
    expect([...(mask.get('a') ?? [])]).toEqual([1, 1, 1, 1, 0]);
  });

  test('ties are broken by tensor order, then index, so counts stay exact', () => {
    const weights = new Map([
      ['a', f32([0.5, 0.5, 0.5])],
      ['b', f32([0.5, 0.5, 0.5])],
    ]);
    const mask = new Map([
      ['a', u8([1, 1, 1])],
      ['b', u8([1, 1, 1])],
    ]);
    const next = pruneGlobalMagnitude(mask, weights, { fraction: 0.5, outputLayer: null, outputRule: 'prune' });
    expect([...(next.get('a') ?? [])]).toEqual([0, 0, 0]);
    expect([...(next.get('b') ?? [])]).toEqual([1, 1, 1]);
  });

  test('the output layer is kept, pruned globally, or pruned on its own at half rate', () => {
    const weights = new Map([
      ['hidden', f32([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])],
      ['out', f32([0.1, 0.2, 0.3, 0.4])],
    ]);
    const mask = fullHostMask([
      { name: 'hidden', shape: [10], init: { kind: 'zeros' }, prunable: true },
      { name: 'out', shape: [4], init: { kind: 'zeros' }, prunable: true },
    ]);
    const keep = pruneGlobalMagnitude(mask, weights, { fraction: 0.5, outputLayer: 'out', outputRule: 'keep' });
    expect(maskCounts(keep).perTensor.get('hidden')?.alive).toBe(5);
    expect(maskCounts(keep).perTensor.get('out')?.alive).toBe(4);
    const all = pruneGlobalMagnitude(mask, weights, { fraction: 0.5, outputLayer: 'out', outputRule: 'prune' });
    expect([...(all.get('out') ?? [])]).toEqual([0, 0, 0, 0]);
    expect(maskCounts(all).perTensor.get('hidden')?.alive).toBe(7);
    const half = pruneGlobalMagnitude(mask, weights, { fraction: 0.5, outputLayer: 'out', outputRule: 'half' });
    expect([...(half.get('out') ?? [])]).toEqual([0, 1, 1, 1]);
    expect(maskCounts(half).perTensor.get('hidden')?.alive).toBe(5);
  });

  test('LeNet with its output layer kept: each round removes ⌈20%⌉ of the alive hidden-layer weights', () => {
    const specs = lenet300100.specs;
    const params = initParams(specs, 1);
    let mask = fullHostMask(specs);
    const total = maskCounts(mask).total;
    expect(total).toBe(784 * 300 + 300 * 100 + 100 * 10);
    const weights = new Map([...params].filter(([n]) => mask.has(n)).map(([n, t]) => [n, t.dataSync() as Float32Array]));
    let alive = 784 * 300 + 300 * 100;
    for (let r = 1; r <= 3; r++) {
      mask = pruneGlobalMagnitude(mask, weights, { fraction: 0.2, outputLayer: 'out.weight', outputRule: 'keep' });
      alive -= Math.ceil(0.2 * alive);
      expect(maskCounts(mask).alive).toBe(alive + 1000);
    }
    disposeParams(params);
  });
});

describe('random pruning baseline', () => {
  test('keeps every tensor’s alive count exactly and moves the positions', () => {
    const ref = new Map([
      ['a', u8([1, 1, 0, 0, 0, 0, 1, 0])],
      ['b', u8([0, 0, 0, 1])],
    ]);
    const r = randomMaskLike(ref, 7);
    expect(maskCounts(r).perTensor).toEqual(maskCounts(ref).perTensor);
    const big = new Map([['w', u8(Array.from({ length: 1000 }, (_, i) => (i < 100 ? 1 : 0)))]]);
    const rb = randomMaskLike(big, 1);
    expect(maskCounts(rb).alive).toBe(100);
    expect([...(rb.get('w') ?? [])].slice(0, 100).reduce((a, b) => a + b, 0)).toBeLessThan(30);
    expect(randomMaskLike(big, 1)).toEqual(rb);
    expect(randomMaskLike(big, 2)).not.toEqual(rb);
  });
});

describe('masks during training and rewinding', () => {
  for (const settings of [
    { kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01 },
    { kind: 'sgd', momentum: 0.9, weightDecay: 1e-4 },
  ] as const) {
    test(`pruned weights stay exactly 0 through 50 ${settings.kind} steps`, () => {
      const specs = [{ name: 'w', shape: [4, 3], init: { kind: 'kaiming-normal', fanIn: 4 }, prunable: true } as const];
      const params = initParams(specs, 3);
      const host = new Map([['w', u8([1, 0, 1, 0, 1, 0, 1, 1, 0, 0, 1, 1])]]);
      const mask = uploadMask(host, specs);
      applyMask(params, mask);
      const opt = createOptimizer(settings);
      const grad = new Map([['w', tf.ones([4, 3])]]);
      for (let i = 0; i < 50; i++) {
        opt.step(params, grad, 0.1);
        applyMask(params, mask);
      }
      const w = params.get('w')!.dataSync();
      host.get('w')!.forEach((m, i) => {
        if (m === 0) expect(w[i] === 0).toBe(true);
        else expect(w[i]).not.toBe(0);
      });
      opt.dispose();
      disposeMask(mask);
      tf.dispose([...grad.values()]);
      disposeParams(params);
    });
  }

  test('rewinding restores m ⊙ W_k bit for bit and never touches the saved W_k; reinit keeps the mask with new weights', async () => {
    const config = PRESETS['lenet-imp-quick'];
    const specs = lenet300100.specs;
    const wk = initParams(specs, 5);
    const saved = new Map([...wk].map(([n, t]) => [n, Float32Array.from(t.dataSync())]));
    const host = pruneGlobalMagnitude(fullHostMask(specs), await readPrunable(wk, fullHostMask(specs)), {
      fraction: 0.5,
      outputLayer: 'out.weight',
      outputRule: 'keep',
    });
    const mask = uploadMask(host, specs);
    const start = { params: wk, optimizer: null, step: 10 };
    const options = { noiseSeed: 1, trainCount: 600, mask, keepOptimizer: false, resetSchedule: false };
    const t = startTrainee(config, start, options);
    expect(t.step).toBe(10);
    for (const [name, v] of t.params) {
      const m = host.get(name);
      const w0 = saved.get(name)!;
      const got = v.dataSync();
      for (let i = 0; i < got.length; i++) {
        if (m && m[i] === 0) expect(got[i] === 0).toBe(true);
        else expect(got[i]).toBe(w0[i]);
      }
    }
    const zeros = tf.zeros([784, 300]);
    t.params.get('fc1.weight')!.assign(zeros);
    zeros.dispose();
    for (const [name, v] of wk) expect([...v.dataSync()]).toEqual([...saved.get(name)!]);
    const fresh = initParams(specs, 99);
    const reinit = startTrainee(config, { params: fresh, optimizer: null, step: 10 }, options);
    const r = reinit.params.get('fc2.weight')!.dataSync();
    const m = host.get('fc2.weight')!;
    let changed = 0;
    for (let i = 0; i < r.length; i++) {
      if (m[i] === 0) expect(r[i] === 0).toBe(true);
      else if (r[i] !== saved.get('fc2.weight')![i]) changed++;
    }
    expect(changed).toBe(maskCounts(host).perTensor.get('fc2.weight')?.alive);
    expect(maskDensity(host)).toBeCloseTo((0.5 * (784 * 300 + 300 * 100) + 1000) / (784 * 300 + 300 * 100 + 1000), 6);
    for (const x of [t, reinit]) {
      disposeParams(x.params);
      x.optimizer.dispose();
    }
    disposeParams(fresh);
    disposeParams(wk);
    disposeMask(mask);
    expect(tf.memory().numTensors).toBe(0);
  });
});
