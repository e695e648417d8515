import { type ParamMap, cloneParams, disposeParams } from '../models/params.ts';
import { type TraineeSnapshot, restoreTrainee, snapshotTrainee } from '../train/snapshot.ts';
import { type ExperimentConfig, sortedRewindSteps } from './config.ts';
import type { ExperimentEvent } from './events.ts';
import { totalWork } from './work.ts';
import { type InstabilityResults } from './results.ts';
import { type KSummary, type PairKey, type PairResult, pairId } from '../records.ts';
import { startRun } from './checkpointing.ts';
import { runPair } from './pair.ts';
import type { ExperimentData, RunOptions } from './run-context.ts';
import { summarizePairs } from './summaries.ts';
import { createTrunk } from './trainees.ts';

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
  const { ctx, checkpoints } = startRun(config, data, options, (perEvaluation) => totalWork(config, perEvaluation));
  const origins: ParamMap[] = [];
  try {
    const resume = options.resume?.experiment === 'instability' ? options.resume : null;
    const sofar = { accuracies: [], pairs: [] as PairResult[], summaries: [] as KSummary[] };
    const { pairs, summaries } = sofar;
    yield* checkpoints.replay(sofar);
    const trunks = Array.from({ length: config.inits }, (_, init) => ctx.own(createTrunk(config, ctx.model, data.train.count, init)));
    for (const t of trunks) origins.push(cloneParams(t.params));
    if (resume) {
      // Origins are the seeded initial weights; the trunks continue from where they were stored.
      for (const [init, snapshot] of resume.trunks.entries()) {
        const old = trunks[init];
        if (old) ctx.free(old);
        trunks[init] = ctx.own(restoreTrainee(snapshot, null));
      }
    }
    const state = async () => ({ experiment: 'instability' as const, trunks: await Promise.all(trunks.map((t) => snapshotTrainee(t))) });
    const checkpoint = async (): Promise<void> => checkpoints.save(await state());
    // Checkpoints also fall inside a pair's training, holding the copies besides the trunks.
    const inPair = (key: PairKey) =>
      checkpoints.enabled
        ? {
            key,
            everySeconds: options.checkpointEverySeconds ?? 30,
            save: async (at: PairKey, copies: readonly TraineeSnapshot[]) => checkpoints.save({ ...(await state()), inPair: { key: at, copies } }),
          }
        : null;
    const finished = new Map(pairs.map((p) => [pairId(p), p]));
    for (const k of sortedRewindSteps(config)) {
      if (summaries.some((s) => s.k === k)) continue;
      const atK: PairResult[] = [];
      for (const [init, trunk] of trunks.entries()) {
        yield* ctx.train(trunk, k, 'trunk', { k, init });
        for (let pair = 0; pair < config.pairsPerInit; pair++) {
          const key = { kind: 'dense', level: 0, k, init, pair } as const;
          const stored = finished.get(pairId(key));
          if (stored) {
            atK.push(stored);
            continue;
          }
          const origin = origins[init] ?? trunk.params;
          const result = yield* runPair(ctx, trunk, key, { density: 1, mask: null, origin, keepOptimizer: config.optimizerAtCopy === 'copy' }, inPair(key));
          atK.push(result);
          pairs.push(result);
          yield checkpoints.result({ type: 'pair', result });
          await checkpoint();
        }
      }
      const summary = summarizePairs(atK, ctx.trainSet !== null);
      summaries.push(summary);
      yield checkpoints.result({ type: 'summary', summary });
      await checkpoint();
    }
    const results: InstabilityResults = { format: 'lmc-lab/instability', ...ctx.resultsBase(pairs, summaries) };
    yield { type: 'done', results };
    return results;
  } finally {
    for (const o of origins) disposeParams(o);
    ctx.dispose();
  }
}
