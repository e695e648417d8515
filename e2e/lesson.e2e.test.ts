import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PRESETS } from '../src/core/experiments/presets.ts';
import { decodeConfig } from '../src/core/experiments/link.ts';
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

/** Chapters with a bundled run (the others draw the paper's numbers or list questions). */
const BUNDLED = { 1: 'lenet-dense', 2: 'lenet-dense', 3: 'resnet20-teach', 4: 'lenet-imp', 5: 'resnet20-imp-teach' } as const;

describe('the lesson in Chromium (production build)', () => {
  test('a plain link opens the lesson: every chapter has its words, its figure and a duration estimate; the smallest runs to the end; “Open in the lab” opens the lab with its settings', async () => {
    const context = await launchBrowser({ webgpu: false });
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(server.url);
      await page.getByTestId('lesson').waitFor();
      expect(await page.evaluate(() => location.hash)).toBe('#lesson');
      await expect(page.getByTestId('start').count()).resolves.toBe(0); // the lab's form is not on this page
      for (const n of [1, 2, 3, 4, 5, 6]) {
        const chapter = page.getByTestId(`chapter-${n}`);
        const words = (await chapter.getByTestId('chapter-prose').textContent()) ?? '';
        expect(words.length, `chapter ${n}'s words`).toBeGreaterThan(400);
        expect(words, `chapter ${n} says what to look for`).toMatch(n === 6 ? /Guess first/ : /What to look for/);
      }
      for (const [n, demo] of Object.entries(BUNDLED)) {
        const figure = page.getByTestId(`chapter-${n}`).getByTestId(`demo-${demo}`);
        await figure.waitFor({ timeout: 20_000 });
        expect(
          Number(
            await figure
              .getByTestId('path-chart')
              .first()
              .getAttribute('data-points')
              .catch(() => '1'),
          ),
          `chapter ${n}'s figure`,
        ).toBeGreaterThan(0);
      }
      // The paper's numbers beside the bundled run's, in words.
      await expect(page.getByTestId('chapter-2').getByTestId('paper-vs-run').textContent()).resolves.toMatch(
        /under 1 point: stable.*points \((stable|unstable)\)/,
      );
      await expect(page.getByTestId('chapter-2').getByTestId('run-words').textContent()).resolves.toMatch(
        /\d+\.\d ± \d+\.\d points at k = 0 \(\d pairs?\): (stable|unstable)/,
      );
      await expect(page.getByTestId('chapter-4').getByTestId('run-words').textContent()).resolves.toMatch(/full network \d+\.\d%, IMP \d+\.\d%/);
      // Chapter 3 also draws both BatchNorm modes of the same copies, and the barrier while the copies train.
      const chapter3 = page.getByTestId('chapter-3');
      await expect(chapter3.getByTestId('bn-modes-chart').getAttribute('data-points')).resolves.toBe('4');
      await expect(chapter3.getByTestId('bn-modes-words').textContent()).resolves.toMatch(
        /^At k = 0, 50, 150, 300: [\d., ]+ points with the statistics recomputed, against [\d., ]+ interpolated; lower at every k\./,
      );
      // Steps 100 … 800 for k = 0 and 363 … 800 for k = 300: 15 distinct steps (800 is shared).
      await expect(chapter3.getByTestId('trace-chart').getAttribute('data-points')).resolves.toBe('15');
      await expect(chapter3.getByTestId('trace-words').textContent()).resolves.toMatch(/^Bundled run: copies made at k = 0: at most \d+\.\d points/);
      await expect(page.getByTestId('chapter-5').getByTestId('claim-words').textContent()).resolves.toMatch(
        /^IMP is stable (at no k|at k = [\d, ]+) and matching/,
      );
      // Each chapter that runs something states its duration on this device (or why it cannot yet) before anything starts.
      for (const n of [1, 2, 3, 4, 5]) {
        await page.waitForFunction(
          (id) =>
            /Estimated duration on this device: about \d|not in this browser yet/.test(
              document.querySelector(`[data-testid="chapter-${id}"] [data-testid="chapter-estimate"]`)?.textContent ?? '',
            ),
          n,
          { timeout: 120_000, polling: 250 },
        );
      }
      // A term is defined where it appears, by click.
      const term = page.getByTestId('chapter-1').locator('button.term[data-term="barrier"]');
      await expect(page.getByTestId('chapter-1').getByTestId('definition-barrier').isVisible()).resolves.toBe(false);
      await term.click();
      await expect(page.getByTestId('chapter-1').getByTestId('definition-barrier').textContent()).resolves.toMatch(/highest error along the path minus/);
      await expect(page.getByTestId('glossary').locator('dt').count()).resolves.toBeGreaterThan(15);
      // Chapter 1's run: one pair of LeNet copies, to the end, drawn beside the bundled one.
      const chapter1 = page.getByTestId('chapter-1');
      await chapter1.getByTestId('run-yourself').click();
      await chapter1.getByText('Your run finished').waitFor({ timeout: 120_000 });
      const yours = chapter1.getByTestId('your-run');
      await expect(yours.getByTestId('path-chart').getAttribute('data-points')).resolves.toBe(String(PRESETS['lenet-one-pair'].alphas));
      await expect(yours.getByTestId('run-words').textContent()).resolves.toMatch(/points at k = 0 \(1 pair\): (stable|unstable)/);
      // "Open in the lab": the lab, with the chapter's preset as its settings.
      await chapter1.getByTestId('open-in-lab').click();
      await page.getByTestId('start').waitFor();
      const hash = await page.evaluate(() => location.hash);
      expect(decodeConfig(hash.slice(1))).toMatchObject({ preset: 'lenet-one-pair', config: PRESETS['lenet-one-pair'], problems: [] });
      await expect(page.locator('#preset').inputValue()).resolves.toBe('lenet-one-pair');
      // The run is still there, and Back returns to the lesson.
      await expect(page.getByTestId('path-chart').first().getAttribute('data-points')).resolves.toBe(String(PRESETS['lenet-one-pair'].alphas));
      await page.goBack();
      await page.getByTestId('lesson').waitFor();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test('an existing link still opens the lab, which links back to the lesson', async () => {
    const context = await launchBrowser({ webgpu: false });
    try {
      const app = new AppPage(await context.newPage());
      await app.open(server.url, 'v=1&preset=lenet-quick&T=500');
      await expect(app.page.getByTestId('lesson').count()).resolves.toBe(0);
      await expect(app.page.locator('#preset').inputValue()).resolves.toBe('custom');
      await expect(app.page.getByTestId('preset-description').textContent()).resolves.toMatch(/starting from lenet-quick/);
      await app.page.getByTestId('open-lesson').click();
      await app.page.getByTestId('lesson').waitFor();
    } finally {
      await context.close();
    }
  });
});
