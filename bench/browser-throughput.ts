/**
 * Training throughput of the real app in headless Chromium, per backend: runs a short
 * instability analysis (k = 0, one pair) from a link with the backend forced, and reads the
 * training examples/s the experiment measured (results.timing, first steps and shader
 * compilation included). Build first (`npm run build`). Prints a table and writes JSON.
 * Usage: tsx bench/browser-throughput.ts [out.json]
 */
import { writeFile } from 'node:fs/promises';
import { AppPage } from '../e2e/app-page.ts';
import { launchBrowser } from '../e2e/browser.ts';
import { startPreview } from '../e2e/server.ts';

interface Case {
  readonly name: string;
  readonly link: string;
  readonly gpuSteps: number;
  readonly cpuSteps: number;
}

const CASES: readonly Case[] = [
  { name: 'LeNet-300-100, batch 60, Adam', link: 'v=1&preset=lenet-quick&k=0&pairs=1&alphas=2&test=100', gpuSteps: 40, cpuSteps: 300 },
  { name: 'ResNet-20 width 4, batch 32, SGD (resnet20-quick)', link: 'v=1&preset=resnet20-quick&k=0&alphas=2&test=100', gpuSteps: 4, cpuSteps: 40 },
  { name: 'VGG-16 width 8, batch 64, SGD (vgg16-teach)', link: 'v=1&preset=vgg16-teach&k=0&pairs=1&alphas=2&test=100', gpuSteps: 4, cpuSteps: 40 },
];
const BACKENDS = ['wasm', 'webgl', 'webgpu'] as const;

const rows: { model: string; backend: string; chosen: string | undefined; examplesPerSecond: number | null; note?: string }[] = [];
const server = await startPreview();
try {
  for (const backend of BACKENDS) {
    const context = await launchBrowser({ webgpu: backend === 'webgpu' });
    try {
      for (const c of CASES) {
        const app = new AppPage(await context.newPage());
        const steps = backend === 'wasm' ? c.cpuSteps : c.gpuSteps;
        await app.open(server.url, `${c.link}&T=${steps}&backend=${backend}`);
        await app.page
          .waitForFunction(() => document.querySelector('[data-testid="cifar-panel"]')?.getAttribute('data-state') !== 'absent', null, { timeout: 60_000 })
          .catch(() => undefined);
        await app.start();
        try {
          const done = await app.waitFor((s) => s.phase === 'done', 1_200_000);
          const timing = await app.page.evaluate(
            () =>
              (
                window as unknown as { __lmc: { getState(): { run: { results: { timing: { trainingExamples: number; trainingSeconds: number } } | null } } } }
              ).__lmc.getState().run.results?.timing,
          );
          rows.push({
            model: c.name,
            backend,
            chosen: done.backend?.chosen,
            examplesPerSecond: timing ? timing.trainingExamples / timing.trainingSeconds : null,
          });
        } catch (error) {
          rows.push({ model: c.name, backend, chosen: undefined, examplesPerSecond: null, note: (error as Error).message.slice(0, 200) });
        }
        await app.page.close();
        console.log(JSON.stringify(rows.at(-1)));
      }
    } finally {
      await context.close();
    }
  }
} finally {
  await server.close();
}
console.log('\nmodel | requested | ran on | training examples/s');
for (const r of rows) console.log(`${r.model} | ${r.backend} | ${r.chosen ?? '-'} | ${r.examplesPerSecond?.toFixed(1) ?? r.note}`);
await writeFile(process.argv[2] ?? 'bench-browser.json', `${JSON.stringify({ date: new Date().toISOString(), rows }, null, 2)}\n`);
