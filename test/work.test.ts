import { describe, expect, test } from 'vitest';
import { PRESETS } from '../src/core/experiments/presets.ts';
import { copyWorkerSpeedups, estimateSeconds, examplesPerEvaluation, fastestBackend, totalWork, workPlan } from '../src/core/experiments/work.ts';
import { sideBySideNotice, sideBySidePays } from '../src/core/experiments/pair.ts';

describe('the work a run will do, and how long it should take', () => {
  test('instability analysis: trunks to the largest k, two copies per pair from each k to T, one evaluation per point', () => {
    const c = { ...PRESETS['lenet-quick'], trainingSteps: 600, rewindSteps: [0, 100, 300], inits: 1, pairsPerInit: 2, alphas: 30 };
    // trunk 300 steps; copies 2 × 2 × (600 + 500 + 300) = 5,600; 3 ks × 2 pairs × 30 points.
    expect(workPlan(c)).toEqual({ steps: 300, subnetSteps: 0, copySteps: 5600, evaluations: 180 });
    expect(examplesPerEvaluation(c, { train: 60_000, test: 10_000 })).toBe(2000);
    expect(totalWork(c, 2000)).toBeCloseTo((300 + 5600) * 60 + (180 * 2000) / 3, 6);
    // At 100 steps/s with no workers: (300 + 5,600) / 100 = 59 s training, 180 × 2,000 / 3 / (100 × 60) = 20 s evaluating.
    expect(estimateSeconds(c, 100, 0, { train: 60_000, test: 10_000 })).toBeCloseTo(79, 6);
    // Two workers: a pair's two copies at once at 0.8 each, (300 + 5,600 / 1.6) / 100 = 38 s training.
    expect(estimateSeconds(c, 100, 2, { train: 60_000, test: 10_000 })).toBeCloseTo(58, 6);
    // Eight workers, but only 2 pairs per k: 4 copies at once, 5,600 / 3.2 = 1,750 steps.
    expect(copyWorkerSpeedups(c, 8).copies).toBeCloseTo(3.2, 9);
    expect(copyWorkerSpeedups(c, 8).subnets).toBe(1);
    expect(estimateSeconds(c, 100, 8, { train: 60_000, test: 10_000 })).toBeCloseTo((300 + 1750) / 100 + 20, 6);
    // Three inits × three pairs: four pairs at once with eight workers.
    expect(copyWorkerSpeedups({ ...c, inits: 3, pairsPerInit: 3 }, 8).copies).toBeCloseTo(6.4, 9);
  });

  test('IMP: one dense run to T per init, then per level every subnetwork and the pairs of the analysed kinds', () => {
    const c = { ...PRESETS['lenet-imp-quick'], trainingSteps: 300, rewindSteps: [0], inits: 1, pairsPerInit: 1, pruneRounds: 5, alphas: 15 };
    // subnetworks: imp, random pruning, random reinit; instability of IMP only.
    expect(workPlan(c)).toEqual({ steps: 300, subnetSteps: 5 * 3 * 300, copySteps: 5 * 2 * 300, evaluations: 1 + 5 * (3 + 15) });
    // Four workers: the three subnetworks of a level at once (2.4×), IMP's one pair's two copies at once (1.6×).
    expect(copyWorkerSpeedups(c, 4).copies).toBeCloseTo(1.6, 9);
    expect(copyWorkerSpeedups(c, 4).subnets).toBeCloseTo(2.4, 9);
  });
});

