import { describe, expect, test } from 'vitest';
import { PRESETS } from '../src/core/experiments/presets.ts';
import type { ProgressEvent } from '../src/core/experiments/events.ts';
import { describeProgress } from '../src/ui/progress-words.ts';
import { describeEstimate } from '../src/ui/duration-words.ts';

const base = { type: 'progress' as const, fractionDone: 0.5, elapsedSeconds: 10, etaSeconds: 10 };
const none = { pointsDone: 0, densityOf: () => null };

describe('progress in plain words', () => {
  const quick = { ...PRESETS['lenet-quick'], trainingSteps: 600, inits: 1, alphas: 30 };
  test('instability analysis: the trunk towards k, a copy towards T, the path point by point', () => {
    expect(describeProgress({ ...base, phase: 'trunk', k: 100, init: 0, step: 37 } as ProgressEvent, quick, none)).toBe(
      'Training the network to the rewind step k = 100 (step 37 of 100)',
    );
    expect(describeProgress({ ...base, phase: 'copy', k: 100, init: 0, pair: 0, copy: 1, step: 552, kind: 'dense', level: 0 }, quick, none)).toBe(
      'Training copy 2 of pair 1 from k = 100 (step 552 of 600)',
    );
    expect(describeProgress({ ...base, phase: 'interpolate', k: 100, init: 0, pair: 1, kind: 'dense', level: 0 }, quick, { ...none, pointsDone: 12 })).toBe(
      'Evaluating the path between the copies of pair 2 from k = 100 (α 12 of 30)',
    );
    const reset = { ...quick, resetSchedule: true, inits: 3 };
    expect(describeProgress({ ...base, phase: 'copy', k: 100, init: 2, pair: 0, copy: 0, step: 650 }, reset, none)).toBe(
      'Training copy 1 of pair 1, init 3 of 3 from k = 100 (step 650 of 700)',
    );
  });

  test('IMP: the full network, then each subnetwork with its round and density', () => {
    const imp = { ...PRESETS['lenet-imp-quick'], trainingSteps: 300 };
    const densities = { pointsDone: 0, densityOf: (level: number) => (level === 2 ? 0.25 : null) };
    expect(describeProgress({ ...base, phase: 'trunk', k: 0, init: 0, step: 120 }, imp, densities)).toBe(
      'Training the full network to T = 300, keeping its weights at every rewind step (step 120 of 300)',
    );
    expect(describeProgress({ ...base, phase: 'subnet', k: 0, init: 0, kind: 'random-prune', level: 2, step: 40 }, imp, densities)).toBe(
      'Training the random pruning subnetwork of round 2 (25.0% of the weights left), rewound to k = 0 (step 40 of 300)',
    );
    expect(describeProgress({ ...base, phase: 'copy', k: 0, init: 0, kind: 'imp', level: 2, pair: 0, copy: 0, step: 10 }, imp, densities)).toBe(
      'Training copy 1 of pair 1 of the IMP subnetwork of round 2 (25.0% of the weights left) from k = 0 (step 10 of 300)',
    );
  });
});

describe('the duration estimate in plain words', () => {
  test('names the backend and the measured speeds, a pair side by side where there was one', () => {
    const estimate = { key: 'k', seconds: 125, backend: 'webgpu' as const, stepsPerSecond: 12.34 };
    expect(describeEstimate(estimate)).toBe(
      'Estimated duration on this device: about 2 min 5 s (webgpu, measured just now: 12.3 training steps/s of one network; an estimate).',
    );
    expect(describeEstimate({ ...estimate, pairStepsPerSecond: 10.06 })).toBe(
      "Estimated duration on this device: about 2 min 5 s (webgpu, measured just now: 12.3 training steps/s of one network, 10.1 of a pair's two copies trained side by side as one network; an estimate).",
    );
    expect(describeEstimate({ key: 'k', unavailable: 'a run is in progress' })).toBe('No duration estimate yet: a run is in progress.');
  });
});
