/**
 * `npm run bench:dispatches`: the compute dispatches of one training step on WebGPU in headless
 * Chromium (SwiftShader where there is no GPU: the count does not depend on the adapter's speed),
 * with this round's kernels and without them (both convolution gradients as convolutions,
 * TensorFlow.js ops for BatchNorm and the optimisers), for LeNet-300-100 (batch 60, Adam) and
 * ResNet-20 (width 2, batch 8, SGD: small, so SwiftShader runs it quickly), and a pair's step
 * with its two copies side by side (src/core/train/side-by-side.ts). Writes
 * bench-dispatches.json. bench/gpu/profile-step.ts counts them at full size on a real GPU.
 */
import { writeFile } from 'node:fs/promises';
import type { DispatchCounts } from '../e2e/kernel-check-page.ts';
import { withKernelPage } from '../e2e/kernel-page.ts';

const { counts, kernels } = await withKernelPage(async (page, problems) => {
  const result = await page.evaluate(() => (globalThis as unknown as { dispatchCounts: () => Promise<DispatchCounts> }).dispatchCounts());
  const perKernel = await page.evaluate(() => (globalThis as unknown as { resnetKernelCounts: () => Promise<[string, number][]> }).resnetKernelCounts());
  if (problems.length > 0) throw new Error(`the page reported: ${problems.join('; ')}`);
  return { counts: result, kernels: perKernel };
});
if (counts.adapter === null) throw new Error('this Chromium has no WebGPU adapter');
console.log(
  `\nWebGPU adapter: ${counts.adapter}\nmodel | dispatches per step, before | ours | ours ÷ before | a pair's step apart, before | side by side | side by side ÷ apart before`,
);
for (const [name, c] of [
  ['LeNet-300-100, batch 60, Adam', counts.lenet],
  ['ResNet-20 width 2, batch 8, SGD', counts.resnet20],
] as const)
  console.log(
    `${name} | ${c.before} | ${c.ours} | ${(c.ours / c.before).toFixed(2)} | ${2 * c.before} | ${c.pairSideBySide} | ${(c.pairSideBySide / (2 * c.before)).toFixed(2)}`,
  );
console.log(`\nOne ResNet-20 step (width 2, batch 8), TensorFlow.js kernels by name: ${kernels.map(([name, n]) => `${name} ${n}`).join(', ')}`);
await writeFile(
  'bench-dispatches.json',
  `${JSON.stringify({ date: new Date().toISOString(), ...counts, resnet20KernelsPerStep: Object.fromEntries(kernels) }, null, 2)}\n`,
);
console.log('\nwritten to bench-dispatches.json');
