import { extremeMatchingDensity, figure9Rows, table2Rows } from '../analysis/verdicts.ts';
import { type ParamMap, cloneParams, disposeParams, initParams } from '../models/params.ts';
import { pruneGlobalMagnitude, randomMaskLike } from '../prune/magnitude.ts';
import { type HostMask, type Mask, disposeMask, fullHostMask, maskDensity, readPrunable, uploadMask } from '../prune/mask.ts';
import { deriveSeed } from '../rng.ts';
import { type TraineeSnapshot, restoreTrainee, snapshotTrainee } from '../train/snapshot.ts';
import { type ExperimentConfig, analysedKinds, sortedRewindSteps } from './config.ts';
import type { DenseRun, ImpCheckpoint } from './checkpoint.ts';
import type { ExperimentEvent } from './events.ts';
import { totalWork } from './work.ts';
import type { ImpResults } from './results.ts';
import type { KSummary, PairResult, SubnetKind, TrainedAccuracy } from '../records.ts';
import { startRun } from './checkpointing.ts';
import { pairsAtOnce, runPairs } from './pair.ts';
import { trainTogether } from './copy-training.ts';
import type { Trainee } from '../train/trainer.ts';
import type { ExperimentData, RunOptions } from './run-context.ts';
import { summarizePairs } from './summaries.ts';
import { type StartPoint, createTrunk, startTrainee, trunkNoiseSeed } from './trainees.ts';

/** What one initialisation keeps between levels for one rewind step. */
interface Lineage {
  /** W_k (and the optimiser at k when `optimizerAtRewind` is `copy`). */
  readonly start: StartPoint;
  /** The current IMP mask. */
  mask: HostMask;
  /** Prunable weights of the last IMP network trained here (the dense W_T at level 0). */
  lastTrained: ReadonlyMap<string, Float32Array>;
}

/**
 * IMP with rewinding (paper Algorithm 2) and its baselines. One dense run per initialisation
 * to T provides W_k for every rewind step k and the full network's accuracy. Then, level by
 * level, for every k: prune (iteratively from the last IMP network trained from W_k, or
 * one-shot from the dense W_T), train the IMP subnetwork m ⊙ W_k from k to T, and beside it the
 * random-pruning (same per-layer counts) and random-reinitialisation (same mask, fresh init)
 * baselines; then instability analysis of the chosen subnetworks. Accuracies and pairs stream
 * as they finish; Table 2, Figure 9 and Appendix A's choice close the run. Every tensor is
 * freed however the run ends.
 */
