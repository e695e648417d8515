import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser } from './browser.ts';
import { startPreview } from './server.ts';

let server: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  server = await startPreview();
});

afterAll(async () => {
  await server?.close();
});

/** Runs `body` on a fresh page of a fresh browser. */
async function withPage(body: (page: Page) => Promise<void>): Promise<void> {
  const context = await launchBrowser({ webgpu: false });
  try {
    await body(await context.newPage());
  } finally {
    await context.close();
  }
}

describe('readable on a projector and a phone (production build in Chromium)', () => {
  test('the lesson never scrolls sideways on a phone, and no chart sticks out of its column at 1440 × 900 or 390 × 844', async () => {
    await withPage(async (page) => {
      for (const [width, height] of [
        [1440, 900],
        [390, 844],
      ] as const) {
        await page.setViewportSize({ width, height });
        await page.goto(`${server.url}#lesson`);
        await page.getByTestId('chapter-4').getByTestId('demo-lenet-imp').waitFor();
        await page.waitForTimeout(500);
        expect(await page.evaluate(() => document.documentElement.scrollWidth), `page width at ${width}`).toBeLessThanOrEqual(width);
        const sticking = await page.evaluate(() =>
          [...document.querySelectorAll('.chapter-figure')].flatMap((column) => {
            const right = column.getBoundingClientRect().right + 1;
            return [...column.querySelectorAll('.recharts-wrapper, svg, .paper-vs-run, details')]
              .filter((el) => el.getBoundingClientRect().right > right)
              .map((el) => el.className);
          }),
        );
        expect(sticking, `charts wider than their column at ${width}`).toEqual([]);
      }
    });
  });

  test('no axis number is cut off and no legend covers the tick labels, at 1440 × 900 and on a phone', async () => {
    await withPage(async (page) => {
      for (const [width, height] of [
        [1440, 900],
        [390, 844],
      ] as const) {
        await page.setViewportSize({ width, height });
        for (const hash of ['demo=lenet-dense', 'demo=lenet-imp']) {
          await page.goto(`${server.url}#${hash}`);
          await page.locator('.recharts-line-curve').first().waitFor();
          await page.waitForTimeout(300);
          const problems = await page.evaluate(() =>
            [...document.querySelectorAll('.recharts-wrapper')].flatMap((chart, i) => {
              const box = chart.getBoundingClientRect();
              const ticks = [...chart.querySelectorAll('.recharts-cartesian-axis-tick-value')].map((t) => t.getBoundingClientRect());
              const items = [...chart.querySelectorAll('.recharts-legend-item')].map((t) => t.getBoundingClientRect());
              const clipped = ticks.filter((t) => t.left < box.left - 0.5 || t.right > box.right + 0.5).length;
              const overlaps = (a: DOMRect, b: DOMRect) => a.top < b.bottom && a.bottom > b.top && a.left < b.right && a.right > b.left;
              const covered = ticks.filter((t) => items.some((l) => overlaps(t, l))).length;
              // The CSV / SVG / PNG buttons stay in the caption, above the legend.
              const buttons = chart.closest('figure')?.querySelector('.chart-export')?.getBoundingClientRect();
              const underButtons = buttons ? items.filter((l) => overlaps(l, buttons)).length : 0;
              return [
                ...(clipped > 0 ? [`chart ${i}: ${clipped} tick labels cut off`] : []),
                ...(covered > 0 ? [`chart ${i}: legend covers ${covered} tick labels`] : []),
                ...(underButtons > 0 || (buttons && buttons.bottom > box.top + 0.5) ? [`chart ${i}: the export buttons reach into the chart`] : []),
              ];
            }),
          );
          expect(problems, `${hash} at ${width}`).toEqual([]);
        }
      }
    });
  });

  test('the path chart’s tooltip appears all along the line, names the series as the legend does and rounds its numbers', async () => {
    await withPage(async (page) => {
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.goto(`${server.url}#demo=lenet-dense`);
      const chart = page.getByTestId('path-chart');
      await chart.locator('.recharts-line-curve').first().waitFor();
      const box = await chart.locator('.recharts-cartesian-grid').first().boundingBox();
      if (!box) throw new Error('the path chart has no plot area');
      const tips: string[] = [];
      for (let i = 1; i <= 20; i++) {
        await page.mouse.move(box.x + (box.width * i) / 20 - 1, box.y + box.height / 2);
        await page.waitForTimeout(50);
        const tip = chart.locator('.recharts-tooltip-wrapper');
        tips.push((await tip.evaluate((el) => getComputedStyle(el).visibility)) === 'visible' ? ((await tip.textContent()) ?? '') : '');
      }
      expect(tips.filter((t) => t === '').length, 'positions without a tooltip').toBe(0);
      for (const t of tips) {
        expect(t).toMatch(/^α = \d\.\d\d/);
        expect(t).toMatch(/test error \(mean of \d pairs\) : \d+\.\d\d%/);
        expect(t).not.toMatch(/test:|\d\.\d{4}/); // no internal names, no digits the measurement does not support
      }
    });
  });

  test('the keyboard focus is visible on the lesson’s terms and links', async () => {
    await withPage(async (page) => {
      await page.goto(`${server.url}#lesson`);
      await page.getByTestId('chapter-1').waitFor();
      await page.getByTestId('chapter-1').locator('button.term').first().focus();
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const style = getComputedStyle(el);
        return { term: el.classList.contains('term'), outline: `${style.outlineStyle} ${style.outlineWidth}` };
      });
      expect(focused).toEqual({ term: true, outline: 'solid 3px' });
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-expanded'))).toBe('true');
    });
  });
});
