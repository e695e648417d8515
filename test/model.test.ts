import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { dense } from '../src/core/models/dense.ts';
import { lenet300100 } from '../src/core/models/lenet.ts';
import type { Model } from '../src/core/models/model.ts';
import { countParams, disposeParams, initParams } from '../src/core/models/params.ts';
import { crossEntropy } from '../src/core/train/loss.ts';
import { useBackend } from './helpers.ts';

beforeAll(() => useBackend('cpu'));

describe('LeNet-300-100', () => {
  test('has exactly 266,610 parameters in six tensors', () => {
    expect(countParams(lenet300100.specs)).toBe(266_610);
    expect(lenet300100.specs.map((s) => s.name)).toEqual(['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias', 'out.weight', 'out.bias']);
    expect(lenet300100.specs.filter((s) => s.prunable).map((s) => s.name)).toEqual(['fc1.weight', 'fc2.weight', 'out.weight']);
  });

  test('forward maps [n, 784] to logits [n, 10] and frees its intermediates', () => {
    const params = initParams(lenet300100.specs, 5);
    const before = tf.memory().numTensors;
    const logits = tf.tidy(() => lenet300100.forward(params, tf.zeros([3, 784])));
    expect(logits.shape).toEqual([3, 10]);
    logits.dispose();
    expect(tf.memory().numTensors).toBe(before);
    disposeParams(params);
  });

  test('initialisation is seeded and Kaiming-normal (std √(2/fan-in)) with PyTorch-default biases', () => {
    const a = initParams(lenet300100.specs, 11);
    const b = initParams(lenet300100.specs, 11);
    const c = initParams(lenet300100.specs, 12);
    const w = a.get('fc1.weight')!.dataSync();
    expect([...b.get('fc1.weight')!.dataSync()]).toEqual([...w]);
    expect(c.get('fc1.weight')!.dataSync()[0]).not.toBe(w[0]);
    let sq = 0;
    for (const v of w) sq += v * v;
    expect(Math.sqrt(sq / w.length)).toBeCloseTo(Math.sqrt(2 / 784), 3);
    const bias = a.get('fc2.bias')!.dataSync();
    expect(Math.max(...bias.map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(300));
    for (const p of [a, b, c]) disposeParams(p);
  });
});

/** A 3→4→2 network, small enough to differentiate by hand-coded float64 finite differences. */
const tiny: Model = {
  name: 'lenet-300-100',
  inputSize: 3,
  inputChannels: 3,
  numClasses: 2,
  outputLayer: 'w2',
  evalBatchSize: 100,
  bnMomentum: 0,
  unitGroups: [],
  specs: [
    { name: 'w1', shape: [3, 4], init: { kind: 'kaiming-normal', fanIn: 3 }, prunable: true },
    { name: 'b1', shape: [4], init: { kind: 'uniform-fan-in', fanIn: 3 }, prunable: false },
    { name: 'w2', shape: [4, 2], init: { kind: 'kaiming-normal', fanIn: 4 }, prunable: true },
    { name: 'b2', shape: [2], init: { kind: 'uniform-fan-in', fanIn: 4 }, prunable: false },
  ],
  forward: (p, x) => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, p.get('w1')!), p.get('b1')!)), p.get('w2')!), p.get('b2')!) as tf.Tensor2D,
};

function lossF64(values: Record<string, number[]>, x: number[][], y: number[]): number {
  const { w1 = [], b1 = [], w2 = [], b2 = [] } = values;
  let total = 0;
  x.forEach((row, n) => {
    const h = [0, 1, 2, 3].map((j) => Math.max(0, (b1[j] ?? 0) + row.reduce((s, xi, i) => s + xi * (w1[i * 4 + j] ?? 0), 0)));
    const z = [0, 1].map((k) => (b2[k] ?? 0) + h.reduce((s, hj, j) => s + hj * (w2[j * 2 + k] ?? 0), 0));
    const lse = Math.log(Math.exp(z[0] ?? 0) + Math.exp(z[1] ?? 0));
    total += lse - (z[y[n] ?? 0] ?? 0);
  });
  return total / x.length;
}

