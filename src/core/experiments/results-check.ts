import { errorBarrier } from '../analysis/barrier.ts';
import { extremeMatchingDensity, figure9Rows, table2Rows } from '../analysis/verdicts.ts';
import type { ExperimentResults } from './results.ts';
import type { PairResult, TrainedAccuracy } from '../records.ts';
import { pairId } from '../records.ts';
import { groupPairs, summarizePairs } from './summaries.ts';
import { traceProblem, traceSteps } from './trace.ts';
import { measuresPlane } from './pair-paths.ts';
import { copyEndStep } from './trainees.ts';
import { triangleIndex, triangleSize } from '../analysis/plane.ts';

/** Thrown when a results file's numbers do not fit its own configuration; the message says where. */
export class InconsistentResultsError extends Error {
  override readonly name = 'InconsistentResultsError';
}

/** The problem with one pair against the configuration, or null. */
function pairProblem(p: PairResult, results: ExperimentResults): string | null {
  const c = results.config;
  const imp = results.format === 'lmc-lab/imp';
  if (p.alphas.length !== c.alphas) return `${p.alphas.length} α values where the configuration has ${c.alphas}`;
  if (p.testErrors.length !== p.alphas.length) return `${p.testErrors.length} test errors for ${p.alphas.length} α values`;
  if (p.trainErrors !== undefined && p.trainErrors.length !== p.alphas.length) return `${p.trainErrors.length} train errors for ${p.alphas.length} α values`;
  if (!c.rewindSteps.includes(p.k)) return `k = ${p.k} is not one of the configuration's rewind steps (${c.rewindSteps.join(', ')})`;
  if (p.init >= c.inits) return `init ${p.init} but the configuration has ${c.inits}`;
  if (p.pair >= c.pairsPerInit) return `pair ${p.pair} but the configuration has ${c.pairsPerInit} per init`;
  if (!imp && (p.kind !== 'dense' || p.level !== 0)) return `a ${p.kind} pair at level ${p.level} in an instability run`;
  if (imp && p.level > c.pruneRounds) return `level ${p.level} but the configuration prunes ${c.pruneRounds} rounds`;
  // 0 means the whole test set: 10,000 images for both MNIST and CIFAR-10.
  const testCount = c.testExamples > 0 ? c.testExamples : 10_000;
  if (p.distances.classifiedDifferently > testCount) return `${p.distances.classifiedDifferently} test examples classified differently out of ${testCount}`;
  const plane = planeProblem(p, c);
  if (plane) return plane;
  const aligned = alignedProblem(p, c.align);
  if (aligned) return aligned;
  if (c.tracePoints === 0) return p.trace === undefined ? null : 'a trace, but the configuration measures none';
  if (p.trace === undefined) return `no trace, but the configuration measures ${c.tracePoints} points`;
  return traceProblem(p.trace, traceSteps(p.k, copyEndStep(c, p.k), c.tracePoints), p, c.alphas);
}

/** The problem with a pair's aligned path, or null: present exactly when the run aligns, one error per α, starting at copy 1 itself. */
function alignedProblem(p: PairResult, align: boolean): string | null {
  if (!align) return p.aligned === undefined ? null : 'an aligned path, but the configuration does not align';
  if (!p.aligned) return 'no aligned path, but the configuration aligns';
  if (p.aligned.testErrors.length !== p.alphas.length) return `${p.aligned.testErrors.length} aligned test errors for ${p.alphas.length} α values`;
  if ((p.aligned.trainErrors !== undefined) !== (p.trainErrors !== undefined)) return 'train errors on one of the pair’s paths and not the other';
  // α = 0 is copy 1 on both paths: the same network, the same error.
  if (p.aligned.testErrors[0] !== p.testErrors[0]) return 'the aligned path does not start at copy 1';
  return null;
}

/** The problem with a pair's error plane against the configuration, or null: only the pair that measures one has it, of the configured size, with the copies' own errors at its corners. */
function planeProblem(p: PairResult, c: ExperimentResults['config']): string | null {
  if (!measuresPlane(c, p)) return p.plane === undefined ? null : 'an error plane on a pair that does not measure one';
  if (!p.plane) return `no error plane, but the configuration measures one of ${c.planeGrid} points per side`;
  const { grid, testErrors } = p.plane;
  if (grid !== c.planeGrid) return `an error plane of ${grid} points per side where the configuration has ${c.planeGrid}`;
  if (testErrors.length !== triangleSize(grid)) return `${testErrors.length} points in an error plane of ${grid} per side (${triangleSize(grid)})`;
  const atCopies = [testErrors[triangleIndex(grid, grid - 1, 0)], testErrors[triangleIndex(grid, 0, grid - 1)]];
  if (atCopies[0] !== p.testErrors[0] || atCopies[1] !== p.testErrors.at(-1))
    return 'the error plane’s corners at the two copies are not the ends of the pair’s path';
  return null;
}

/** The problem with one trained network's accuracy against the configuration, or null. */
function accuracyProblem(a: TrainedAccuracy, results: ExperimentResults): string | null {
  const c = results.config;
  if (a.init >= c.inits) return `init ${a.init} but the configuration has ${c.inits}`;
  if (a.level > c.pruneRounds) return `level ${a.level} but the configuration prunes ${c.pruneRounds} rounds`;
  return null;
}

/**
 * Checks a results file against itself and recomputes what follows from its numbers: each pair
 * must fit the configuration (its α count, k, init, pair and level in range, no pair twice, so
 * no more pairs than the configuration implies); every barrier, summary, stability verdict and,
 * for IMP, Table 2, Figure 9 and the most extreme matching density are recomputed from the
 * errors and accuracies instead of taken from the file. Throws
 * {@link InconsistentResultsError} naming the first problem.
 */
export function checkedResults(results: ExperimentResults, file: string): ExperimentResults {
  const seen = new Set<string>();
  const pairs = results.pairs.map((p, i) => {
    const id = pairId(p);
    const problem = seen.has(id) ? `the pair ${id} appears twice` : pairProblem(p, results);
    if (problem) throw new InconsistentResultsError(`${file}: pairs.${i}: ${problem}`);
    seen.add(id);
    const recomputed: PairResult = { ...p, testBarrier: errorBarrier(p.testErrors) };
    if (p.trainErrors) return { ...recomputed, trainBarrier: errorBarrier(p.trainErrors) };
    delete (recomputed as { trainBarrier?: number }).trainBarrier;
    return recomputed;
  });
  const withTrain = pairs.some((p) => p.trainErrors !== undefined);
  if (withTrain && pairs.some((p) => p.trainErrors === undefined)) throw new InconsistentResultsError(`${file}: some pairs have train errors and some do not`);
  const summaries = groupPairs(pairs).map((group) => summarizePairs(group, withTrain));
  if (results.format === 'lmc-lab/instability') return { ...results, pairs, summaries };
  const accuracyIds = new Set<string>();
  results.accuracies.forEach((a, i) => {
    const id = `${a.kind}/${a.level}/${a.k}/${a.init}`;
    const problem = accuracyIds.has(id) ? `the accuracy of ${id} appears twice` : accuracyProblem(a, results);
    if (problem) throw new InconsistentResultsError(`${file}: accuracies.${i}: ${problem}`);
    accuracyIds.add(id);
  });
  const threshold = results.config.matchingThreshold;
  const table = table2Rows(results.accuracies, threshold);
  return {
    ...results,
    pairs,
    summaries,
    table,
    figure9: figure9Rows(results.accuracies, pairs, threshold),
    extremeMatchingDensity: extremeMatchingDensity(table),
  };
}
