/**
 * `npm run experiment -- --preset lenet-quick --out results.json`: instability analysis in
 * Node with the same core the browser worker runs.
 */
import { writeFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
import { type ExperimentEvent } from '../core/experiments/events.ts';
import { runInstabilityAnalysis } from '../core/experiments/instability.ts';
import { encodeConfig } from '../core/experiments/link.ts';
import { initNodeBackend } from '../node/backend.ts';
import { loadMnist } from '../node/mnist-files.ts';
import { UsageError, helpText, parseCliArgs } from './args.ts';

function describe(event: ExperimentEvent): string | null {
  switch (event.type) {
    case 'pair': {
      const r = event.result;
      const train = r.trainBarrier === undefined ? '' : `, train barrier ${r.trainBarrier.toFixed(2)}`;
      return `k=${r.k} init ${r.init} pair ${r.pair}: test error ${r.testErrors[0]?.toFixed(2)}% → max ${Math.max(...r.testErrors).toFixed(2)}% → ${r.testErrors.at(-1)?.toFixed(2)}%, test barrier ${r.testBarrier.toFixed(2)} points${train}`;
    }
    case 'summary': {
      const s = event.summary;
      return `k=${s.k}: instability ${s.test.mean.toFixed(2)} ± ${s.test.std.toFixed(2)} points (n=${s.test.n}) → ${s.stable ? 'stable' : 'unstable'}`;
    }
    default:
      return null;
  }
}

async function main(): Promise<void> {
  const request = parseCliArgs(process.argv.slice(2));
  if (request.help) {
    console.log(helpText());
    return;
  }
  const { config } = request.decoded;
  const { backend, notice } = await initNodeBackend(config.backend === 'cpu' ? 'cpu' : 'wasm');
  if (notice) console.error(notice);
  console.error(`backend ${backend}; link #${encodeConfig(config, request.decoded.preset)}`);
  const mnist = await loadMnist();
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  let lastLine = 0;
  for await (const event of runInstabilityAnalysis(config, mnist, { backend, signal: controller.signal, reportEveryMs: 500 })) {
    const line = describe(event);
    if (line) console.log(line);
    if (event.type === 'progress' && performance.now() - lastLine > 5000) {
      lastLine = performance.now();
      const eta = event.etaSeconds === null ? '?' : `${Math.round(event.etaSeconds)} s`;
      console.error(`  ${(event.fractionDone * 100).toFixed(1)}% ${event.phase} k=${event.k} step ${event.step ?? '-'} loss ${event.loss?.toFixed(4) ?? '-'} · ${event.elapsedSeconds.toFixed(0)} s elapsed, ETA ${eta}`);
    }
    if (event.type === 'done') {
      const r = event.results;
      const t = r.timing;
      console.error(
        `finished ${r.pairs.length} pairs in ${r.durationSeconds.toFixed(1)} s on ${backend}: training ${Math.round(t.trainingExamples / t.trainingSeconds)} examples/s, ` +
          `evaluation ${Math.round(t.evaluatedExamples / t.evaluationSeconds)} examples/s`,
      );
      if (request.out) {
        await writeFile(request.out, `${JSON.stringify(r, null, 2)}\n`);
        console.error(`results written to ${request.out}`);
      }
    }
  }
  if (tf.memory().numTensors !== 0) console.error(`warning: ${tf.memory().numTensors} tensors still allocated`);
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`${error.message}\n\n${helpText()}`);
    process.exit(2);
  }
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
