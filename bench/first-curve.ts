/**
 * Time from pressing Start to the first plotted point and to the first complete path curve, for
 * a teaching preset in headless Chromium on the production build (`npm run build` first).
 * Usage: tsx bench/first-curve.ts [hash]   (default: the lenet-quick preset)
 */
import { AppPage } from '../e2e/app-page.ts';
import { launchBrowser } from '../e2e/browser.ts';
import { startPreview } from '../e2e/server.ts';

const hash = process.argv[2] ?? 'v=1&preset=lenet-quick';
const server = await startPreview();
const context = await launchBrowser({ webgpu: process.env.WEBGPU === '1' });
try {
  const app = new AppPage(await context.newPage());
  await app.open(server.url, hash);
  const alphas = await app.page.evaluate(() => (window as unknown as { __lmc: { getState(): { config: { alphas: number } } } }).__lmc.getState().config.alphas);
  const t0 = Date.now();
  await app.start();
  const first = await app.waitFor((s) => s.points > 0, 600_000);
  const tPoint = (Date.now() - t0) / 1000;
  await app.waitFor((s) => s.points >= alphas, 600_000);
  const tCurve = (Date.now() - t0) / 1000;
  const done = await app.waitFor((s) => s.phase === 'done', 3_600_000);
  const tDone = (Date.now() - t0) / 1000;
  const result = {
    hash,
    backend: first.backend?.chosen,
    firstPointSeconds: tPoint,
    firstCurveSeconds: tCurve,
    wholeRunSeconds: tDone,
    kSummaries: done.summaries.map((s) => ({ k: s.k, mean: s.test.mean, std: s.test.std })),
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  await context.close();
  await server.close();
}
