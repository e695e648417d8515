import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { KernelCheck } from './kernel-check-page.ts';
import { launchBrowser } from './browser.ts';
import { startPreview } from './server.ts';

let server: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  server = await startPreview();
});

afterAll(async () => {
  await server?.close();
});

/** e2e/kernel-check-page.ts bundled for the browser, TensorFlow.js included. */
async function checkScript(): Promise<string> {
  const out = await build({ entryPoints: ['e2e/kernel-check-page.ts'], bundle: true, format: 'iife', platform: 'browser', write: false, logLevel: 'warning' });
  return out.outputFiles[0]?.text ?? '';
}

describe('our WebGPU kernels on Chromium’s WebGPU (SwiftShader here)', () => {
  test('im2col, the fused optimiser updates, fused BatchNorm and every way of computing convolution gradients match the cpu backend', async () => {
    const script = await checkScript();
    const context = await launchBrowser({ webgpu: true, testHook: false });
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      // WebGPU reports a shader that does not compile, or a pipeline it made invalid, on the console, not by throwing.
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
      });
      // A page of the served origin (a secure context, so navigator.gpu exists) with nothing of the app on it.
      await page.route('**/kernel-check.html', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>kernel check</title>' }));
      await page.goto(new URL('kernel-check.html', server.url).href);
      await page.addScriptTag({ content: script });
      const result = await page.evaluate(() => (globalThis as unknown as { kernelCheck: () => Promise<KernelCheck> }).kernelCheck());
      console.log('kernel check', JSON.stringify(result));
      expect(errors).toEqual([]);
      expect(result.adapter).not.toBeNull();
      expect(result.fused).toBe(true);
      expect(Object.keys(result.maxAbsDiff).sort()).toEqual(
        [
          'adam',
          'adamWeightDecay',
          'batchNorm',
          'im2col',
          'resnet20 asConvolutions',
          'resnet20 matmulFilter',
          'resnet20 matmulFilterNativeInput',
          'resnet20 nativeBoth',
          'sgd',
        ].sort(),
      );
      // One SGD update: the momentum buffer and the step, one kernel each; Adam: two moments and the step.
      expect(result.updateKernels.sgd.filter((k) => k.startsWith('Lmc'))).toEqual(['LmcSgdMomentum', 'LmcDescent']);
      expect(result.updateKernels.adam.filter((k) => k.startsWith('Lmc'))).toEqual(['LmcAdamFirst', 'LmcAdamSecond', 'LmcAdamStep']);
      // BatchNorm: mean, variance and normalisation forward; both gradient sums, then the input gradient.
      expect(result.updateKernels.batchNorm.filter((k) => k.startsWith('Lmc'))).toEqual([
        'LmcChannelMean',
        'LmcChannelVariance',
        'LmcBatchNormalize',
        'LmcBatchNormGradientSums',
        'LmcBatchNormInputGradient',
      ]);
      // The patch matrix is a copy: exactly equal.
      expect(result.maxAbsDiff.im2col).toBe(0);
      for (const [name, diff] of Object.entries(result.maxAbsDiff)) expect(diff, name).toBeLessThan(1e-4);
      expect(Object.values(result.leakedOnWebgpu)).toEqual(Object.keys(result.maxAbsDiff).map(() => 0));
    } finally {
      await context.close();
    }
  });
});