describe('auto: the backend on which a run ends soonest', () => {
  const sizes = { train: 60_000, test: 10_000 };
  test('a CPU backend that trains a pair’s two copies side by side beats a GPU backend a little faster per network', () => {
    const c = { ...PRESETS['lenet-quick'], trainingSteps: 600, rewindSteps: [0], inits: 1, pairsPerInit: 1, alphas: 30 };
    // wasm: 100 steps/s of one network, 2 copy workers; webgpu: 120 steps/s, copies one after the other.
    const probes = [
      { backend: 'webgpu', stepsPerSecond: 120 },
      { backend: 'wasm', stepsPerSecond: 100 },
    ];
    const workers: Record<string, number> = { webgpu: 0, wasm: 2 };
    const seconds = (p: { backend: string; stepsPerSecond: number }) => estimateSeconds(c, p.stepsPerSecond, workers[p.backend] ?? 0, sizes);
    // By hand: the pair's 1,200 copy steps, at 0.8 × 2 = 1.6 times one network's speed in 2 workers
    // (7.5 s) or in turn (10 s), and the sweep's evaluations, 3⅓ s at 100 steps/s (2.78 s at 120).
    expect(seconds(probes[1]!)).toBeCloseTo(7.5 + 10 / 3, 6);
    expect(seconds(probes[0]!)).toBeCloseTo(10 + (10 / 3) * (100 / 120), 6);
    const { best, notices } = fastestBackend(probes, seconds);
    expect(best?.backend).toBe('wasm');
    expect(notices).toEqual([
      'webgpu would take longer for this run (about 13 s against 11 s on wasm, at 120.0 against 100.0 steps/s of one network, counting the copies each trains at once)',
    ]);
    // At three times the speed per network the GPU wins.
    expect(fastestBackend([{ backend: 'webgpu', stepsPerSecond: 300 }, probes[1]!], seconds).best?.backend).toBe('webgpu');
  });

  test('webgpu counts its pairs trained side by side at the pair speed its probe measured', () => {
    const c = { ...PRESETS['lenet-quick'], trainingSteps: 600, rewindSteps: [0], inits: 1, pairsPerInit: 1, alphas: 30 };
    // webgpu: 120 steps/s of one network, 96 of a pair side by side: the pair's 1,200 copy steps
    // take 600 / 96 = 6.25 s instead of 10 s, then 2.78 s of evaluation at 120 steps/s.
    expect(estimateSeconds(c, 120, 0, sizes, 96)).toBeCloseTo(6.25 + (10 / 3) * (100 / 120), 6);
    // Where a pair side by side is slower than two steps apart, the run trains apart: 10 s.
    expect(estimateSeconds(c, 120, 0, sizes, 50)).toBeCloseTo(10 + (10 / 3) * (100 / 120), 6);
    expect(sideBySidePays({ stepsPerSecond: 120, pairStepsPerSecond: 50 })).toBe(false);
    expect(sideBySidePays({ stepsPerSecond: 120, pairStepsPerSecond: 61 })).toBe(true);
    expect(sideBySidePays({ stepsPerSecond: 120, pairStepsPerSecond: null })).toBe(false);
    expect(sideBySideNotice(false, { stepsPerSecond: 120, pairStepsPerSecond: 50 })).toBe(
      'the copies of each pair train one after the other: side by side was slower here (measured just now: 50.0 steps/s of a pair side by side against 120.0 of one network)',
    );
    expect(sideBySideNotice(true, null)).toBe('the two copies of each pair train side by side as one network twice as wide');
    // Copy workers (CPU backends) are counted as before, whatever a pair probe says.
    expect(estimateSeconds(c, 100, 2, sizes, 96)).toBeCloseTo(7.5 + 10 / 3, 6);
    // Against wasm's 2 workers at 100 steps/s (10.8 s), side by side turns webgpu from slower to faster.
    const probes = [
      { backend: 'webgpu', stepsPerSecond: 120, pairStepsPerSecond: 96 },
      { backend: 'wasm', stepsPerSecond: 100, pairStepsPerSecond: null },
    ];
    const workers: Record<string, number> = { webgpu: 0, wasm: 2 };
    const seconds = (p: (typeof probes)[number]) => estimateSeconds(c, p.stepsPerSecond, workers[p.backend] ?? 0, sizes, p.pairStepsPerSecond);
    expect(fastestBackend(probes, seconds).best?.backend).toBe('webgpu');
    expect(fastestBackend([{ ...probes[0]!, pairStepsPerSecond: null }, probes[1]!], seconds).best?.backend).toBe('wasm');
  });

  test('with no probes there is no choice, and equals keep the first', () => {
    expect(fastestBackend([], () => 1)).toEqual({ best: null, notices: [] });
    const tie = fastestBackend(
      [
        { backend: 'webgpu', stepsPerSecond: 10 },
        { backend: 'webgl', stepsPerSecond: 10 },
      ],
      () => 5,
    );
    expect(tie.best?.backend).toBe('webgpu');
    expect(tie.notices).toHaveLength(1);
  });
});
