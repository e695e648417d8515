import { build } from 'esbuild';
import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './browser.ts';

/** e2e/kernel-check-page.ts bundled for the browser, TensorFlow.js included. */
async function checkScript(): Promise<string> {
  const out = await build({ entryPoints: ['e2e/kernel-check-page.ts'], bundle: true, format: 'iife', platform: 'browser', write: false, logLevel: 'warning' });
  return out.outputFiles[0]?.text ?? '';
}

/**
 * Opens e2e/kernel-check-page.ts in headless Chromium with WebGPU (SwiftShader where there is no
 * GPU), on a page of its own at http://localhost (a secure context, so navigator.gpu exists,
 * served by the browser's request interception: no server and nothing of the app), and runs
 * `body` with it. `problems` collects page errors and the console's errors and warnings: WebGPU
 * reports a shader that does not compile, or a pipeline it made invalid, there, not by throwing.
 */
export async function withKernelPage<T>(body: (page: Page, problems: readonly string[]) => Promise<T>): Promise<T> {
  const script = await checkScript();
  const context: BrowserContext = await launchBrowser({ webgpu: true, testHook: false });
  try {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    await page.route('http://localhost/kernel-check.html', (route) =>
      route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>kernel check</title>' }),
    );
    await page.goto('http://localhost/kernel-check.html');
    await page.addScriptTag({ content: script });
    return await body(page, problems);
  } finally {
    await context.close();
  }
}
