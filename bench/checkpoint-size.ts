/**
 * `npx tsx bench/checkpoint-size.ts`: how much a stored run takes, for the paper's LeNet presets.
 * Runs each preset's structure (its inits, pairs, rewind steps, pruning) with T cut to 30 steps
 * and 200 test images, since sizes depend on the networks kept, not on how long they train,
 * and prints the largest checkpoint (what IndexedDB holds for an unfinished run) and the results.
 */
import type { Checkpoint } from '../src/core/experiments/checkpoint.ts';
import { PRESETS } from '../src/core/experiments/presets.ts';
import { runExperiment } from '../src/core/experiments/run.ts';
import { initNodeBackend } from '../src/node/backend.ts';
import { loadMnist } from '../src/node/mnist-files.ts';
import { storedBytes } from '../src/storage/run-store.ts';

await initNodeBackend('wasm');
const mnist = await loadMnist();
const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MB`;
for (const name of ['lenet-paper', 'lenet-imp-paper'] as const) {
  const preset = PRESETS[name];
  const config = { ...preset, trainingSteps: 30, rewindSteps: [0, 5, 10, 20, 25], pruneRounds: 2, testExamples: 200, trainExamples: 200 };
  let largest: Checkpoint | null = null;
  let largestBytes = 0;
  let count = 0;
  let resultsBytes = 0;
  for await (const event of runExperiment(config, mnist, {
    backend: 'wasm',
    checkpointEverySeconds: 0,
    onCheckpoint: (c) => {
      count += 1;
      const bytes = storedBytes(c);
      if (bytes > largestBytes) [largest, largestBytes] = [c, bytes];
    },
  })) {
    if (event.type === 'done') resultsBytes = JSON.stringify(event.results).length;
  }
  const parts = largest
    ? Object.entries(largest as Record<string, unknown>)
        .map(([k, v]) => `${k} ${mb(storedBytes(v))}`)
        .join(', ')
    : 'none';
  console.log(
    `${name} (${preset.inits} inits × ${preset.pairsPerInit} pairs, ${preset.rewindSteps.length} rewind steps${preset.experiment === 'imp' ? `, IMP` : ''}): ${count} checkpoints, largest ${mb(largestBytes)} (${parts}); results JSON ${(resultsBytes / 1024).toFixed(0)} KB at this T`,
  );
}
