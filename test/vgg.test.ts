import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { permuteUnits, weightMatching } from '../src/core/analysis/align.ts';
import { PRESETS } from '../src/core/experiments/presets.ts';
import { runInstabilityAnalysis } from '../src/core/experiments/instability.ts';
import { runImp } from '../src/core/experiments/imp.ts';
import { makeBatch, rangeIndices } from '../src/core/data/dataset.ts';
import { countParams, disposeParams, initParams, isTrainable } from '../src/core/models/params.ts';
import { modelFor } from '../src/core/models/registry.ts';
import { vgg16 } from '../src/core/models/vgg.ts';
import { trainStep } from '../src/core/train/trainer.ts';
import { collect, sgdTrainee, useBackend } from './helpers.ts';
import { syntheticCifar } from './synthetic-cifar.ts';
import { scrambleForPermutationTest } from './permutations.ts';

beforeAll(() => useBackend('cpu'));

describe('VGG-16', () => {
  test('has the paper’s 14.7M weights at width 64: 14,728,266 trainable, 14,736,714 with the running statistics', () => {
    const model = vgg16(64);
    // Thirteen 3×3 convolutions with biases and BatchNorm (2 trainable + 2 running per channel), then 512 → 10.
    const channels = [64, 64, 128, 128, 256, 256, 256, 512, 512, 512, 512, 512, 512];
    const ins = [3, ...channels.slice(0, -1)];
    const trainable = channels.reduce((n, c, i) => n + 9 * (ins[i] as number) * c + c + 2 * c, 0) + 512 * 10 + 10;
    expect(trainable).toBe(14_728_266);
    expect(countParams(model.specs.filter(isTrainable))).toBe(trainable);
    expect(countParams(model.specs)).toBe(trainable + 2 * channels.reduce((a, b) => a + b, 0));
    expect(model.specs.filter((s) => s.prunable)).toHaveLength(14);
    expect(model.specs.find((s) => s.name === 'convs.12.conv.weight')?.shape).toEqual([3, 3, 512, 512]);
    expect(modelFor('vgg-16', 64)).toBe(modelFor('vgg-16', 64));
    expect(modelFor('vgg-16', 16)).not.toBe(modelFor('resnet-20', 16));
  });

  test('Table 1’s presets: IMP to 1.5% (standard, warmup) and 5.5% (low), output layer kept as open_lth does', () => {
    // Density counts every prunable weight, the kept 512 × 10 classifier included; each round removes 20% of the convolution weights.
    const specs = vgg16(64).specs.filter((s) => s.prunable);
    const conv = countParams(specs.filter((s) => s.name !== 'fc.weight'));
    expect(conv).toBe(14_710_464);
    const density = (rounds: number) => ((100 * (0.8 ** rounds * conv + 5120)) / (conv + 5120)).toFixed(1);
    expect(density(PRESETS['vgg16-standard'].pruneRounds)).toBe('1.5');
    expect(density(PRESETS['vgg16-warmup'].pruneRounds)).toBe('1.5');
    expect(density(PRESETS['vgg16-low'].pruneRounds)).toBe('5.5');
    for (const name of ['vgg16-standard', 'vgg16-low', 'vgg16-warmup'] as const) {
      const p = PRESETS[name];
      expect([p.model, p.width, p.batchSize, p.trainingSteps, p.milestones, p.weightDecay, p.pruneOutput]).toEqual([
        'vgg-16',
        64,
        128,
        63_000,
        [32_000, 48_000],
        1e-4,
        'keep',
      ]);
    }
    expect([PRESETS['vgg16-low'].learningRate, PRESETS['vgg16-warmup'].learningRate, PRESETS['vgg16-warmup'].warmupSteps]).toEqual([0.01, 0.1, 30_000]);
  });

  test('a narrow VGG-16 maps [n, 3072] to [n, 10] and trains a step without leaking tensors', () => {
    const model = vgg16(2);
    const params = initParams(model.specs, 1);
    const data = syntheticCifar(8, 5);
    const logits = tf.tidy(() => model.forward(params, makeBatch(data, rangeIndices(0, 3, data.count)).x));
    expect(logits.shape).toEqual([3, 10]);
    logits.dispose();
    const trainee = sgdTrainee(params, 8, 4);
    const schedule = { learningRate: 0.1, milestones: [], gamma: 0.1, warmupSteps: 0 };
    const before = [...(params.get('convs.0.conv.weight')?.dataSync() ?? [])];
    trainStep(trainee, model, data, schedule).dispose();
    const after = tf.memory().numTensors;
    trainStep(trainee, model, data, schedule).dispose();
    expect(tf.memory().numTensors).toBe(after);
    expect([...(params.get('convs.0.conv.weight')?.dataSync() ?? [])]).not.toEqual(before);
    expect([...(params.get('convs.12.bn.running_mean')?.dataSync() ?? [])].some((m) => m !== 0)).toBe(true);
    trainee.optimizer.dispose();
    disposeParams(params);
  });

  test('its channels permute without changing the outputs, and weight matching puts them back exactly', async () => {
    const model = vgg16(2);
    expect(model.unitGroups.map((g) => g.size)).toEqual([2, 2, 4, 4, 8, 8, 8, 16, 16, 16, 16, 16, 16]);
    expect(model.unitGroups.at(-1)?.axes.at(-1)).toEqual({ param: 'fc.weight', axis: 0 });
    const a = initParams(model.specs, 3);
    const shuffles = scrambleForPermutationTest(model, a, 4);
    const b = permuteUnits(model, a, shuffles);
    const data = syntheticCifar(8, 6);
    const batch = makeBatch(data, rangeIndices(0, 8, data.count));
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(model.forward(a, batch.x), model.forward(b, batch.x)))).dataSync()[0]);
    expect(diff).toBeLessThan(1e-4);
    const found = await weightMatching(model, a, b);
    const back = permuteUnits(model, b, found.permutations);
    for (const [name, t] of a) expect(Array.from(back.get(name)?.dataSync() ?? []), name).toEqual(Array.from(t.dataSync()));
    tf.dispose([batch.x, batch.y]);
    for (const p of [a, b, back]) disposeParams(p);
    expect(tf.memory().numTensors).toBe(0);
  });

  test('instability analysis runs on it: a pair’s path with a barrier, aligned too (generated CIFAR-10-format data)', async () => {
    const data = { train: syntheticCifar(40, 1), test: syntheticCifar(20, 2) };
    const config = {
      ...PRESETS['vgg16-standard'],
      backend: 'cpu' as const,
      width: 1,
      batchSize: 4,
      trainingSteps: 3,
      milestones: [],
      rewindSteps: [0],
      inits: 1,
      pairsPerInit: 1,
      alphas: 3,
      testExamples: 20,
      trainEval: false,
      align: true,
    };
    const done = (await collect(runInstabilityAnalysis(config, data, { backend: 'cpu' }))).at(-1);
    if (done?.type !== 'done') throw new Error('the run did not finish');
    const [pair] = done.results.pairs;
    expect(pair?.testErrors).toHaveLength(3);
    expect(pair?.testBarrier).toBe(Math.max(...(pair?.testErrors ?? [])) - ((pair?.testErrors[0] ?? 0) + (pair?.testErrors[2] ?? 0)) / 2);
    // Width 1: 1 + 1 + 2 + 2 + 4 × 3 + 8 × 6 channels.
    expect(pair?.aligned?.units).toBe(66);
    expect(tf.memory().numTensors).toBe(0);
  });

  test('IMP runs on it: the output layer is kept, each level prunes 20% of the rest, the rewound subnetworks train (generated data)', async () => {
    const data = { train: syntheticCifar(40, 3), test: syntheticCifar(20, 4) };
    const config = {
      ...PRESETS['vgg16-standard'],
      experiment: 'imp' as const,
      backend: 'cpu' as const,
      width: 1,
      batchSize: 4,
      trainingSteps: 4,
      milestones: [],
      rewindSteps: [2],
      inits: 1,
      pairsPerInit: 1,
      pruneRounds: 2,
      alphas: 3,
      testExamples: 20,
      trainEval: false,
      subnetInstability: 'imp' as const,
    };
    const done = (await collect(runImp(config, data, { backend: 'cpu' }))).at(-1);
    if (done?.type !== 'done' || done.results.format !== 'lmc-lab/imp') throw new Error('the IMP run did not finish');
    // Prunable conv weights at width 1: 9 × Σ cin·cout over the 13 convolutions; the classifier (8 × 10) is kept.
    const channels = [1, 1, 2, 2, 4, 4, 4, 8, 8, 8, 8, 8, 8];
    const convWeights = channels.reduce((n, c, i) => n + 9 * (i === 0 ? 3 : (channels[i - 1] as number)) * c, 0);
    expect(convWeights).toBe(3_618);
    // Round 1 removes ⌈0.2 × 3,618⌉ = 724 conv weights, round 2 ⌈0.2 × 2,894⌉ = 579: 2,315 left; the 80 classifier weights stay.
    const densities = [...new Set(done.results.accuracies.filter((a) => a.kind === 'imp').map((a) => a.density))];
    expect(densities).toEqual([(2_894 + 80) / (3_618 + 80), (2_315 + 80) / (3_618 + 80)]);
    expect(done.results.pairs.filter((p) => p.kind === 'imp')).toHaveLength(2);
    expect(tf.memory().numTensors).toBe(0);
  });
});
