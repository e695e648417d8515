import { type ParamMap, cloneParams, disposeParams } from '../models/params.ts';
import { type TraineeSnapshot, restoreTrainee, snapshotTrainee } from '../train/snapshot.ts';
import { type ExperimentConfig, sortedRewindSteps } from './config.ts';
import type { ExperimentEvent } from './events.ts';
import { totalWork } from './work.ts';
import { type InstabilityResults } from './results.ts';
import { type KSummary, type PairResult, pairId } from '../records.ts';
import { startRun } from './checkpointing.ts';
import { pairsAtOnce, runPairs } from './pair.ts';
import type { PairCopies } from './copy-training.ts';
import type { Trainee } from '../train/trainer.ts';
import type { ExperimentData, RunOptions } from './run-context.ts';
import { summarizePairs } from './summaries.ts';
import { createTrunk } from './trainees.ts';

/**
 * Instability analysis of the dense network (paper Algorithm 1, section 3) over every rewind
 * step k, initialisation and pair: train a trunk to k, copy it twice, train the copies to T on
 * different data orders, evaluate error along the linear path between them, report the
 * barrier. With `copyStart` two-inits, copy 2 is a copy of the next initialisation's trunk.
 * Trunks advance k by k so the first curve appears as early as possible. Every tensor is freed
 * when the generator finishes, throws, is cancelled through `signal`, or is closed.
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
    // Checkpoints also fall inside the pairs' training, holding the copies besides the trunks.
    const inPairs = checkpoints.enabled
      ? {
          everySeconds: options.checkpointEverySeconds ?? 30,
          save: async (copies: readonly PairCopies<TraineeSnapshot>[]) => checkpoints.save({ ...(await state()), inPairs: copies }),
        }
      : null;
    const finished = new Map(pairs.map((p) => [pairId(p), p]));
    // Copy 2 of a pair of init i starts from init i + 1's trunk when the copies come from two initialisations.
    const secondInit = (init: number) => (config.copyStart === 'two-inits' ? (init + 1) % config.inits : init);
    const batchSize = pairsAtOnce(ctx);
    for (const k of sortedRewindSteps(config)) {
      if (summaries.some((s) => s.k === k)) continue;
      const keys = trunks.flatMap((_, init) => Array.from({ length: config.pairsPerInit }, (_, pair) => ({ kind: 'dense', level: 0, k, init, pair }) as const));
      const waiting = keys.filter((key) => !finished.has(pairId(key)));
      for (let i = 0; i < waiting.length; i += batchSize) {
        const batch = waiting.slice(i, i + batchSize);
        // Each trunk reaches k just before its first pair at k, so the first curve comes early.
        for (const init of new Set(batch.flatMap((key) => [key.init, secondInit(key.init)])))
          yield* ctx.train(trunks[init] as Trainee, k, 'trunk', { k, init });
        const plans = batch.map((key) => ({
          start: trunks[key.init] as Trainee,
          ...(config.copyStart === 'two-inits'
            ? {
                second: {
                  start: trunks[secondInit(key.init)] as Trainee,
                  origin: origins[secondInit(key.init)] ?? (trunks[secondInit(key.init)] as Trainee).params,
                },
              }
            : {}),
          key,
          setup: {
            density: 1,
            mask: null,
            origin: origins[key.init] ?? (trunks[key.init] as Trainee).params,
            keepOptimizer: config.optimizerAtCopy === 'copy',
          },
        }));
        for (const result of yield* runPairs(ctx, plans, inPairs)) {
          pairs.push(result);
          finished.set(pairId(result), result);
          yield checkpoints.result({ type: 'pair', result });
          await checkpoint();
        }
      }
      // Trunks with every pair at k already finished still move on to k.
      for (const [init, trunk] of trunks.entries()) yield* ctx.train(trunk, k, 'trunk', { k, init });
      const atK = keys.map((key) => finished.get(pairId(key)) as PairResult);
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
