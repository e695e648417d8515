import { readFile } from 'node:fs/promises';
import { DEMOS } from '../src/ui/demos.ts';
import { beforeAll, describe, expect, test } from 'vitest';
import { PRESETS } from '../src/core/experiments/presets.ts';
import { runImp } from '../src/core/experiments/imp.ts';
import { runInstabilityAnalysis } from '../src/core/experiments/instability.ts';
import type { ExperimentResults } from '../src/core/experiments/results.ts';
import { MAX_RESULTS_CHARS, parseResultsFile } from '../src/core/experiments/results-file.ts';
import { finishedPairs, runFromResults } from '../src/ui/run-state.ts';
import { realMnist, useBackend } from './helpers.ts';

beforeAll(() => useBackend('wasm'));

async function finalResults(gen: AsyncGenerator<unknown, ExperimentResults>): Promise<ExperimentResults> {
  for (;;) {
    const next = await gen.next();
    if (next.done) return next.value;
  }
}

describe('results files', () => {
  test('instability and IMP results round-trip through JSON and rebuild the run state', async () => {
    const mnist = await realMnist();
    const tiny = { ...PRESETS['lenet-imp-quick'], trainingSteps: 10, pruneRounds: 1, alphas: 3, testExamples: 100 };
    for (const results of [
      await finalResults(runInstabilityAnalysis({ ...tiny, experiment: 'instability' }, mnist, { backend: 'wasm' })),
      await finalResults(runImp(tiny, mnist, { backend: 'wasm' })),
    ]) {
      const back = parseResultsFile(JSON.stringify(results), 'r.json');
      expect(back).toEqual(results);
      const state = runFromResults(back);
      expect(state.phase).toBe('done');
      expect(finishedPairs(state)).toEqual(results.pairs);
      expect(state.summaries).toEqual(results.summaries);
      if (results.format === 'lmc-lab/imp') expect(state.accuracies).toEqual(results.accuracies);
    }
  });

  test('malformed files, other formats, other versions and bad configs are rejected with the reason', () => {
    const good = parseResultsFile(JSON.stringify(emptyResults()), 'ok.json');
    expect(good.format).toBe('lmc-lab/instability');
    expect(() => parseResultsFile('{not json', 'a.json')).toThrow(/^a\.json: not JSON/);
    expect(() => parseResultsFile('{"format":"other"}', 'b.json')).toThrow('b.json: not an LMC Lab results file (format "other")');
    expect(() => parseResultsFile(JSON.stringify({ ...emptyResults(), version: 2 }), 'c.json')).toThrow(
      'c.json: results version 2 is not supported (this app reads version 1)',
    );
    const badPair = { ...emptyResults(), pairs: [{ kind: 'dense', level: 0, k: 0, init: 0, pair: 0, density: 1, alphas: [0, 1], testErrors: [1, 'x'] }] };
    expect(() => parseResultsFile(JSON.stringify(badPair), 'd.json')).toThrow(/^d\.json: pairs\.0\.testErrors\.1: /);
    const badConfig = { ...emptyResults(), config: { ...PRESETS['lenet-quick'], alphas: 1 } };
    expect(() => parseResultsFile(JSON.stringify(badConfig), 'e.json')).toThrow(/^e\.json: invalid configuration: alphas/);
  });

  test('a file the CLI wrote is accepted, settings added since then taking their defaults', async () => {
    const text = await readFile('test/fixtures/cli-results.json', 'utf8');
    expect(JSON.parse(text).config.cifarUrl).toBeUndefined();
    const r = parseResultsFile(text, 'cli-results.json');
    expect(r.pairs).toHaveLength(2);
    expect(r.config.cifarUrl).toBe('');
    expect(r.config.trainingSteps).toBe(20);
  });

  test('every bundled demo parses, and recomputing its barriers, summaries and verdicts gives exactly what the run wrote', async () => {
    // Every demo a link can name.
    for (const name of Object.keys(DEMOS)) {
      const text = await readFile(`public/demos/${name}.json`, 'utf8');
      const raw = JSON.parse(text) as Record<string, unknown>;
      const r = parseResultsFile(text, name);
      expect(r.summaries.length).toBeGreaterThan(0);
      expect(r.pairs).toEqual(raw.pairs);
      expect(r.summaries).toEqual(raw.summaries);
      if (r.format === 'lmc-lab/imp') {
        expect(r.table).toEqual(raw.table);
        expect(r.figure9).toEqual(raw.figure9);
        expect(r.extremeMatchingDensity).toEqual(raw.extremeMatchingDensity);
      }
    }
  });

  test('numbers out of range or out of step with the configuration are refused; verdicts are recomputed, not trusted', () => {
    const config = { ...PRESETS['lenet-quick'], alphas: 3, rewindSteps: [0, 100], inits: 1, pairsPerInit: 2 };
    const pair = (over: Record<string, unknown> = {}) => ({
      kind: 'dense',
      level: 0,
      k: 0,
      init: 0,
      pair: 0,
      density: 1,
      alphas: [0, 0.5, 1],
      testErrors: [2, 52, 2],
      testBarrier: 0.1,
      distances: { l2: 1, cosine: 0.1, initToK: 1, kToT: 1, classifiedDifferently: 3, lossL2: 1 },
      ...over,
    });
    const file = (pairs: unknown[], summaries: unknown[] = []) => JSON.stringify({ ...emptyResults(), config, pairs, summaries });
    const lying = parseResultsFile(
      file([pair()], [{ kind: 'dense', level: 0, density: 1, k: 0, test: { mean: 0.1, std: 0, n: 1 }, stable: true }]),
      'lie.json',
    );
    expect(lying.pairs[0]?.testBarrier).toBe(50);
    expect(lying.summaries).toEqual([{ kind: 'dense', level: 0, density: 1, k: 0, test: { mean: 50, std: 0, n: 1 }, stable: false }]);
    expect(() => parseResultsFile(file([pair({ testErrors: [-1, 5, 2] })]), 'neg.json')).toThrow(
      'neg.json: pairs.0.testErrors.0: must be a percentage from 0 to 100',
    );
    expect(() => parseResultsFile(file([pair({ testErrors: [2, 101, 2] })]), 'big.json')).toThrow(
      'big.json: pairs.0.testErrors.1: must be a percentage from 0 to 100',
    );
    expect(() =>
      parseResultsFile(file([], [{ kind: 'dense', level: 0, density: 1, k: 0, test: { mean: 1, std: -1, n: 2 }, stable: true }]), 'std.json'),
    ).toThrow('std.json: summaries.0.test.std: must not be negative');
    expect(() => parseResultsFile(file([pair({ alphas: [0, 1], testErrors: [1, 2, 3, 4, 5, 6, 7] })]), 'len.json')).toThrow(
      'len.json: pairs.0: 2 α values where the configuration has 3',
    );
    expect(() => parseResultsFile(file([pair({ alphas: [0, 0.5, 1], testErrors: [1, 2, 3, 4, 5, 6, 7] })]), 'len2.json')).toThrow(
      'len2.json: pairs.0: 7 test errors for 3 α values',
    );
    expect(() => parseResultsFile(file([pair(), pair({ pair: 1 }), pair({ k: 100 }), pair()]), 'twice.json')).toThrow(
      'twice.json: pairs.3: the pair dense/0/0/0/0 appears twice',
    );
    expect(() => parseResultsFile(file([pair({ pair: 2 })]), 'many.json')).toThrow('many.json: pairs.0: pair 2 but the configuration has 2 per init');
    expect(() => parseResultsFile(file([pair({ k: 5 })]), 'k.json')).toThrow("k.json: pairs.0: k = 5 is not one of the configuration's rewind steps (0, 100)");
    expect(() => parseResultsFile(file([pair({ kind: 'imp', level: 1 })]), 'kind.json')).toThrow(
      'kind.json: pairs.0: a imp pair at level 1 in an instability run',
    );
    expect(() => parseResultsFile(' '.repeat(MAX_RESULTS_CHARS + 1), 'huge.json')).toThrow('huge.json: 50 MB is larger than any results file LMC Lab writes');
  });
});

function emptyResults(): Record<string, unknown> {
  return {
    format: 'lmc-lab/instability',
    version: 1,
    config: PRESETS['lenet-quick'],
    backend: 'wasm',
    startedAt: '2026-11-26T00:00:00.000Z',
    finishedAt: '2026-11-26T00:00:01.000Z',
    durationSeconds: 1,
    timing: { trainingExamples: 0, trainingSeconds: 0, evaluatedExamples: 0, evaluationSeconds: 0 },
    pairs: [],
    summaries: [],
  };
}
