import { describe, expect, test } from 'vitest';
import { extremeMatchingDensity, figure9Rows, isMatching, lowerMedian, table2Rows } from '../src/core/analysis/verdicts.ts';
import type { PairResult, TrainedAccuracy } from '../src/core/records.ts';

const acc = (kind: TrainedAccuracy['kind'], level: number, k: number, init: number, accuracy: number, density = 0.8 ** level): TrainedAccuracy => ({
  kind,
  level,
  density,
  k,
  init,
  testError: 100 - accuracy,
});

const pair = (kind: PairResult['kind'], level: number, k: number, init: number, barrier: number): PairResult => ({
  kind,
  level,
  k,
  init,
  pair: 0,
  density: 0.8 ** level,
  alphas: [0, 1],
  testErrors: [1, 1],
  testBarrier: barrier,
  distances: { l2: 0, cosine: 0, initToK: 0, kToT: 0, classifiedDifferently: 0, lossL2: 0 },
});

describe('verdicts', () => {
  test('matching means an accuracy drop below the threshold', () => {
    expect(isMatching(98.3, 98.2)).toBe(true);
    expect(isMatching(98.3, 98.1)).toBe(false);
    expect(isMatching(91.7, 88.5)).toBe(false);
    expect(isMatching(88.8, 89.0)).toBe(true);
  });

  test('Table 2 rows: the paper’s LeNet and ResNet-20 rows computed from their accuracies', () => {
    const lenet = table2Rows([
      acc('dense', 0, 0, 0, 98.3),
      acc('imp', 15, 0, 0, 98.2),
      acc('random-prune', 15, 0, 0, 96.7),
      acc('random-reinit', 15, 0, 0, 97.5),
    ]);
    expect(lenet).toHaveLength(1);
    expect(lenet[0]).toMatchObject({ level: 15, k: 0, full: 98.3, imp: 98.2, randomPrune: 96.7, randomReinit: 97.5, matching: true });
    expect(lenet[0]?.delta).toBeCloseTo(0.1, 10);
    const resnet = table2Rows([acc('dense', 0, 0, 0, 91.6), acc('dense', 0, 0, 1, 91.8), acc('imp', 8, 0, 0, 88.5), acc('imp', 8, 0, 1, 88.5)]);
    expect(resnet[0]?.full).toBeCloseTo(91.7, 10);
    expect(resnet[0]?.delta).toBeCloseTo(3.2, 10);
    expect(resnet[0]?.matching).toBe(false);
    expect(resnet[0]?.randomPrune).toBeNull();
  });

  test('the lower median treats "never" as larger than every k', () => {
    expect(lowerMedian([500, 0, 100])).toBe(100);
    expect(lowerMedian([500, null, 100, 0])).toBe(100);
    expect(lowerMedian([null, null, 100])).toBeNull();
    expect(lowerMedian([])).toBeNull();
  });

  test('Figure 9: median over inits of the first k that is stable and matching', () => {
    const accuracies = [
      acc('dense', 0, 0, 0, 92),
      acc('dense', 0, 0, 1, 92),
      acc('dense', 0, 0, 2, 92),
      ...[0, 1, 2].flatMap((init) => [acc('imp', 8, 0, init, 90), acc('imp', 8, 100, init, init === 2 ? 90 : 92), acc('imp', 8, 500, init, 92)]),
    ];
    const pairs = [0, 1, 2].flatMap((init) => [pair('imp', 8, 0, init, 30), pair('imp', 8, 100, init, init === 0 ? 1 : 5), pair('imp', 8, 500, init, 0.5)]);
    expect(figure9Rows(accuracies, pairs)).toEqual([{ kind: 'imp', level: 8, density: 0.8 ** 8, stableFromK: 500, matchingFromK: 100 }]);
  });

  test('Appendix A: the lowest density with a matching k', () => {
    const rows = table2Rows([
      acc('dense', 0, 0, 0, 98),
      acc('imp', 5, 0, 0, 98.1),
      acc('imp', 10, 0, 0, 97.9),
      acc('imp', 10, 100, 0, 98),
      acc('imp', 15, 0, 0, 95),
    ]);
    expect(extremeMatchingDensity(rows)).toBeCloseTo(0.8 ** 10, 12);
    expect(extremeMatchingDensity([])).toBeNull();
  });
});