describe('gradients', () => {
  test('the cross-entropy gradient of a tiny network matches float64 finite differences', () => {
    const params = initParams(tiny.specs, 3);
    const x = [
      [0.5, -1.2, 2.0],
      [1.5, 0.3, -0.7],
      [-0.4, 0.9, 0.1],
    ];
    const y = [0, 1, 1];
    const xs = tf.tensor2d(x);
    const ys = tf.tensor1d(y, 'int32');
    const vars = [...params.values()];
    const { value, grads } = tf.variableGrads(() => crossEntropy(tiny.forward(params, xs), ys), vars);
    const values: Record<string, number[]> = {};
    for (const [name, v] of params) values[name] = [...v.dataSync()];
    expect(value.dataSync()[0]).toBeCloseTo(lossF64(values, x, y), 5);
    const h = 1e-6;
    for (const [name, v] of params) {
      const analytic = grads[v.name]!.dataSync();
      const base = values[name]!;
      base.forEach((orig, i) => {
        base[i] = orig + h;
        const up = lossF64(values, x, y);
        base[i] = orig - h;
        const down = lossF64(values, x, y);
        base[i] = orig;
        expect(analytic[i]).toBeCloseTo((up - down) / (2 * h), 4);
      });
    }
    for (const g of Object.values(grads)) g.dispose();
    tf.dispose([value, xs, ys]);
    disposeParams(params);
  });
});

describe('dense layer with its own gradients', () => {
  // Made in each test: the backend starts in beforeAll.
  const tensors = () => {
    const x = tf.tensor2d([
      [1, -2, 0.5],
      [0, 3, -1],
    ]);
    const w = tf.tensor2d([
      [0.5, -1],
      [0.25, 2],
      [-0.5, 1],
    ]);
    const b = tf.tensor1d([0.1, -0.2]);
    const c = tf.tensor2d([
      [1, 2],
      [3, -1],
    ]);
    const loss = (f: (xs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor) => tf.Tensor) =>
      tf.grads((xs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor) => tf.sum(tf.mul(f(xs, ws, bs), c)));
    return { x, w, b, c, loss };
  };

  test('gives the values and gradients worked out by hand (ReLU)', () => {
    const { x, w, b, c, loss } = tensors();
    // z = x·W + b = [[-0.15, -4.7], [1.35, 4.8]]; ReLU zeroes the negative entries, so dz = c ⊙ [z > 0] = [[0, 0], [3, -1]].
    const y = dense(x as tf.Tensor2D, w as tf.Tensor2D, b, 'relu');
    expect([...y.dataSync()]).toEqual([0, 0, expect.closeTo(1.35, 6), expect.closeTo(4.8, 6)]);
    const [dx, dw, db] = loss((xs, ws, bs) => dense(xs as tf.Tensor2D, ws as tf.Tensor2D, bs, 'relu'))([x, w, b]);
    // dx = dz·Wᵀ, dW = xᵀ·dz, db = Σ_rows dz.
    expect([...dx!.dataSync()]).toEqual([0, 0, 0, 2.5, -1.25, -2.5]);
    expect([...dw!.dataSync()]).toEqual([0, 0, 9, -3, -3, 1]);
    expect([...db!.dataSync()]).toEqual([3, -1]);
    tf.dispose([y, dx!, dw!, db!, x, w, b, c]);
    expect(tf.memory().numTensors).toBe(0);
  });

  test('matches TensorFlow.js’s own fused matMul gradient; on the network input, x gets no gradient at all', () => {
    const { x, w, b, c, loss } = tensors();
    const ours = loss((xs, ws, bs) => dense(xs as tf.Tensor2D, ws as tf.Tensor2D, bs, 'linear'))([x, w, b]);
    const theirs = loss((xs, ws, bs) => tf.fused.matMul({ a: xs as tf.Tensor2D, b: ws as tf.Tensor2D, bias: bs }))([x, w, b]);
    for (const [i, g] of ours.entries()) expect([...g.dataSync()]).toEqual([...theirs[i]!.dataSync()]);
    // On the input, x is not an argument of the layer's gradient: asking for its gradient fails, the weights' are as before.
    expect(() => loss((xs, ws, bs) => dense(xs as tf.Tensor2D, ws as tf.Tensor2D, bs, 'linear', true))([x, w, b])).toThrow(/Cannot compute gradient/);
    const onInput = tf.grads((ws: tf.Tensor, bs: tf.Tensor) => tf.sum(tf.mul(dense(x as tf.Tensor2D, ws as tf.Tensor2D, bs, 'linear', true), c)));
    const [dwInput, dbInput] = onInput([w, b]);
    expect([...dwInput!.dataSync()]).toEqual([...theirs[1]!.dataSync()]);
    expect([...dbInput!.dataSync()]).toEqual([...theirs[2]!.dataSync()]);
    tf.dispose([...ours, ...theirs, dwInput!, dbInput!, x, w, b, c]);
    expect(tf.memory().numTensors).toBe(0);
  });
});
