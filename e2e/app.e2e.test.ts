import { readFile } from 'node:fs/promises';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { decodeConfig } from '../src/core/experiments/link.ts';
import { parseResultsFile } from '../src/core/experiments/results-file.ts';
import { encodeResultsForLink } from '../src/core/experiments/results-link.ts';
import { runInstabilityAnalysis } from '../src/core/experiments/instability.ts';
import { initNodeBackend } from '../src/node/backend.ts';
import { loadMnist } from '../src/node/mnist-files.ts';
import { copyWorkersNotice } from '../src/core/experiments/pair.ts';
import { DEMOS } from '../src/ui/demos.ts';
import { AppPage, type RunSnapshot } from './app-page.ts';
import { browserCopyWorkers, launchBrowser } from './browser.ts';
import { startPreview } from './server.ts';

let server: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  server = await startPreview();
});

afterAll(async () => {
  await server?.close();
});

/** Waits until the page has CIFAR-10 (the served copy), presses Start and waits for the run to finish and free its tensors. */
async function runOnCifar(app: AppPage): Promise<RunSnapshot> {
  await app.page.waitForFunction(() => document.querySelector('[data-testid="cifar-panel"]')?.getAttribute('data-state') === 'ready', null, {
    timeout: 60_000,
  });
  await app.start();
  return app.waitFor((s) => s.phase === 'done' && s.tensorsAfterRun !== null, 240_000);
}

async function withApp(webgpu: boolean, body: (app: AppPage) => Promise<void>): Promise<void> {
  const context: BrowserContext = await launchBrowser({ webgpu });
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await body(new AppPage(page));
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
}

/** Mean test barrier per k of the run a link describes, trained in Node on wasm with the copies one after the other. */
async function nodeBarriers(link: string): Promise<number[]> {
  await initNodeBackend('wasm');
  const { config } = decodeConfig(link);
  const events = [];
  for await (const e of runInstabilityAnalysis(config, await loadMnist(), { backend: 'wasm' })) events.push(e);
  return events.flatMap((e) => (e.type === 'summary' ? [e.summary.test.mean] : []));
}

// A tiny run: 2 rewind steps, 1 pair each, 5 points on the path, 500 test images.
const TINY = 'v=1&preset=lenet-quick&T=40&k=0,20&pairs=1&alphas=5&test=500';

