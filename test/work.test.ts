import { describe, expect, test } from 'vitest';
import { PRESETS } from '../src/core/experiments/config.ts';
import { estimateSeconds, examplesPerEvaluation, totalWork, workPlan } from '../src/core/experiments/work.ts';

describe('the work a run will do, and how long it should take', () => {
  test('instability analysis: trunks to the largest k, two copies per pair from each k to T, one evaluation per point', () => {
    const c = { ...PRESETS['lenet-quick'], trainingSteps: 600, rewindSteps: [0, 100, 300], inits: 1, pairsPerInit: 2, alphas: 30 };
    // trunk 300 steps; copies 2 × 2 × (600 + 500 + 300) = 5,600; 3 ks × 2 pairs × 30 points.
    expect(workPlan(c)).toEqual({ steps: 300, copySteps: 5600, evaluations: 180 });
    expect(examplesPerEvaluation(c, { train: 60_000, test: 10_000 })).toBe(2000);
    expect(totalWork(c, 2000)).toBeCloseTo((300 + 5600) * 60 + (180 * 2000) / 3, 6);
    // At 100 steps/s with the copies two at once: (300 + 5,600 / 2) / 100 = 31 s training, 180 × 2,000 / 3 / (100 × 60) = 20 s evaluating.
    expect(estimateSeconds(c, 100, 2, { train: 60_000, test: 10_000 })).toBeCloseTo(51, 6);
  });

  test('IMP: one dense run to T per init, then per level every subnetwork and the pairs of the analysed kinds', () => {
    const c = { ...PRESETS['lenet-imp-quick'], trainingSteps: 300, rewindSteps: [0], inits: 1, pairsPerInit: 1, pruneRounds: 5, alphas: 15 };
    // subnetworks: imp, random pruning, random reinit; instability of IMP only.
    expect(workPlan(c)).toEqual({ steps: 300 + 5 * 3 * 300, copySteps: 5 * 2 * 300, evaluations: 1 + 5 * (3 + 15) });
  });
});
