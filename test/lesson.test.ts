import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { parseResultsFile } from '../src/core/experiments/results-file.ts';
import { PRESETS } from '../src/core/experiments/presets.ts';
import { PRESET_INFO, matchesPreset, presetLine, trainingStepsOf } from '../src/core/experiments/preset-info.ts';
import type { KSummary, Table2Row } from '../src/core/records.ts';
import { batchNormModesSentence, instabilitySentence, stableFromK, summariesOf, table2Sentence, traceSentence } from '../src/ui/lesson/lesson-numbers.ts';
import type { WorkerCommand } from '../src/protocol/messages.ts';
import { EMPTY_RUN } from '../src/ui/run-state.ts';
import { createAppStore, estimateKey } from '../src/ui/store.ts';
import { QUESTIONS } from '../src/ui/lesson/chapters-rewinding.tsx';
import { errorBarrier } from '../src/core/analysis/barrier.ts';

const summary = (k: number, mean: number, std: number, n = 3): KSummary => ({
  kind: 'dense',
  level: 0,
  density: 1,
  k,
  test: { mean, std, n },
  stable: mean < 2,
});

describe('the lesson says a run’s numbers in words', () => {
  test('one k: mean ± std, pairs, verdict', () => {
    expect(instabilitySentence(summary(0, 16.666, 3.44))).toBe('16.7 ± 3.4 points at k = 0 (3 pairs): unstable');
    expect(instabilitySentence(summary(300, 0.55, 0.049, 1))).toBe('0.6 ± 0.0 points at k = 300 (1 pair): stable');
  });

  test('stable from the first k after which every k is stable; null when the last is not', () => {
    expect(stableFromK([summary(0, 20, 1), summary(50, 1.9, 1), summary(150, 2.5, 1), summary(300, 0.4, 0.1)])).toBe(300);
    expect(stableFromK([summary(0, 20, 1), summary(50, 1.9, 1), summary(150, 1.2, 1)])).toBe(50);
    expect(stableFromK([summary(0, 0.2, 0.1), summary(100, 0.3, 0.1)])).toBe(0);
    expect(stableFromK([summary(0, 0.2, 0.1), summary(100, 3, 0.1)])).toBeNull();
  });

  test('summaries of one kind and level come in order of k', () => {
    const other = { ...summary(5, 1, 1), kind: 'imp' as const, level: 2 };
    expect(summariesOf([summary(300, 1, 1), other, summary(0, 9, 1)], 'dense', 0).map((s) => s.k)).toEqual([0, 300]);
  });

  test('the two BatchNorm modes side by side, over the k both measured', () => {
    const interpolated = [summary(0, 27.5, 6), summary(50, 5.6, 0.5), summary(150, 2.5, 0.8), summary(300, 1.8, 0.6)];
    const recomputed = [summary(300, 0.42, 0.1), summary(0, 12.04, 3), summary(150, 1.2, 0.4), summary(50, 3.06, 1)];
    expect(batchNormModesSentence(interpolated, recomputed)).toBe(
      'At k = 0, 50, 150, 300: 12.0, 3.1, 1.2, 0.4 points with the statistics recomputed, against 27.5, 5.6, 2.5, 1.8 interpolated; lower at every k. Recomputed: stable from k = 150; interpolated: stable from k = 300.',
    );
    // Only the shared k count; a mode that is never stable says so.
    expect(batchNormModesSentence([summary(0, 9, 1), summary(50, 3, 1)], [summary(0, 10, 1), summary(50, 2.5, 1), summary(99, 0.1, 0)])).toBe(
      'At k = 0, 50: 10.0, 2.5 points with the statistics recomputed, against 9.0, 3.0 interpolated; lower at 1 of 2 k. Recomputed: not stable at the last k; interpolated: not stable at the last k.',
    );
    expect(batchNormModesSentence([summary(0, 9, 1)], [summary(50, 1, 1)])).toBe('The two runs share no k.');
  });

  test('instability while training, per k: the highest barrier and where, the end, and whether it stayed under 2 points', () => {
    const rows = [
      { x: 100, k0: 12.5, k300: 0.2 },
      { x: 400, k0: 31.04, k300: 1.1 },
      { x: 800, k0: 27.5, k300: 1.8 },
    ];
    expect(traceSentence(rows, [0, 300, 50])).toBe(
      'copies made at k = 0: at most 31.0 points (step 400), 27.5 at the end (step 800); copies made at k = 300: at most 1.8 points (step 800), 1.8 at the end (step 800), under 2 points at every step measured; copies made at k = 50: not measured',
    );
  });

  test('Table 2’s row: IMP above or below the full network, and the verdict', () => {
    const row: Table2Row = { level: 15, density: 0.0394, k: 0, full: 97.0, imp: 97.8, randomPrune: 94.0, randomReinit: 96.4, delta: -0.8, matching: true };
    expect(table2Sentence(row)).toBe(
      'At 3.9% of the weights, rewound to k = 0: full network 97.0%, IMP 97.8%, random pruning 94.0%, random reinitialisation 96.4% test accuracy; IMP is 0.8 points above the full network: matching.',
    );
    expect(table2Sentence({ ...row, imp: 88.5, full: 91.7, delta: 3.2, matching: false, randomPrune: null, randomReinit: null })).toBe(
      'At 3.9% of the weights, rewound to k = 0: full network 91.7%, IMP 88.5% test accuracy; IMP is 3.2 points below the full network: not matching.',
    );
  });
});

