import { readFile } from 'node:fs/promises';
import type { Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MNIST_FILES } from '../src/core/data/mnist.ts';
import { AppPage } from './app-page.ts';
import { launchBrowser } from './browser.ts';
import { startPreview } from './server.ts';

let server: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  server = await startPreview();
});

afterAll(async () => {
  await server?.close();
});

const TINY = 'v=1&preset=lenet-quick&T=4&k=0&pairs=1&alphas=3&test=100';

/** Expects the run to have failed with a message matching `message`, with the app ready again. */
async function expectFailed(app: AppPage, message: RegExp): Promise<void> {
  const s = await app.waitForEnd(60_000);
  expect(s.phase).toBe('error');
  expect(s.error).toMatch(message);
  expect(await app.page.getByTestId('start').isEnabled()).toBe(true);
  expect(await app.page.getByTestId('cancel').isDisabled()).toBe(true);
}

describe('every failure leaves the app ready for the next Start (production build in Chromium)', () => {
  test('missing CIFAR-10 twice, MNIST missing, served as HTML, truncated and planted, a divergence: each says what was wrong, then a run succeeds', async () => {
    const context = await launchBrowser({ webgpu: false });
    const errors: string[] = [];
    try {
      const page = await context.newPage();
      page.on('pageerror', (e) => errors.push(e.message));
      const app = new AppPage(page);
      // No CIFAR-10 anywhere: the served copy answers 404 (the fresh profile has no cache).
      await context.route('**/data/cifar10/**', (route) => route.fulfill({ status: 404, body: 'not here' }));
      await app.open(server.url, 'v=1&preset=resnet20-quick&T=2&k=0&pairs=1&alphas=2&test=20');
      // Start waits for the data and says how to get it.
      await page.getByTestId('start-blocked').waitFor();
      expect(await page.getByTestId('start').isDisabled()).toBe(true);
      expect(await page.getByTestId('start-blocked').textContent()).toContain('npm run data:cifar');
      expect(await page.getByTestId('start-blocked').getByRole('link').getAttribute('href')).toBe('https://www.cs.toronto.edu/~kriz/cifar.html');
      // A start that reaches the worker anyway fails with the reason, twice, and never hangs.
      for (let attempt = 0; attempt < 2; attempt++) {
        await page.evaluate(() => (window as unknown as { __lmc: { getState(): { start(): void } } }).__lmc.getState().start());
        const s = await app.waitForEnd(60_000);
        expect(s.phase).toBe('error');
        expect(s.error).toMatch(/^CIFAR-10 is not loaded/);
      }
      expect(await page.getByTestId('run-error').textContent()).toContain('CIFAR-10 is not loaded');
      expect(await page.getByTestId('status').count()).toBe(0); // no stale "Loading CIFAR-10…"

      const labels = new Uint8Array(await readFile(`public/data/mnist/${MNIST_FILES.testLabels}`));
      const planted = labels.slice();
      planted[8] = ((planted[8] ?? 0) + 1) % 10;
      const answers: [string, (route: Route) => Promise<void>, RegExp][] = [
        ['404', (route) => route.fulfill({ status: 404, body: 'gone' }), /the server answered 404/],
        ['HTML', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><html></html>' }), /not an IDX file|magic/i],
        ['truncated', (route) => route.fulfill({ status: 200, body: Buffer.from(labels.subarray(0, 5000)) }), /t10k-labels-idx1-ubyte.*(truncated|bytes)/],
        [
          'planted',
          (route) => route.fulfill({ status: 200, body: Buffer.from(planted) }),
          /t10k-labels-idx1-ubyte: MD5 [0-9a-f]{32} differs from the official 27ae3e4e09519cfbb04c329615203637/,
        ],
      ];
      await app.open(server.url, TINY);
      for (const [, answer, message] of answers) {
        await context.route(`**/data/mnist/${MNIST_FILES.testLabels}`, answer);
        await app.start();
        await expectFailed(app, message);
        await context.unroute(`**/data/mnist/${MNIST_FILES.testLabels}`);
      }
      // The server has recovered: the same page now runs.
      await app.start();
      const done = await app.waitForEnd(90_000);
      expect(done.phase).toBe('done');
      expect(done.points).toBe(3);
      expect(done.tensorsAfterRun).toBe(0);

      // A divergence names the step; then a sound run goes through on the same worker.
      await app.open(server.url, 'v=1&preset=lenet-quick&opt=sgd&lr=10&T=200&k=0&pairs=1&alphas=3&test=100');
      await app.start();
      await expectFailed(app, /^training diverged: the loss was (NaN|-?Infinity) at step \d+/);
      expect((await app.snapshot()).tensorsAfterRun).toBe(0);
      await app.open(server.url, TINY);
      await app.start();
      expect((await app.waitForEnd(90_000)).phase).toBe('done');
    } finally {
      await context.close();
    }
    expect(errors).toEqual([]);
  });

  test('the page users get carries no test hook (a driver that asks before load gets it), and every request it makes succeeds', async () => {
    for (const testHook of [false, true]) {
      const context = await launchBrowser({ webgpu: false, testHook });
      try {
        const page = await context.newPage();
        const failed: string[] = [];
        page.on('response', (r) => r.status() >= 400 && failed.push(`${r.status()} ${r.url()}`));
        await page.goto(`${server.url}#v=1&preset=lenet-quick`);
        await page.getByTestId('start').waitFor();
        await page.waitForLoadState('networkidle');
        expect(failed).toEqual([]); // the favicon too
        expect(await page.evaluate(() => typeof (window as unknown as { __lmc?: unknown }).__lmc)).toBe(testHook ? 'object' : 'undefined');
      } finally {
        await context.close();
      }
    }
  });

  test('during a run a changed link is refused and undone, a second tab sees the run as live and cannot resume it, and later edits are flagged', async () => {
    const context = await launchBrowser({ webgpu: false });
    try {
      const page = await context.newPage();
      const app = new AppPage(page);
      await app.open(server.url, 'v=1&preset=lenet-quick&T=400&k=0&pairs=1&alphas=5&test=200');
      const hash = await page.evaluate(() => location.hash);
      const chartTop = async (): Promise<number> => (await page.getByTestId('path-chart').boundingBox())?.y ?? Number.NaN;
      const before = await chartTop();
      await app.start();
      const running = await app.waitFor((s) => s.phase === 'running' && s.storedRuns.length > 0, 60_000);
      await page.getByTestId('stored-runs').waitFor();
      // The saved-runs list and the backend's notes do not push the charts down; only the progress line comes in above them.
      const moved = (await chartTop()) - before;
      console.log(`path chart moved ${moved.toFixed(0)} px when the run started`);
      expect(moved).toBeLessThan(80);
      const id = running.storedRuns[0]?.id ?? '';
      // Progress in the words of the paper, not internal names.
      expect(await page.getByTestId('progress-words').textContent()).toMatch(
        /^[\d.]+% · (Training copy [12] of pair 1 from k = 0 \(step \d+ of 400\)|Evaluating the path between the copies of pair 1 from k = 0 \(α \d of 5\))/,
      );
      await page.evaluate(() => {
        location.hash = '#v=1&preset=lenet-quick&alphas=3&T=60';
      });
      await page.getByTestId('link-problems').waitFor();
      expect(await page.getByTestId('link-problems').textContent()).toContain('a run is in progress, so this link was not applied');
      await page.waitForFunction((h) => location.hash === h, hash);
      await page.evaluate(() => {
        location.hash = '#demo=lenet-dense';
      });
      await page.waitForFunction((h) => location.hash === h, hash);
      expect(await page.locator('#setting-alphas').inputValue()).toBe('5');

      const other = new AppPage(await context.newPage());
      await other.open(server.url, 'v=1&preset=lenet-quick');
      const row = other.page.getByTestId(`stored-run-${id}`);
      await other.page.waitForFunction(
        (rowId) => document.querySelector(`[data-testid="stored-run-${rowId}"]`)?.getAttribute('data-status') === 'running in another tab',
        id,
        { timeout: 20_000 },
      );
      expect(await row.getByTestId('resume').isDisabled()).toBe(true);
      expect(await row.getByTestId('delete').isDisabled()).toBe(true);
      await other.page.close();

      const done = await app.waitFor((s) => s.phase === 'done' && s.tensorsAfterRun !== null, 120_000);
      expect(done.points).toBe(5);
      expect(await page.getByTestId('results-provenance').count()).toBe(0);
      // An advanced setting: open the group first (it is folded so the few main settings come first).
      await page.getByTestId('advanced-settings').locator('summary').click();
      await page.locator('#setting-alphas').fill('7');
      await page.locator('#setting-alphas').blur();
      await page.getByTestId('results-provenance').waitFor();
      expect(Number(await page.getByTestId('path-chart').getAttribute('data-points'))).toBe(5);
      await page.getByTestId('results-provenance').getByRole('button').click();
      await page.getByTestId('results-provenance').waitFor({ state: 'detached' });
      expect(await page.locator('#setting-alphas').inputValue()).toBe('5');
    } finally {
      await context.close();
    }
  });

  test('the duration on this device is estimated before Start, and a run estimated over 15 minutes asks first', async () => {
    const context = await launchBrowser({ webgpu: false });
    try {
      const app = new AppPage(await context.newPage());
      await app.open(server.url, 'v=1&preset=lenet-paper');
      const estimate = app.page.getByTestId('estimate');
      await app.page.waitForFunction(
        () => /Estimated duration on this device: about \d/.test(document.querySelector('[data-testid="estimate"]')?.textContent ?? ''),
        null,
        {
          timeout: 60_000,
        },
      );
      expect(await estimate.textContent()).toMatch(
        /about (\d+ h \d+ min|\d+ min \d+ s) \(wasm, measured just now: [\d.]+ training steps\/s of one network; an estimate\)/,
      );
      await app.start();
      await app.page.getByTestId('confirm-long-run').waitFor();
      expect((await app.snapshot()).phase).toBe('idle');
      await app.page.getByRole('button', { name: 'Not now' }).click();
      await app.page.getByTestId('confirm-long-run').waitFor({ state: 'detached' });
      expect((await app.snapshot()).phase).toBe('idle');
    } finally {
      await context.close();
    }
  });

  test('on a phone (390 × 844) nothing scrolls sideways, and Start and the first chart come before the settings, on the first screen', async () => {
    const context = await launchBrowser({ webgpu: false });
    try {
      const page = await context.newPage();
      await page.setViewportSize({ width: 390, height: 844 });
      for (const hash of ['demo=lenet-dense', 'demo=lenet-imp', 'v=1&preset=resnet20-quick']) {
        await page.goto(`${server.url}#${hash}`);
        await page.getByTestId('start').waitFor();
        await page.waitForTimeout(500);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
        const start = (await page.getByTestId('start').boundingBox())?.y ?? Number.POSITIVE_INFINITY;
        const settings = (await page.getByRole('region', { name: 'Settings' }).boundingBox())?.y ?? 0;
        expect(start).toBeLessThan(844);
        expect(start).toBeLessThan(settings);
        if (hash.startsWith('demo=')) expect((await page.locator('.recharts-wrapper').first().boundingBox())?.y ?? Number.POSITIVE_INFINITY).toBeLessThan(844);
      }
    } finally {
      await context.close();
    }
  });

  test('the form shows the few main settings first and folds the rest under Advanced, reachable by keyboard', async () => {
    const context = await launchBrowser({ webgpu: false });
    try {
      const app = new AppPage(await context.newPage());
      await app.open(server.url, 'v=1&preset=lenet-quick');
      for (const id of ['model', 'experiment', 'trainingSteps', 'rewindSteps', 'pairsPerInit', 'learningRate'])
        expect(await app.page.locator(`#setting-${id}`).isVisible()).toBe(true);
      expect(await app.page.locator('#setting-noiseSeed').isVisible()).toBe(false);
      await app.page.getByTestId('advanced-settings').locator('summary').focus();
      await app.page.keyboard.press('Enter');
      expect(await app.page.locator('#setting-noiseSeed').isVisible()).toBe(true);
      // Help by keyboard or tap, not by hover alone.
      const help = app.page.locator('#setting-trainingSteps-help');
      expect(await help.isVisible()).toBe(false);
      await app.page.getByRole('button', { name: 'What is “Training steps T”?' }).focus();
      await app.page.keyboard.press('Enter');
      expect(await help.isVisible()).toBe(true);
      expect(await help.textContent()).toBe('Each copy trains to step T.');
      expect(await app.page.locator('#setting-trainingSteps').getAttribute('aria-describedby')).toBe('setting-trainingSteps-help');
    } finally {
      await context.close();
    }
  });

  test('the page follows a dark system scheme, charts too, and the toggle’s choice stays after a reload', async () => {
    const context = await launchBrowser({ webgpu: false });
    try {
      const page = await context.newPage();
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.goto(`${server.url}#demo=lenet-dense`);
      await page.locator('.recharts-cartesian-axis-tick-value').first().waitFor();
      const colours = () =>
        page.evaluate(() => ({
          background: getComputedStyle(document.documentElement).backgroundColor,
          tick: getComputedStyle(document.querySelector('.recharts-cartesian-axis-tick-value') as Element).fill,
        }));
      expect(await colours()).toEqual({ background: 'rgb(21, 22, 24)', tick: 'rgb(176, 179, 184)' });
      await page.getByTestId('theme').selectOption('light');
      expect((await colours()).background).toBe('rgb(250, 250, 250)');
      await page.reload();
      await page.locator('.recharts-cartesian-axis-tick-value').first().waitFor();
      expect(await colours()).toEqual({ background: 'rgb(250, 250, 250)', tick: 'rgb(85, 85, 85)' });
    } finally {
      await context.close();
    }
  });

  test('every chart has its numbers as a table (its text alternative), and the file pickers take the keyboard focus', async () => {
    const context = await launchBrowser({ webgpu: false });
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}#demo=lenet-dense`);
      const chart = page.getByTestId('instability-chart');
      await chart.locator('.recharts-line-curve').first().waitFor();
      await chart.locator('details.chart-numbers summary').click();
      const table = chart.locator('details.chart-numbers table');
      expect(await table.locator('thead th').first().textContent()).toBe('rewind step k (log scale)');
      expect(await table.locator('tbody tr td:first-child').allTextContents()).toEqual(['0', '100', '500']);
      expect(await page.getByTestId('path-chart').locator('details.chart-numbers tbody tr').count()).toBe(30);
      await page.getByTestId('import-results').focus();
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('import-results');
    } finally {
      await context.close();
    }
  });
});
