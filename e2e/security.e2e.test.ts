import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CSP_HEADER, CSP_META } from '../src/build/security-headers.ts';
import { copyWorkersNotice } from '../src/core/experiments/pair.ts';
import { AppPage } from './app-page.ts';
import { browserCopyWorkers, launchBrowser } from './browser.ts';
import { startPreview } from './server.ts';

let server: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  server = await startPreview();
});

afterAll(async () => {
  await server?.close();
});

const CSP_COMPLAINT = /Content Security Policy|Refused to/i;

describe('the production build under its Content-Security-Policy', () => {
  test('is served with the policy and frame protection, and carries it in index.html', async () => {
    const response = await fetch(server.url);
    expect(response.headers.get('content-security-policy')).toBe(CSP_HEADER);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(CSP_HEADER).toContain("frame-ancestors 'none'");
    expect(CSP_HEADER).toContain("object-src 'none'");
    expect(CSP_HEADER).toContain("base-uri 'none'");
    expect(CSP_HEADER).not.toContain('unsafe-inline');
    const html = await readFile('dist/index.html', 'utf8');
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${CSP_META.replaceAll("'", '&#39;')}"`);
  });

  for (const backend of ['wasm', 'cpu', 'webgl', 'webgpu'] as const) {
    test(`a run on ${backend} completes with no violation in the page or its workers`, async () => {
      const context = await launchBrowser({ webgpu: backend === 'webgpu' });
      const complaints: string[] = [];
      try {
        const page = await context.newPage();
        page.on('console', (m) => CSP_COMPLAINT.test(m.text()) && complaints.push(m.text()));
        page.on('worker', (w) => w.on('console', (m) => CSP_COMPLAINT.test(m.text()) && complaints.push(`worker: ${m.text()}`)));
        const app = new AppPage(page);
        await app.open(server.url, `v=1&preset=lenet-quick&T=2&k=0&pairs=1&alphas=2&test=20&trainEval=0&backend=${backend}`);
        await app.start();
        const done = await app.waitFor((s) => s.phase === 'done' && s.tensorsAfterRun !== null, 240_000);
        expect(done.backend?.chosen).toBe(backend);
        expect(done.points).toBe(2);
        expect(done.tensorsAfterRun).toBe(0);
        if (backend === 'wasm' || backend === 'cpu') expect(done.backend?.notices).toContain(copyWorkersNotice(await browserCopyWorkers(page)));
      } finally {
        await context.close();
      }
      expect(complaints).toEqual([]);
    });
  }
});
