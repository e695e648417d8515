import { type ParamMap, cloneParams, disposeParams } from '../models/params.ts';
import { restoreTrainee, snapshotTrainee } from '../train/snapshot.ts';
import { type ExperimentConfig, sortedRewindSteps } from './config.ts';
import type { ExperimentEvent } from './events.ts';
import { EVAL_COST } from './progress.ts';
import { type InstabilityResults } from './results.ts';
import { type KSummary, type PairResult, pairId } from '../records.ts';
import { type ExperimentData, ExperimentRunner, type RunOptions } from './runner.ts';
import { copyEndStep, createTrunk } from './trainees.ts';

function totalWork(config: ExperimentConfig, perEvaluation: number): number {
  const ks = sortedRewindSteps(config);
  const trunk = config.inits * Math.max(...ks);
  const pairs = config.inits * config.pairsPerInit;
  const copies = ks.reduce((n, k) => n + 2 * pairs * (copyEndStep(config, k) - k), 0);
  return (trunk + copies) * config.batchSize + ks.length * pairs * config.alphas * perEvaluation * EVAL_COST;
}

/**
 * Instability analysis of the dense network (paper Algorithm 1, section 3) over every rewind
 * step k, initialisation and pair: train a trunk to k, copy it twice, train the copies to T on
 * different data orders, evaluate error along the linear path between them, report the
 * barrier. Trunks advance k by k so the first curve appears as early as possible. Every tensor
 * is freed when the generator finishes, throws, is cancelled through `signal`, or is closed.
 */
export async function* runInstabilityAnalysis(
  config: ExperimentConfig,
  data: ExperimentData,
  options: RunOptions,
): AsyncGenerator<ExperimentEvent, InstabilityResults> {
  const runner = new ExperimentRunner(config, data, options, (perEvaluation) => totalWork(config, perEvaluation));
  const origins: ParamMap[] = [];
  try {
    const resume = options.resume?.experiment === 'instability' ? options.resume : null;
    const pairs: PairResult[] = [];
    const summaries: KSummary[] = [];
    for (const event of runner.resumedEvents) {
      if (event.type === 'pair') pairs.push(event.result);
      if (event.type === 'summary') summaries.push(event.summary);
      yield runner.result(event);
    }
    const trunks = Array.from({ length: config.inits }, (_, init) => runner.own(createTrunk(config, runner.model, data.train.count, init)));
    for (const t of trunks) origins.push(cloneParams(t.params));
    if (resume) {
      // Origins are the seeded initial weights; the trunks continue from where they were stored.
      for (const [init, snapshot] of resume.trunks.entries()) {
        const old = trunks[init];
        if (old) runner.free(old);
        trunks[init] = runner.own(restoreTrainee(snapshot, null));
      }
    }
    const state = async () => ({ experiment: 'instability' as const, trunks: await Promise.all(trunks.map((t) => snapshotTrainee(t))) });
    runner.midPairState = state;
    const checkpoint = async (): Promise<void> => runner.checkpoint(await state());
    const finished = new Map(pairs.map((p) => [pairId(p), p]));
    for (const k of sortedRewindSteps(config)) {
      if (summaries.some((s) => s.k === k)) continue;
      const atK: PairResult[] = [];
      for (const [init, trunk] of trunks.entries()) {
        yield* runner.train(trunk, k, 'trunk', { k, init });
        for (let pair = 0; pair < config.pairsPerInit; pair++) {
          const key = { kind: 'dense', level: 0, k, init, pair } as const;
          const stored = finished.get(pairId(key));
          if (stored) {
            atK.push(stored);
            continue;
          }
          const origin = origins[init] ?? trunk.params;
          const result = yield* runner.runPair(trunk, key, { density: 1, mask: null, origin, keepOptimizer: config.optimizerAtCopy === 'copy' });
          atK.push(result);
          pairs.push(result);
          yield runner.result({ type: 'pair', result });
          await checkpoint();
        }
      }
      const summary = runner.summarize(atK);
      summaries.push(summary);
      yield runner.result({ type: 'summary', summary });
      await checkpoint();
    }
    const results: InstabilityResults = { format: 'lmc-lab/instability', ...runner.resultsBase(pairs, summaries) };
    yield { type: 'done', results };
    return results;
  } finally {
    for (const o of origins) disposeParams(o);
    runner.dispose();
  }
}