describe('presets have names, descriptions and costs', () => {
  test('the work of a preset in training steps (hand-computed from T, k, pairs and rounds)', () => {
    // 1 pair from k = 0: two copies of 300 steps, no trunk.
    expect(trainingStepsOf(PRESETS['lenet-one-pair'])).toBe(600);
    // trunk to k = 300, then 2 pairs × 2 copies × (600 + 500 + 300).
    expect(trainingStepsOf(PRESETS['lenet-quick'])).toBe(300 + 4 * 1400);
    // dense 800 + 1 round × 3 kinds × (800 + 750 + 650), and copies: 1 round × IMP only × 1 pair × 2 × 2,200.
    expect(trainingStepsOf(PRESETS['resnet20-imp-teach'])).toBe(800 + 3 * 2200 + 2 * 2200);
    expect(presetLine('lenet-one-pair')).toBe(`${PRESET_INFO['lenet-one-pair'].title}: ${PRESET_INFO['lenet-one-pair'].description} (600 training steps)`);
  });

  test('a preset is itself wherever it runs, and not once a setting that changes the numbers differs', () => {
    const own = PRESETS['lenet-quick'];
    expect(matchesPreset({ ...own, backend: 'cpu', cifarUrl: 'https://x.example/c.tar.gz' }, 'lenet-quick')).toBe(true);
    expect(matchesPreset({ ...own, trainingSteps: 2000 }, 'lenet-quick')).toBe(false);
    expect(matchesPreset({ ...own, rewindSteps: [0, 100] }, 'lenet-quick')).toBe(false);
    expect(matchesPreset(own, 'lenet-paper')).toBe(false);
  });
});

describe('the bundled runs of the lesson', () => {
  test('the ResNet-20 chapters’ bundled runs are their presets’ own configurations, so “Run it yourself” runs the same experiment', async () => {
    for (const name of ['resnet20-teach', 'resnet20-imp-teach', 'resnet20-trace'] as const) {
      const results = parseResultsFile(await readFile(`public/demos/${name}.json`, 'utf8'), name);
      expect(matchesPreset(results.config, name), name).toBe(true);
    }
  });
});

describe('the BatchNorm comparison of chapter 3', () => {
  test('evaluates the very copies of the bundled run: the same configuration but the BatchNorm mode, and every pair’s copies as far apart', async () => {
    const interpolated = parseResultsFile(await readFile('public/demos/resnet20-teach.json', 'utf8'), 'interpolated');
    const recomputed = parseResultsFile(await readFile('public/demos/resnet20-teach-recompute.json', 'utf8'), 'recomputed');
    expect(recomputed.config).toEqual({ ...interpolated.config, bnMode: 'recompute' });
    expect(recomputed.pairs.map((p) => p.distances.l2)).toEqual(interpolated.pairs.map((p) => p.distances.l2));
    // Recomputing lowers the mean barrier at every k, and k = 0 stays unstable.
    const means = (r: typeof recomputed) => summariesOf(r.summaries, 'dense', 0).map((s) => s.test.mean);
    means(recomputed).forEach((m, i) => expect(m).toBeLessThan(means(interpolated)[i] ?? 0));
    expect(means(recomputed)[0]).toBeGreaterThan(2);
  });
});

