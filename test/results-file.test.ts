import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, test } from 'vitest';
import { PRESETS } from '../src/core/experiments/config.ts';
import { runImp } from '../src/core/experiments/imp.ts';
import { runInstabilityAnalysis } from '../src/core/experiments/instability.ts';
import type { ExperimentResults } from '../src/core/experiments/results.ts';
import { parseResultsFile } from '../src/core/experiments/results-file.ts';
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
    expect(() => parseResultsFile(JSON.stringify({ ...emptyResults(), version: 2 }), 'c.json')).toThrow('c.json: results version 2 is not supported (this app reads version 1)');
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

  test('every bundled demo parses', async () => {
    for (const name of ['lenet-dense', 'lenet-imp', 'resnet20-quick']) {
      const r = parseResultsFile(await readFile(`public/demos/${name}.json`, 'utf8'), name);
      expect(r.summaries.length).toBeGreaterThan(0);
    }
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
