import { errorBarrier } from '../core/analysis/barrier.ts';
/**
 * `npm run experiment -- --preset lenet-quick --out results.json`: instability analysis in
 * Node with the same core the browser worker runs.
 */
import * as tf from '@tensorflow/tfjs';
import { type ExperimentEvent } from '../core/experiments/events.ts';
import { runExperiment } from '../core/experiments/run.ts';
import { encodeConfig } from '../core/experiments/link.ts';
import { initNodeBackend } from '../node/backend.ts';
import { startNodeCopyWorkers } from '../node/copy-workers.ts';
import { copyWorkersNotice } from '../core/experiments/pair.ts';
import { loadExperimentData } from '../node/datasets.ts';
import { checkOutputPath, writeOutputFile } from '../node/output-file.ts';
import { UsageError, helpText, parseCliArgs } from './args.ts';

const pct = (v: number): string => `${v.toFixed(2)}%`;

function subnet(kind: string, level: number, density: number): string {
  return kind === 'dense' ? 'dense' : `${kind} level ${level} (${pct(100 * density)} weights)`;
}

function describe(event: ExperimentEvent): string | null {
  switch (event.type) {
    case 'accuracy': {
      const a = event.result;
      return `${subnet(a.kind, a.level, a.density)} k=${a.k} init ${a.init}: test error ${pct(a.testError)}${a.trainError === undefined ? '' : `, train error ${pct(a.trainError)}`}`;
    }
    case 'pair': {
      const r = event.result;
      const train = r.trainBarrier === undefined ? '' : `, train barrier ${r.trainBarrier.toFixed(2)}`;
      const path = `${pct(r.testErrors[0] ?? Number.NaN)} → max ${pct(Math.max(...r.testErrors))} → ${pct(r.testErrors.at(-1) ?? Number.NaN)}`;
      const distances = `L2 distance ${r.distances.l2.toFixed(2)}, ${r.distances.classifiedDifferently} test examples classified differently`;
      const plane = r.plane
        ? `; error plane (${r.plane.grid} points per side): ${pct(r.plane.testErrors[0] ?? Number.NaN)} at the network at k, from ${pct(Math.min(...r.plane.testErrors))} to ${pct(Math.max(...r.plane.testErrors))}`
        : '';
      const moved = r.aligned?.moved !== undefined ? ` (${r.aligned.moved} of ${r.aligned.units ?? 0} units moved)` : '';
      const aligned = r.aligned ? `; aligned test barrier ${errorBarrier(r.aligned.testErrors).toFixed(2)} points${moved}` : '';
      return `${subnet(r.kind, r.level, r.density)} k=${r.k} init ${r.init} pair ${r.pair}: test error ${path}, test barrier ${r.testBarrier.toFixed(2)} points${train}${aligned}; ${distances}${plane}`;
    }
    case 'trace':
      return `${event.kind === 'dense' ? 'dense' : `${event.kind} level ${event.level}`} k=${event.k} init ${event.init} pair ${event.pair} at step ${event.step}: test barrier ${event.testBarrier.toFixed(2)} points${event.trainBarrier === undefined ? '' : `, train barrier ${event.trainBarrier.toFixed(2)}`}`;
    case 'summary': {
      const s = event.summary;
      return `${subnet(s.kind, s.level, s.density)} k=${s.k}: instability ${s.test.mean.toFixed(2)} ± ${s.test.std.toFixed(2)} points (n=${s.test.n}) → ${s.stable ? 'stable' : 'unstable'}`;
    }
    case 'done': {
      const r = event.results;
      if (r.format !== 'lmc-lab/imp') return null;
      const acc = (v: number | null): string => (v === null ? '—' : v.toFixed(1));
      const rows = r.table.map((t) => {
        const accuracies = [acc(t.full).padStart(5), acc(t.imp).padStart(5), acc(t.randomPrune).padStart(11), acc(t.randomReinit).padStart(12)].join(' ');
        return `${pct(100 * t.density).padStart(7)} k=${String(t.k).padEnd(5)} ${accuracies} ${t.delta.toFixed(1).padStart(5)}  ${t.matching ? 'Y' : 'N'}`;
      });
      const extreme = r.extremeMatchingDensity === null ? 'none' : pct(100 * r.extremeMatchingDensity);
      return [
        'Table 2 (test accuracy %, mean over inits):',
        ' density  k      full   IMP  rand-prune rand-reinit     Δ  matching?',
        ...rows,
        `Most extreme matching density (Appendix A): ${extreme}`,
      ].join('\n');
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
  // A results file that cannot be written is found now, not after hours of training.
  if (request.out) await checkOutputPath(request.out);
  const { backend, notice } = await initNodeBackend(config.backend === 'cpu' ? 'cpu' : 'wasm');
  if (notice) console.error(notice);
  console.error(`backend ${backend}; link #${encodeConfig(config, request.decoded.preset)}`);
  const data = await loadExperimentData(config);
  const copyTrainer = await startNodeCopyWorkers({ backend, model: config.model, width: config.width, train: data.train }, request.workers ?? undefined);
  console.error(copyTrainer ? `${copyWorkersNotice(copyTrainer.parallelism)} (worker threads)` : 'the copies of each pair train one after the other');
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  let left: number;
  try {
    await report(
      runExperiment(config, data, { backend, signal: controller.signal, reportEveryMs: 500, copyTrainer: copyTrainer ?? undefined }),
      backend,
      request.out,
    );
  } finally {
    left = copyTrainer?.tensorsLeft() ?? 0;
    copyTrainer?.close();
  }
  left += tf.memory().numTensors;
  if (left !== 0) console.error(`warning: ${left} tensors still allocated (worker threads included)`);
}

/** Prints each result line and progress every 5 s, and writes the results file at the end. */
async function report(events: AsyncIterable<ExperimentEvent>, backend: string, out: string | null): Promise<void> {
  let lastLine = 0;
  for await (const event of events) {
    const line = describe(event);
    if (line) console.log(line);
    if (event.type === 'progress' && performance.now() - lastLine > 5000) {
      lastLine = performance.now();
      const eta = event.etaSeconds === null ? '?' : `${Math.round(event.etaSeconds)} s`;
      console.error(
        `  ${(event.fractionDone * 100).toFixed(1)}% ${event.phase} k=${event.k} step ${event.step ?? '-'} loss ${event.loss?.toFixed(4) ?? '-'} · ${event.elapsedSeconds.toFixed(0)} s elapsed, ETA ${eta}`,
      );
    }
    if (event.type === 'done') {
      const r = event.results;
      const t = r.timing;
      console.error(
        `finished ${r.pairs.length} pairs in ${r.durationSeconds.toFixed(1)} s on ${backend}: training ${Math.round(t.trainingExamples / t.trainingSeconds)} examples/s, ` +
          `evaluation ${Math.round(t.evaluatedExamples / t.evaluationSeconds)} examples/s`,
      );
      if (out) {
        console.error(`results written to ${await writeOutputFile(out, `${JSON.stringify(r, null, 2)}\n`)}`);
      }
    }
  }
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`${error.message}\n\n${helpText()}`);
    process.exit(2);
  }
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