describe('the store serves the lesson', () => {
  const fresh = () => {
    const sent: WorkerCommand[] = [];
    return { store: createAppStore({ send: (c) => sent.push(c), dataUrl: 'http://app.test/data/' }), sent };
  };

  test('estimates of several configurations are asked once each and kept side by side', () => {
    const { store, sent } = fresh();
    const a = PRESETS['lenet-one-pair'];
    const b = PRESETS['lenet-quick'];
    store.getState().requestEstimate(a);
    store.getState().requestEstimate(b);
    store.getState().requestEstimate(a); // still being answered: not asked again
    expect(sent.map((c) => c.type === 'estimate' && c.key)).toEqual([estimateKey(a), estimateKey(b)]);
    store.getState().receive({ type: 'estimate', estimate: { key: estimateKey(b), seconds: 90, backend: 'wasm', stepsPerSecond: 60 } });
    store.getState().receive({ type: 'estimate', estimate: { key: estimateKey(a), unavailable: 'a run is in progress' } });
    expect(Object.keys(store.getState().estimates).sort()).toEqual([estimateKey(a), estimateKey(b)].sort());
    store.getState().requestEstimate(b); // answered with a duration: kept
    store.getState().requestEstimate(a); // answered "unavailable": asked again
    expect(sent.filter((c) => c.type === 'estimate')).toHaveLength(3);
  });

  test('Run it yourself puts the preset in the form and starts it, but never during a run', () => {
    const { store, sent } = fresh();
    store.getState().setField('cifarUrl', 'https://mine.example/c.tar.gz');
    store.getState().startPreset('lenet-one-pair');
    expect(store.getState().preset).toBe('lenet-one-pair');
    expect(sent.at(-1)?.type === 'start' && sent.at(-1)).toMatchObject({ config: { ...PRESETS['lenet-one-pair'], cifarUrl: 'https://mine.example/c.tar.gz' } });
    const runId = store.getState().run.runId;
    store.setState({ run: { ...EMPTY_RUN, runId, config: PRESETS['lenet-one-pair'], phase: 'running' } });
    store.getState().startPreset('lenet-quick');
    expect([store.getState().preset, sent.filter((c) => c.type === 'start').length]).toEqual(['lenet-one-pair', 1]);
  });

  test('the page starts on the lesson and switches to the lab', () => {
    const { store } = fresh();
    expect(store.getState().view).toBe('lesson');
    store.getState().showView('lab');
    expect(store.getState().view).toBe('lab');
  });
});

describe('chapter 6 quotes the bundled runs beyond the paper exactly', () => {
  test('VGG-16’s instability at k = 0 and 300, and the LeNet barrier across two initialisations before and after alignment', async () => {
    const demo = async (name: string) => parseResultsFile(await readFile(`public/demos/${name}.json`, 'utf8'), name);
    const vgg = await demo('vgg16-teach');
    const [k0, k300] = summariesOf(vgg.summaries, 'dense', 0);
    const vggAnswer = QUESTIONS.find((q) => q.preset === 'vgg16-teach')?.paper ?? '';
    expect(vggAnswer).toContain(`${k0?.test.mean.toFixed(1)} points at k = 0 and ${k300?.test.mean.toFixed(2)} at k = 300`);
    const inits = await demo('lenet-align-inits');
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const before = mean(inits.pairs.map((p) => p.testBarrier)).toFixed(1);
    const after = mean(inits.pairs.map((p) => errorBarrier(p.aligned?.testErrors ?? []))).toFixed(1);
    expect([before, after]).toEqual(['27.5', '5.2']);
    expect(QUESTIONS.find((q) => q.change.copyStart === 'two-inits')?.paper).toContain(`a ${before}-point barrier that alignment cuts to ${after} points`);
  });
});
