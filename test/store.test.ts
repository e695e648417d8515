import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { PRESETS } from '../src/core/experiments/config.ts';
import { parseResultsFile } from '../src/core/experiments/results-file.ts';
import { EMPTY_RUN } from '../src/ui/run-state.ts';
import { REFUSED_WHILE_BUSY, useAppStore } from '../src/ui/store.ts';

describe('the app store keeps results beside the settings they came from', () => {
  test('during a run a link or results are refused with a notice, and nothing changes', async () => {
    const config = { ...PRESETS['lenet-quick'], alphas: 5 };
    useAppStore.setState({ config, linkProblems: [], run: { ...EMPTY_RUN, runId: 'r', config, phase: 'running' } });
    useAppStore.getState().loadLink('v=1&preset=lenet-quick&alphas=3&T=60');
    expect(useAppStore.getState().config).toBe(config);
    expect(useAppStore.getState().linkProblems).toEqual([REFUSED_WHILE_BUSY]);
    const demo = parseResultsFile(await readFile('public/demos/lenet-dense.json', 'utf8'), 'lenet-dense');
    useAppStore.getState().showResults(demo);
    expect(useAppStore.getState().run.runId).toBe('r');
    expect(useAppStore.getState().linkProblems).toEqual([REFUSED_WHILE_BUSY]);
  });

  test('shown results carry their own settings (never the data URL), which the form can get back', async () => {
    const demo = parseResultsFile(await readFile('public/demos/resnet20-quick.json', 'utf8'), 'resnet20-quick');
    useAppStore.setState({ config: { ...PRESETS['lenet-quick'], cifarUrl: 'https://mine.example/c.tar.gz' }, linkProblems: [], run: EMPTY_RUN });
    useAppStore.getState().showResults({ ...demo, config: { ...demo.config, cifarUrl: 'https://evil.example/c.tar.gz' } });
    const { run, config } = useAppStore.getState();
    expect(config.cifarUrl).toBe('https://mine.example/c.tar.gz');
    expect(run.config).toEqual(config);
    useAppStore.getState().setField('trainingSteps', 5);
    useAppStore.getState().restoreRunSettings();
    expect(useAppStore.getState().config).toEqual(run.config);
  });
});
