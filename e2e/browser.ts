import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import { TEST_HOOK_FLAG } from '../src/ui/test-hook.ts';
import { MAX_BROWSER_COPY_WORKERS } from '../src/worker/copy-workers.ts';

/** The Chromium binary the tests drive: $CHROMIUM_PATH or Debian's /usr/bin/chromium. */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

/** Flags for a quiet headless Chromium on a machine with no network beyond loopback. */
const BASE_ARGS = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Launches headless Chromium in a fresh profile. `webgpu` adds `--enable-unsafe-webgpu`
 * (SwiftShader's software adapter here; the real GPU where there is one). The app's test hook
 * is asked for unless `testHook` is false (to see the page as users get it). The profile
 * (about 200 MB once WebGPU's caches are written) is deleted when the context closes, so that
 * repeated runs do not fill the disk.
 */
export async function launchBrowser(options: { webgpu: boolean; testHook?: boolean }): Promise<BrowserContext> {
  const profile = mkdtempSync(join(tmpdir(), 'lmc-e2e-'));
  // Best effort: a profile that cannot be removed must not fail the test that used it.
  const removeProfile = () => rm(profile, { recursive: true, force: true, maxRetries: 5 }).catch(() => undefined);
  let context: BrowserContext | null = null;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath(),
      headless: true,
      args: [...BASE_ARGS, ...(options.webgpu ? ['--enable-unsafe-webgpu'] : [])],
      viewport: { width: 1280, height: 1000 },
    });
    // The app exposes its state (window.__lmc) only to a driver that asks before it loads.
    if (options.testHook !== false) await context.addInitScript(`window.${TEST_HOOK_FLAG} = true;`);
  } catch (error) {
    await context?.close().catch(() => undefined);
    await removeProfile();
    throw error;
  }
  // Deleted after close() has shut Chromium down ('close' events fire while it still writes).
  const close = context.close.bind(context);
  context.close = async (closeOptions) => {
    try {
      await close(closeOptions);
    } finally {
      await removeProfile();
    }
  };
  return context;
}

/** How many copy workers the app starts in `page`'s browser for a LeNet run on a CPU backend: one per core, up to its cap. */
export async function browserCopyWorkers(page: Page): Promise<number> {
  return Math.min(await page.evaluate(() => navigator.hardwareConcurrency || 1), MAX_BROWSER_COPY_WORKERS['lenet-300-100']);
}
