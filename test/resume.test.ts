import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Checkpoint } from '../src/core/experiments/checkpoint.ts';
import type { ExperimentEvent } from '../src/core/experiments/events.ts';
import type { ExperimentResults } from '../src/core/experiments/results.ts';
import { runExperiment } from '../src/core/experiments/run.ts';
import { TINY_CPU_RUN, TINY_IMP_RUN, collect, realMnist, useBackend } from './helpers.ts';

beforeAll(() => useBackend('cpu'));

const INSTABILITY = TINY_CPU_RUN;
const IMP = TINY_IMP_RUN;

/** Runs `config` to the end, keeping a deep copy of every checkpoint (as storage would). */
async function uninterrupted(config: typeof INSTABILITY | typeof IMP): Promise<{ events: ExperimentEvent[]; checkpoints: Checkpoint[] }> {
  const checkpoints: Checkpoint[] = [];
  const events = await collect(runExperiment(config, await realMnist(), { backend: 'cpu', onCheckpoint: (c) => void checkpoints.push(structuredClone(c)) }));
  return { events, checkpoints };
}

/** What must match between two runs: every result, not the timing. */
function numbers(events: ExperimentEvent[]): unknown {
  const done = events.at(-1);
  if (done?.type !== 'done') throw new Error('the run did not finish');
  const rest: Partial<ExperimentResults> = { ...done.results };
  for (const key of ['startedAt', 'finishedAt', 'durationSeconds', 'timing'] as const) delete rest[key];
  return rest;
}

describe('resuming from a checkpoint (cpu)', () => {
  for (const [name, config] of [
    ['instability analysis', INSTABILITY],
    ['IMP', IMP],
  ] as const) {
    test(`${name} resumed from each checkpoint ends with exactly the results of an uninterrupted run`, async () => {
      const straight = await uninterrupted(config);
      // Instability: one per pair and summary; IMP (one init): after the dense run and each level.
      expect(straight.checkpoints.length).toBeGreaterThanOrEqual(3);
      // The first checkpoint (after a dense run or the first pair) and one in the middle.
      for (const checkpoint of [straight.checkpoints[0], straight.checkpoints[Math.floor(straight.checkpoints.length / 2)]]) {
        const resumed = await collect(runExperiment(config, await realMnist(), { backend: 'cpu', resume: checkpoint }));
        expect(numbers(resumed)).toEqual(numbers(straight.events));
        // The resumed run first re-emits the results the checkpoint held.
        const results = resumed.filter((e) => e.type === 'pair' || e.type === 'summary' || e.type === 'accuracy');
        expect(results.slice(0, checkpoint?.events.length)).toEqual(checkpoint?.events);
      }
      expect(tf.memory().numTensors).toBe(0);
    });
  }

  test('a checkpoint taken while a pair’s copies train resumes them mid-training, to the uninterrupted numbers', async () => {
    const checkpoints: Checkpoint[] = [];
    const options = { backend: 'cpu', onCheckpoint: (c: Checkpoint) => void checkpoints.push(structuredClone(c)), checkpointEverySeconds: 0 };
    const straight = await collect(runExperiment(INSTABILITY, await realMnist(), options));
    const inside = checkpoints.filter((c) => c.experiment === 'instability' && c.inPairs);
    // One-step chunks: a checkpoint after each of the 10 − k steps of every pair but the last.
    expect(inside).toHaveLength(2 * (9 + 5));
    const middle = inside[7];
    expect(middle?.experiment === 'instability' && middle.inPairs?.map((p) => p.copies.map((c) => c.step))).toEqual([[8, 8]]);
    const resumed = await collect(runExperiment(INSTABILITY, await realMnist(), { backend: 'cpu', resume: middle }));
    expect(numbers(resumed)).toEqual(numbers(straight));
    // A checkpoint saved before pairs trained together held its one pair as `inPair`: still resumed.
    if (middle?.experiment !== 'instability') throw new Error('no checkpoint inside a pair');
    const { inPairs, ...rest } = middle;
    const held = inPairs?.[0];
    if (!held) throw new Error('the checkpoint holds no copies');
    const older: Checkpoint = { ...rest, inPair: held };
    const fromOlder = await collect(runExperiment(INSTABILITY, await realMnist(), { backend: 'cpu', resume: older }));
    expect(numbers(fromOlder)).toEqual(numbers(straight));
    expect(tf.memory().numTensors).toBe(0);
  });

  test('a checkpoint of other settings is refused with the reason', async () => {
    const { checkpoints } = await uninterrupted(INSTABILITY);
    const other = { ...INSTABILITY, learningRate: 0.5 };
    await expect(collect(runExperiment(other, await realMnist(), { backend: 'cpu', resume: checkpoints[0] }))).rejects.toThrow(
      'cannot resume: the checkpoint was made with other settings',
    );
    await expect(collect(runExperiment(IMP, await realMnist(), { backend: 'cpu', resume: checkpoints[0] }))).rejects.toThrow(
      'cannot resume: the checkpoint is from an instability run, not IMP',
    );
    expect(tf.memory().numTensors).toBe(0);
  });
});