describe('LMC Lab in Chromium (production build)', () => {
  test('a link for a tiny run streams the path, the instability chart and the barriers', async () => {
    await withApp(false, async (app) => {
      await app.open(server.url, TINY);
      const started = Date.now();
      await app.start();
      const first = await app.waitFor((s) => s.firstPointSeen, 60_000);
      console.log(`time from Start to first plotted point: ${((Date.now() - started) / 1000).toFixed(1)} s on ${first.backend?.chosen}`);
      const done = await app.waitFor((s) => s.phase === 'done' && s.tensorsAfterRun !== null, 90_000);
      expect(done.points).toBe(2 * 5);
      expect(done.summaries.map((s) => s.k)).toEqual([0, 20]);
      for (const s of done.summaries) expect(Number.isFinite(s.test.mean)).toBe(true);
      expect(done.tensorsAfterRun).toBe(0);
      // Auto skips SwiftShader's WebGPU/WebGL here, so the software GPUs never win.
      expect(done.backend?.chosen).toBe('wasm');
      // The copies trained in nested workers (one per core), to exactly the numbers of Node training them one after the other.
      expect(done.backend?.notices).toContain(copyWorkersNotice(await browserCopyWorkers(app.page)));
      expect(done.summaries.map((s) => s.test.mean)).toEqual(await nodeBarriers(TINY));
      expect(Number(await app.page.getByTestId('path-chart').getAttribute('data-points'))).toBe(5);
      expect(Number(await app.page.getByTestId('instability-chart').getAttribute('data-points'))).toBe(2);
      // One pair per k: the table says n = 1 instead of claiming a spread of 0.
      await expect(app.page.getByTestId('barrier-dense-0-0').textContent()).resolves.toMatch(/^-?\d+\.\d\d \(n = 1\)$/);
      expect(await app.page.locator('.recharts-line-curve').count()).toBeGreaterThan(0);
    });
  });

  test('reloading during a run and pressing Resume finishes it with exactly the numbers of an uninterrupted run', async () => {
    const link = 'v=1&preset=lenet-quick&T=300&k=0,100&pairs=2&alphas=5&test=500';
    await withApp(false, async (app) => {
      await app.open(server.url, link);
      await app.start();
      const saved = await app.waitFor((s) => s.storedRuns.some((r) => r.pairs >= 1), 60_000);
      const id = saved.storedRuns[0]?.id ?? '';
      await app.page.reload();
      const row = app.page.getByTestId(`stored-run-${id}`);
      await row.waitFor();
      expect(await row.getAttribute('data-status')).toBe('interrupted');
      await row.getByTestId('resume').click();
      const done = await app.waitFor((s) => s.phase === 'done' && s.tensorsAfterRun !== null, 120_000);
      expect(done.summaries.map((s) => s.test.mean)).toEqual(await nodeBarriers(link));
      expect(done.points).toBe(2 * 2 * 5);
      await app.page.waitForFunction((rowId) => document.querySelector(`[data-testid="stored-run-${rowId}"]`)?.getAttribute('data-status') === 'done', id);
      // The history keeps it: it can be compared (its two ks on the comparison chart), and deleting removes it.
      await row.getByTestId('compare').click();
      await app.page.waitForFunction(() => document.querySelector('[data-testid="compare-chart"]')?.getAttribute('data-points') === '2');
      await row.getByTestId('delete').click();
      await row.waitFor({ state: 'detached' });
      await app.page.getByTestId('compare-view').waitFor({ state: 'detached' });
    });
  });

  test('cancel stops the run and frees every tensor', async () => {
    await withApp(false, async (app) => {
      await app.open(server.url, 'v=1&preset=lenet-quick&T=5000&k=0&pairs=1&test=500');
      await app.start();
      await app.waitFor((s) => s.phase === 'running', 60_000);
      const t0 = Date.now();
      await app.cancel();
      const s = await app.waitFor((x) => x.phase === 'cancelled' && x.tensorsAfterRun !== null, 10_000);
      console.log(`cancel took ${Date.now() - t0} ms`);
      expect(s.tensorsAfterRun).toBe(0);
    });
  });

  test('forcing WebGPU trains on WebGPU (SwiftShader adapter when no GPU)', async () => {
    await withApp(true, async (app) => {
      await app.open(server.url, 'v=1&preset=lenet-quick&T=3&k=0&pairs=1&alphas=3&test=100&backend=webgpu');
      await app.start();
      const done = await app.waitFor((s) => s.phase === 'done', 240_000);
      expect(done.backend?.chosen).toBe('webgpu');
      expect(done.summaries).toHaveLength(1);
      expect(done.points).toBe(3);
      // WebGPU trains a pair's copies as one wide network where it measured that faster than
      // one after the other (on SwiftShader it is usually slower), and says which, with the speeds.
      const notices = (await app.page.getByTestId('backend-notices').textContent()) ?? '';
      const said = notices.match(
        /(side by side as one network twice as wide|one after the other: side by side was slower here) \(measured just now: ([\d.]+) steps\/s of a pair side by side against ([\d.]+) of one network\)/,
      );
      expect(said, notices).not.toBeNull();
      const [, choice, pair, single] = said ?? [];
      console.log(`webgpu pairs: ${choice} (${pair} pair steps/s, ${single} of one network)`);
      expect(choice === 'side by side as one network twice as wide').toBe(2 * Number(pair) > Number(single));
    });
  });

  test('with WebGPU unavailable a forced WebGPU run falls back and says so', async () => {
    await withApp(false, async (app) => {
      await app.open(server.url, 'v=1&preset=lenet-quick&T=3&k=0&pairs=1&alphas=3&test=100&backend=webgpu');
      await app.start();
      const done = await app.waitFor((s) => s.phase === 'done', 120_000);
      expect(done.backend?.chosen).not.toBe('webgpu');
      const notices = await app.page.getByTestId('backend-notices').textContent();
      expect(notices).toMatch(/webgpu was requested but is unavailable; fell back to/);
    });
  });

  test('an IMP link streams pruning rounds into the density chart and fills Table 2', async () => {
    await withApp(false, async (app) => {
      await app.open(server.url, 'v=1&preset=lenet-imp-quick&T=20&rounds=2&test=300&alphas=3');
      await app.start();
      await app.waitFor((s) => s.phase === 'running', 60_000);
      const density = app.page.getByTestId('density-chart');
      await app.page.waitForFunction(() => Number(document.querySelector('[data-testid="density-chart"]')?.getAttribute('data-points')) >= 1, null, {
        timeout: 60_000,
      });
      const done = await app.waitFor((s) => s.phase === 'done' && s.tensorsAfterRun !== null, 120_000);
      expect(Number(await density.getAttribute('data-points'))).toBe(2);
      expect(await app.page.locator('[data-testid="table2"] tbody tr').count()).toBe(2);
      expect(done.summaries.map((s) => [s.kind, s.level])).toEqual([
        ['imp', 1],
        ['imp', 2],
      ]);
      expect(await app.page.getByTestId('extreme-density').textContent()).toMatch(/Appendix A\): (\d+(\.\d+)?%|none yet)/);
      expect(done.tensorsAfterRun).toBe(0);
    });
  });

  test('a ResNet-20 teaching run on real CIFAR-10 (served copy) streams points', async () => {
    await withApp(false, async (app) => {
      await app.open(server.url, 'v=1&preset=resnet20-quick&width=2&bs=16&T=4&k=0,2&pairs=1&alphas=3&test=100');
      const done = await runOnCifar(app);
      expect(done.points).toBe(2 * 3);
      expect(done.summaries.map((s) => s.k)).toEqual([0, 2]);
      expect(done.tensorsAfterRun).toBe(0);
      expect(Number(await app.page.getByTestId('path-chart').getAttribute('data-points'))).toBe(3);
    });
  });

  for (const backend of ['webgl', 'webgpu'] as const) {
    test(`ResNet-20 trains on ${backend} (convolution gradients without Conv2DBackpropFilter)`, async () => {
      await withApp(backend === 'webgpu', async (app) => {
        await app.open(server.url, `v=1&preset=resnet20-quick&width=2&bs=4&T=2&k=0&pairs=1&alphas=2&test=20&backend=${backend}`);
        const done = await runOnCifar(app);
        expect(done.backend?.chosen).toBe(backend);
        expect(done.points).toBe(2);
        expect(Number.isFinite(done.summaries[0]?.test.mean)).toBe(true);
      });
    });
  }

  for (const backend of ['wasm', 'webgpu'] as const) {
    test(`VGG-16 trains on ${backend} on real CIFAR-10 and its copies align, with no tensor left behind`, async () => {
      await withApp(backend === 'webgpu', async (app) => {
        await app.open(server.url, `v=1&preset=vgg16-teach&width=1&bs=4&T=2&k=0&pairs=1&alphas=2&test=20&align=1&backend=${backend}`);
        const done = await runOnCifar(app);
        expect(done.backend?.chosen).toBe(backend);
        expect(done.points).toBe(2);
        expect(done.tensorsAfterRun).toBe(0);
        await app.page.getByTestId('aligned-chart').waitFor({ timeout: 10_000 });
        // Width 1: 66 permutable channels.
        await expect(app.page.getByTestId('aligned-note').textContent()).resolves.toMatch(/\(1 pair; the matching moved \d+ of 66 units\)/);
      });
    });
  }

  test('a corrupt CIFAR-10 archive is rejected with a message naming it', async () => {
    await withApp(false, async (app) => {
      await app.open(server.url, 'v=1&preset=resnet20-quick');
      await app.page.waitForFunction(() => document.querySelector('[data-testid="cifar-panel"]')?.getAttribute('data-state') !== null, null, {
        timeout: 60_000,
      });
      await app.page
        .locator('[data-testid="cifar-panel"] input[type="file"]')
        .setInputFiles({ name: 'cifar-10-binary.tar.gz', mimeType: 'application/gzip', buffer: Buffer.from('not really gzip') });
      await app.page.waitForFunction(
        () => /neither a gzip nor a tar archive/.test(document.querySelector('[data-testid="cifar-status"]')?.textContent ?? ''),
        null,
        { timeout: 30_000 },
      );
      expect(await app.page.getByTestId('cifar-status').textContent()).toContain('cifar-10-binary.tar.gz: is neither a gzip nor a tar archive nor a .bin file');
      // A URL nothing answers on: a clear message, and the URL goes into the link.
      await app.page.getByLabel('CIFAR-10 URL').fill('http://127.0.0.1:9/cifar-10-binary.tar.gz');
      const download = app.page.getByTestId('load-cifar-url');
      expect(await download.textContent()).toBe('Download from 127.0.0.1:9');
      await download.click();
      await app.page.waitForFunction(() => /could not be downloaded/.test(document.querySelector('[data-testid="cifar-status"]')?.textContent ?? ''), null, {
        timeout: 30_000,
      });
      expect(decodeURIComponent(new URL(app.page.url()).hash)).toContain('cifar=http://127.0.0.1:9/cifar-10-binary.tar.gz');
    });
  });

  test('importing a results file the CLI wrote shows its charts without training; a bad file is refused', async () => {
    await withApp(false, async (app) => {
      await app.open(server.url, 'v=1&preset=lenet-quick');
      await app.page.getByTestId('import-results').setInputFiles('test/fixtures/cli-results.json');
      await app.page.getByTestId('import-message').waitFor();
      const s = await app.snapshot();
      expect(s.phase).toBe('done');
      expect(s.backend).toBeNull();
      expect(s.summaries.map((x) => x.k)).toEqual([0, 10]);
      expect(Number(await app.page.getByTestId('instability-chart').getAttribute('data-points'))).toBe(2);
      const csv = app.page.waitForEvent('download');
      await app.page.getByTestId('instability-chart').getByRole('button', { name: 'CSV' }).click();
      const csvText = await readFile((await (await csv).path()) ?? '', 'utf8');
      expect(csvText.split('\n')[0]).toBe('"x","dense","dense:err:low","dense:err:high"');
      expect(csvText.trim().split('\n')).toHaveLength(3);
      const svg = app.page.waitForEvent('download');
      await app.page.getByTestId('path-chart').getByRole('button', { name: 'SVG' }).click();
      expect(await readFile((await (await svg).path()) ?? '', 'utf8')).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      const png = app.page.waitForEvent('download');
      await app.page.getByTestId('path-chart').getByRole('button', { name: 'PNG' }).click();
      expect((await readFile((await (await png).path()) ?? '')).subarray(1, 4).toString()).toBe('PNG');
      await app.page
        .getByTestId('import-results')
        .setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"lmc-lab/imp","version":7}') });
      await app.page.waitForFunction(() => /version 7 is not supported/.test(document.querySelector('[data-testid="import-message"]')?.textContent ?? ''));
      expect((await app.snapshot()).summaries).toHaveLength(2);
    });
  });

  test('a demo link shows its bundled figures within 2 s, with no training; an unknown demo is reported', async () => {
    await withApp(false, async (app) => {
      const t0 = Date.now();
      await app.page.goto(`${server.url}#demo=resnet20-quick`);
      await app.page.getByTestId('stored-results').waitFor({ timeout: 10_000 });
      await app.page.waitForFunction(() => Number(document.querySelector('[data-testid="instability-chart"]')?.getAttribute('data-points')) === 3);
      const seconds = (Date.now() - t0) / 1000;
      console.log(`demo link to full figures: ${seconds.toFixed(2)} s`);
      expect(seconds).toBeLessThan(10); // the 2 s is reported above; this bound only catches a hang
      const s = await app.snapshot();
      expect(s.phase).toBe('done');
      expect(s.backend).toBeNull();
      expect(s.summaries.map((x) => x.k)).toEqual([0, 100, 400]);
      expect(await app.page.locator('#setting-model').inputValue()).toBe('resnet-20');
      const other = await app.page.context().newPage();
      await other.goto(`${server.url}#demo=nope`);
      expect(await other.getByTestId('link-problems').textContent()).toContain(`unknown demo 'nope'; demos: ${Object.keys(DEMOS).join(', ')}`);
    });
  });

  test('a demo with an error plane draws the triangle through the network at k and its copies, its thick side the pair’s path', async () => {
    await withApp(false, async (app) => {
      await app.page.goto(`${server.url}#demo=lenet-plane`);
      const chart = app.page.getByTestId('plane-chart');
      await chart.waitFor({ timeout: 10_000 });
      // 11 points per side: 66 networks; the lattice has 100 cells.
      expect(Number(await chart.getAttribute('data-points'))).toBe(66);
      await expect(chart.locator('svg.plane polygon').count()).resolves.toBe(100);
      await expect(chart.locator('svg.plane text').allTextContents()).resolves.toEqual(expect.arrayContaining(['the linear path']));
      await expect(app.page.getByTestId('plane-note').textContent()).resolves.toMatch(/What to look for:.*thick side/);
      // Another k shows its own plane.
      await app.page.getByRole('button', { name: '0', exact: true }).click();
      await expect(chart.getAttribute('data-points')).resolves.toBe('66');
      await expect(chart.locator('figcaption').textContent()).resolves.toMatch(/at k = 0 /);
    });
  });

  test('a demo with aligned copies draws the path before and after lining up the units, with both barriers in words', async () => {
    await withApp(false, async (app) => {
      await app.page.goto(`${server.url}#demo=lenet-align`);
      const chart = app.page.getByTestId('aligned-chart');
      await chart.waitFor({ timeout: 10_000 });
      expect(Number(await chart.getAttribute('data-points'))).toBe(30);
      await expect(chart.locator('.recharts-legend-item').allTextContents()).resolves.toEqual(['as trained', 'copy 2’s units aligned']);
      await expect(app.page.getByTestId('aligned-note').textContent()).resolves.toMatch(
        /^Barrier as trained: \d+\.\d\d ± \d+\.\d\d points; with copy 2’s units aligned: \d+\.\d\d ± \d+\.\d\d points \(2 pairs; the matching moved 0 of 400 units on average\).*What to look for:.*set “Copy 2 starts from” to two-inits/,
      );
    });
  });

  test('a demo aligning networks from two initialisations says so, and counts the units the matching moved', async () => {
    await withApp(false, async (app) => {
      await app.page.goto(`${server.url}#demo=lenet-align-inits`);
      await app.page.getByTestId('aligned-chart').waitFor({ timeout: 10_000 });
      await expect(app.page.getByTestId('two-inits-note').textContent()).resolves.toMatch(/^Copies from two initialisations\..*next initialisation’s network/);
      await expect(app.page.getByTestId('aligned-note').textContent()).resolves.toMatch(
        /\(4 pairs; the matching moved \d{3} of 400 units on average\).*These two networks come from different initialisations/,
      );
    });
  });

  test('the VGG-16 demo draws its instability against k, with BatchNorm noted as for ResNet-20', async () => {
    await withApp(false, async (app) => {
      await app.page.goto(`${server.url}#demo=vgg16-teach`);
      const chart = app.page.getByTestId('instability-chart');
      await chart.waitFor({ timeout: 10_000 });
      await expect(chart.locator('figcaption').textContent()).resolves.toMatch(/BatchNorm statistics interpolated/);
      const s = await app.snapshot();
      expect(s.summaries.map((summary) => summary.k)).toEqual([0, 300]);
    });
  });

  test('a link carrying a small run’s results shows them with no training; a cut one says so', async () => {
    const results = parseResultsFile(await readFile('public/demos/lenet-dense.json', 'utf8'), 'lenet-dense');
    const encoded = (await encodeResultsForLink(results)) ?? '';
    await withApp(false, async (app) => {
      await app.page.goto(`${server.url}#results=${encoded}`);
      await app.page.getByTestId('stored-results').waitFor({ timeout: 10_000 });
      const s = await app.snapshot();
      expect(s.phase).toBe('done');
      expect(s.backend).toBeNull();
      expect(s.summaries).toEqual(results.summaries);
      expect(await app.page.getByTestId('copy-results-link').isEnabled()).toBe(true);
      const cut = await app.page.context().newPage();
      await cut.goto(`${server.url}#results=${encoded.slice(0, 100)}`);
      expect(await cut.getByTestId('link-problems').textContent()).toMatch(/the results in the link cannot be unpacked .*; was the link cut short\?/);
    });
  });

  test('a link that measures the barrier while the copies train draws it against the training step, one line per k', async () => {
    await withApp(false, async (app) => {
      await app.open(server.url, `${TINY}&trace=4`);
      await app.start();
      const done = await app.waitFor((s) => s.phase === 'done' && s.tensorsAfterRun !== null, 120_000);
      expect(done.tensorsAfterRun).toBe(0);
      // k = 0: steps 10, 20, 30, 40; k = 20: 25, 30, 35, 40; one row per distinct step.
      const chart = app.page.getByTestId('trace-chart');
      expect(Number(await chart.getAttribute('data-points'))).toBe(6);
      await expect(chart.locator('.recharts-legend-item').allTextContents()).resolves.toEqual(['copies made at k = 0', 'copies made at k = 20']);
      await expect(app.page.getByTestId('trace-note').textContent()).resolves.toMatch(/What to look for:.*Figure 14/);
    });
  });

  test('a malformed link shows what was wrong and keeps the good settings', async () => {
    await withApp(false, async (app) => {
      await app.open(server.url, 'v=1&preset=lenet-quick&lr=abc&k=0,99999&T=500&bogus=1');
      const text = await app.page.getByTestId('link-problems').textContent();
      expect(text).toContain("setting 'lr=abc' is not valid");
      expect(text).toContain("unknown setting 'bogus' ignored");
      expect(text).toContain('rewind steps 99999 are not below the 500 training steps');
      expect(await app.page.locator('#setting-trainingSteps').inputValue()).toBe('500');
      expect(await app.page.locator('#setting-learningRate').inputValue()).toBe('0.0012');
      expect(await app.page.locator('#setting-rewindSteps').inputValue()).toBe('0');
    });
  });
});