export async function* runImp(config: ExperimentConfig, data: ExperimentData, options: RunOptions): AsyncGenerator<ExperimentEvent, ImpResults> {
  const { ctx, checkpoints } = startRun(config, data, options, (perEvaluation) => totalWork(config, perEvaluation));
  const { model } = ctx;
  const ks = sortedRewindSteps(config);
  const T = config.trainingSteps;
  const outputLayer = model.outputLayer;
  const owned: { params: ParamMap[]; masks: Mask[]; starts: StartPoint[] } = { params: [], masks: [], starts: [] };
  const keepParams = <P extends ParamMap>(p: P): P => (owned.params.push(p), p);
  const keepMask = (m: Mask): Mask => (owned.masks.push(m), m);
  const keepOptimizer = config.optimizerAtRewind === 'copy';
  try {
    const resume = options.resume?.experiment === 'imp' ? options.resume : null;
    const sofar = { accuracies: [] as TrainedAccuracy[], pairs: [] as PairResult[], summaries: [] as KSummary[] };
    const { accuracies, pairs, summaries } = sofar;
    yield* checkpoints.replay(sofar);
    const origins: ParamMap[] = [];
    const dense: DenseRun[] = [...(resume?.dense ?? [])];
    const lineages = new Map<string, Lineage>();
    const full = fullHostMask(model.specs);
    /** W_k as a start point (with the optimiser at k when it is kept), owned by this run. */
    const startFrom = (snapshot: TraineeSnapshot): StartPoint => {
      const t = restoreTrainee(snapshot, null);
      const start: StartPoint = { params: keepParams(t.params), optimizer: keepOptimizer ? t.optimizer : null, step: snapshot.step };
      if (!keepOptimizer) t.optimizer.dispose();
      owned.starts.push(start);
      return start;
    };
    const checkpoint = (next: ImpCheckpoint['next']): Promise<void> =>
      checkpoints.save({
        experiment: 'imp',
        dense,
        lineages: new Map([...lineages].map(([key, l]) => [key, { mask: l.mask, lastTrained: l.lastTrained }])),
        next,
      });

    for (let init = 0; init < config.inits; init++) {
      const trunk = ctx.own(createTrunk(config, model, data.train.count, init));
      origins.push(keepParams(cloneParams(trunk.params)));
      if (init < dense.length) {
        ctx.free(trunk);
        continue;
      }
      const startSnapshots: TraineeSnapshot[] = [];
      for (const k of ks) {
        yield* ctx.train(trunk, k, 'trunk', { k, init });
        startSnapshots.push(await snapshotTrainee(trunk, { optimizer: keepOptimizer }));
      }
      yield* ctx.train(trunk, T, 'trunk', { k: T, init });
      const result: TrainedAccuracy = { kind: 'dense', level: 0, density: 1, k: 0, init, ...(await ctx.evaluate(trunk.params)) };
      accuracies.push(result);
      yield checkpoints.result({ type: 'accuracy', result });
      dense.push({ starts: startSnapshots, weights: await readPrunable(trunk.params, full) });
      ctx.free(trunk);
      if (init < config.inits - 1) await checkpoint({ level: 1, kIndex: 0, init: 0 });
    }
    for (const [init, run] of dense.entries()) {
      for (const [kIndex, k] of ks.entries()) {
        const snapshot = run.starts[kIndex];
        if (!snapshot) throw new Error(`no W_k stored for init ${init} at k = ${k}`);
        const start = startFrom(snapshot);
        const stored = resume?.lineages.get(`${init}/${k}`);
        lineages.set(`${init}/${k}`, { start, mask: stored?.mask ?? full, lastTrained: stored?.lastTrained ?? run.weights });
      }
    }
    const from = resume?.lineages.size ? resume.next : { level: 1, kIndex: 0, init: 0 };
    if (!resume?.lineages.size) await checkpoint(from);

    const pruneOptions = { outputLayer, outputRule: config.pruneOutput };
    for (let level = from.level; level <= config.pruneRounds; level++) {
      for (const [kIndex, k] of ks.entries()) {
        if (level === from.level && kIndex < from.kIndex) continue;
        const pairsByKind = new Map<SubnetKind, PairResult[]>();
        for (const p of pairs) if (p.level === level && p.k === k) pairsByKind.set(p.kind, [...(pairsByKind.get(p.kind) ?? []), p]);
        for (let init = 0; init < config.inits; init++) {
          if (level === from.level && kIndex === from.kIndex && init < from.init) continue;
          const lineage = lineages.get(`${init}/${k}`);
          if (!lineage) throw new Error(`no lineage for init ${init} at k = ${k}`);
          lineage.mask =
            config.pruneStrategy === 'iterative'
              ? pruneGlobalMagnitude(lineage.mask, lineage.lastTrained, { ...pruneOptions, fraction: config.pruneFraction })
              : pruneGlobalMagnitude(full, dense[init]?.weights ?? lineage.lastTrained, { ...pruneOptions, fraction: 1 - (1 - config.pruneFraction) ** level });
          const density = maskDensity(lineage.mask);
          const origin = origins[init] ?? lineage.start.params;
          const setups = new Map<SubnetKind, { start: StartPoint; mask: Mask; origin: ParamMap }>();
          const impMask = keepMask(uploadMask(lineage.mask, model.specs));
          setups.set('imp', { start: lineage.start, mask: impMask, origin });
          if (config.randomPrune) {
            const randomMask = keepMask(uploadMask(randomMaskLike(lineage.mask, deriveSeed(config.initSeed, 'random-prune', init, k, level)), model.specs));
            setups.set('random-prune', { start: lineage.start, mask: randomMask, origin });
          }
          if (config.randomReinit) {
            const fresh = keepParams(initParams(model.specs, deriveSeed(config.initSeed, 'random-reinit', init, level)));
            setups.set('random-reinit', { start: { params: fresh, optimizer: null, step: k }, mask: impMask, origin: fresh });
          }
          // The subnetworks of this unit are independent: they train at once where the run has copy workers.
          const nets = [...setups].map(([kind, setup]) => ({
            kind,
            trainee: ctx.own(
              startTrainee(config, setup.start, {
                noiseSeed: trunkNoiseSeed(config, init),
                trainCount: data.train.count,
                mask: setup.mask,
                keepOptimizer,
                resetSchedule: false,
              }),
            ),
            where: { k, init, kind, level },
          }));
          const trained = yield* trainTogether(ctx, nets, T, 'subnet');
          for (const [i, { kind }] of nets.entries()) {
            const net = trained[i] as Trainee;
            const result: TrainedAccuracy = { kind, level, density, k, init, ...(await ctx.evaluate(net.params)) };
            accuracies.push(result);
            yield checkpoints.result({ type: 'accuracy', result });
            if (kind === 'imp' && config.pruneStrategy === 'iterative') lineage.lastTrained = await readPrunable(net.params, lineage.mask);
            ctx.free(net);
          }
          const plans = analysedKinds(config).flatMap((kind) => {
            const setup = setups.get(kind);
            if (!setup) return [];
            return Array.from({ length: config.pairsPerInit }, (_, pair) => ({
              start: setup.start,
              key: { kind, level, k, init, pair },
              setup: { density, mask: setup.mask, origin: setup.origin, keepOptimizer },
            }));
          });
          const batchSize = pairsAtOnce(ctx);
          for (let i = 0; i < plans.length; i += batchSize) {
            for (const result of yield* runPairs(ctx, plans.slice(i, i + batchSize), null)) {
              pairs.push(result);
              pairsByKind.set(result.kind, [...(pairsByKind.get(result.kind) ?? []), result]);
              yield checkpoints.result({ type: 'pair', result });
            }
          }
          releaseLevel(owned, setups, impMask);
          if (init === config.inits - 1) {
            for (const kindPairs of pairsByKind.values()) {
              const summary = summarizePairs(kindPairs, ctx.trainSet !== null);
              summaries.push(summary);
              yield checkpoints.result({ type: 'summary', summary });
            }
          }
          await checkpoint(nextUnit({ level, kIndex, init }, ks.length, config.inits));
        }
      }
    }
    const table = table2Rows(accuracies, config.matchingThreshold);
    const results: ImpResults = {
      format: 'lmc-lab/imp',
      ...ctx.resultsBase(pairs, summaries),
      accuracies,
      table,
      figure9: figure9Rows(accuracies, pairs, config.matchingThreshold),
      extremeMatchingDensity: extremeMatchingDensity(table),
    };
    yield { type: 'done', results };
    return results;
  } finally {
    for (const m of owned.masks) disposeMask(m);
    for (const p of owned.params) disposeParams(p);
    for (const s of owned.starts) s.optimizer?.dispose();
    ctx.dispose();
  }
}

/** The unit after `unit` in run order (level, then rewind step, then initialisation). */
function nextUnit(unit: ImpCheckpoint['next'], rewindSteps: number, inits: number): ImpCheckpoint['next'] {
  if (unit.init + 1 < inits) return { ...unit, init: unit.init + 1 };
  if (unit.kIndex + 1 < rewindSteps) return { level: unit.level, kIndex: unit.kIndex + 1, init: 0 };
  return { level: unit.level + 1, kIndex: 0, init: 0 };
}

/** Frees one level's masks and reinitialised weights as soon as the level is done with them. */
function releaseLevel(owned: { params: ParamMap[]; masks: Mask[] }, setups: ReadonlyMap<SubnetKind, { start: StartPoint; mask: Mask }>, impMask: Mask): void {
  const masks = new Set<Mask>([impMask, ...[...setups.values()].map((s) => s.mask)]);
  for (const m of masks) {
    disposeMask(m);
    owned.masks.splice(owned.masks.indexOf(m), 1);
  }
  const reinit = setups.get('random-reinit')?.start.params;
  if (reinit) {
    disposeParams(reinit);
    owned.params.splice(owned.params.indexOf(reinit), 1);
  }
}
