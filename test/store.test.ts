import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { PRESETS } from '../src/core/experiments/presets.ts';
import { parseResultsFile } from '../src/core/experiments/results-file.ts';
import { EMPTY_RUN } from '../src/ui/run-state.ts';
import type { WorkerCommand } from '../src/protocol/messages.ts';
import { REFUSED_WHILE_BUSY, createAppStore } from '../src/ui/store.ts';

/** A fresh store whose worker commands are collected in `sent`. */
function freshStore() {
  const sent: WorkerCommand[] = [];
  return { store: createAppStore({ send: (c) => sent.push(c), dataUrl: 'http://app.test/data/' }), sent };
}

describe('the app store keeps results beside the settings they came from', () => {
  test('during a run a link or results are refused with a notice, and nothing changes', async () => {
    const { store: useAppStore } = freshStore();
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
    const { store: useAppStore } = freshStore();
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

  test('Start sends the form’s settings with the data folder, and the run keeps them; events of another run are dropped', () => {
    const { store, sent } = freshStore();
    store.getState().setField('trainingSteps', 77);
    store.getState().start();
    const command = sent[0];
    expect(command?.type === 'start' && [command.config.trainingSteps, command.dataUrl]).toEqual([77, 'http://app.test/data/']);
    const runId = store.getState().run.runId ?? '';
    expect(store.getState().run.config?.trainingSteps).toBe(77);
    store.getState().receive({ type: 'status', runId: 'some-other-run', message: 'not mine' });
    expect(store.getState().run.statusMessage).toBe('Starting the worker…');
    store.getState().receive({ type: 'status', runId, message: 'Loading MNIST' });
    expect(store.getState().run.statusMessage).toBe('Loading MNIST');
    store.getState().cancel();
    expect(sent.at(-1)).toEqual({ type: 'cancel', runId });
    expect(store.getState().run.phase).toBe('cancelling');
  });

  test('a run’s notices can be dismissed', () => {
    const { store } = freshStore();
    store.setState({ run: { ...EMPTY_RUN, runId: 'r', phase: 'running', notices: ['webgpu failed; continuing on wasm'] } });
    store.getState().dismissNotices();
    expect(store.getState().run.notices).toEqual([]);
    expect(store.getState().run.phase).toBe('running');
  });
});
