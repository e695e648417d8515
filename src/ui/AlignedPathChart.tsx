import { errorBarrier } from '../core/analysis/barrier.ts';
import { meanStd } from '../core/analysis/stats.ts';
import type { ExperimentConfig } from '../core/experiments/config.ts';
import type { MeanStd, PairResult } from '../core/records.ts';
import type { SeriesRow } from './chart-data.ts';
import { PALETTE, bnNote } from './kinds.ts';
import { usesCifar } from '../core/models/model.ts';
import { SeriesChart } from './SeriesChart.tsx';

const pm = (m: MeanStd) => `${m.mean.toFixed(2)} ± ${m.std.toFixed(2)} points`;

/** Mean ± std over pairs of the test error at each α, before (`before`) and after (`after`) aligning copy 2's units. */
export function alignedRows(pairs: readonly PairResult[]): SeriesRow[] {
  const aligned = pairs.filter((p) => p.aligned);
  const alphas = aligned[0]?.alphas ?? [];
  return alphas.map((alpha, i) => {
    const before = meanStd(aligned.map((p) => p.testErrors[i] ?? Number.NaN));
    const after = meanStd(aligned.map((p) => p.aligned?.testErrors[i] ?? Number.NaN));
    return { x: alpha, before: before.mean, 'before:err': [before.std, before.std], after: after.mean, 'after:err': [after.std, after.std] };
  });
}

/** The mean share of units the matching moved over `pairs`, in words ("moved 341 of 400 units"), or null for files that did not record it. */
export function movedPhrase(pairs: readonly PairResult[]): string | null {
  const counted = pairs.flatMap((p) => (p.aligned?.moved !== undefined && p.aligned.units !== undefined ? [p.aligned] : []));
  if (counted.length === 0) return null;
  const mean = counted.reduce((s, a) => s + (a.moved ?? 0), 0) / counted.length;
  return `moved ${Math.round(mean)} of ${counted[0]?.units ?? 0} units${counted.length > 1 ? ' on average' : ''}`;
}

/**
 * The path between the copies made at k before and after permuting copy 2's hidden units to match
 * copy 1's (weight matching), with both barriers and the units moved in words, and what the
 * comparison means for copies that share their initialisation (the paper's) or come from two.
 */
export function AlignedPathChart({ pairs, config, k }: { pairs: readonly PairResult[]; config: ExperimentConfig; k: number }) {
  const aligned = pairs.filter((p) => p.aligned && p.k === k);
  if (aligned.length === 0) return null;
  const before = meanStd(aligned.map((p) => p.testBarrier));
  const after = meanStd(aligned.map((p) => errorBarrier(p.aligned?.testErrors ?? [])));
  const moved = movedPhrase(aligned);
  const twoInits = config.copyStart === 'two-inits';
  return (
    <>
      <SeriesChart
        title={`Test error along the path between the copies made at k = ${k}${twoInits ? ' from two initialisations' : ''}, before and after lining up copy 2’s hidden units with copy 1’s${bnNote(config)}`}
        testId="aligned-chart"
        rows={alignedRows(aligned)}
        series={[
          { key: 'before', name: 'as trained', color: PALETTE.test, errorBars: true },
          { key: 'after', name: 'copy 2’s units aligned', color: PALETTE.imp, dashed: true, errorBars: true },
        ]}
        xTicks={[0, 0.25, 0.5, 0.75, 1]}
        xFormat={(x) => x.toFixed(2)}
        xLabel="α (0: copy 1, 1: copy 2)"
        y={{ title: 'test error (%)', unit: '%', floor: 0 }}
      />
      <p className="chart-note" data-testid="aligned-note">
        Barrier as trained: {pm(before)}; with copy 2’s units aligned: {pm(after)} ({aligned.length} {aligned.length === 1 ? 'pair' : 'pairs'}
        {moved ? `; the matching ${moved}` : ''}). Hidden units (neurons, or a convolution’s channels) can be reordered without changing what a network
        computes, so two networks may look far apart only because their units are numbered differently. Weight matching (Ainsworth et al., 2023, “Git Re-Basin”)
        reorders copy 2’s units to line up with copy 1’s and walks the path again. <strong>What to look for:</strong> a barrier that falls after aligning came
        from the numbering of the units; one that stays is not explained by it (weight matching lines up similar weights, which usually but not always lowers
        the barrier).{' '}
        {usesCifar(config.model) && config.bnMode === 'interpolate'
          ? 'With BatchNorm statistics interpolated, part of a barrier can come from the statistics themselves (Jordan et al., 2023, “REPAIR”): try “BatchNorm on path: recompute” too. '
          : ''}
        {twoInits
          ? 'These two networks come from different initialisations, so their units start in unrelated orders and the matching renumbers most of them. Git Re-Basin found that for wide networks this removes most of the barrier between independently trained networks. This is not the paper’s experiment: its copies share their initialisation.'
          : 'The paper’s copies share their initialisation, so their units start out lined up and the matching usually changes little; the paper itself does not align. To see alignment at work, set “Copy 2 starts from” to two-inits.'}
      </p>
    </>
  );
}
