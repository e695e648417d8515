/**
 * What GPU headless Chromium gets, as the benchmark launches it (e2e/browser.ts, $CHROMIUM_PATH):
 * the WebGPU adapter (vendor, architecture, description, fallback or not) and the WebGL
 * renderer, so a browser benchmark on a GPU machine can show it did not run on SwiftShader.
 * Usage: CHROMIUM_PATH=$PWD/bench/gpu/chromium-gpu.sh tsx bench/gpu/browser-gpu-info.ts [out.json]
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { launchBrowser } from '../../e2e/browser.ts';

// WebGPU needs a secure context: an empty page served on loopback.
const server = createServer((_, res) => res.end('<!doctype html><title>gpu</title>'));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const context = await launchBrowser({ webgpu: true });
try {
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  const info = await page.evaluate(async () => {
    const gpu = (
      navigator as unknown as { gpu?: { requestAdapter(o?: object): Promise<{ info?: Record<string, unknown>; isFallbackAdapter?: boolean } | null> } }
    ).gpu;
    const adapter = gpu ? await gpu.requestAdapter({ powerPreference: 'high-performance' }).catch((e: unknown) => String(e)) : 'navigator.gpu is missing';
    const webgpu =
      adapter && typeof adapter === 'object'
        ? {
            vendor: adapter.info?.vendor,
            architecture: adapter.info?.architecture,
            description: adapter.info?.description,
            isFallbackAdapter: adapter.info?.isFallbackAdapter ?? adapter.isFallbackAdapter,
          }
        : { none: adapter ?? 'no adapter granted' };
    const gl = document.createElement('canvas').getContext('webgl2');
    const ext = gl?.getExtension('WEBGL_debug_renderer_info');
    const webgl = gl ? String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER)) : 'WebGL2 unavailable';
    return { userAgent: navigator.userAgent, webgpu, webgl };
  });
  console.log(JSON.stringify(info));
  if (process.argv[2]) writeFileSync(process.argv[2], `${JSON.stringify(info, null, 2)}\n`);
} finally {
  await context.close();
  server.close();
}
