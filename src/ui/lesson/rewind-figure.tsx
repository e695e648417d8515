import { STABILITY_THRESHOLD_POINTS } from '../../core/analysis/barrier.ts';
import { table2Rows } from '../../core/analysis/verdicts.ts';
import { type ExperimentConfig, sortedRewindSteps, subnetKinds } from '../../core/experiments/config.ts';
import { denseErrorBand, errorVsKRows, kToX, xToK } from '../chart-data.ts';
import { InstabilityVsK } from '../InstabilityView.tsx';
import { KIND_COLOR, KIND_DASH, KIND_LABEL, formatDensity } from '../kinds.ts';
import type { RunState } from '../run-state.ts';
import { SeriesChart } from '../SeriesChart.tsx';

/** For each rewind step at the sparsest level: IMP against the full network, and whether IMP is stable, in words. */
export function rewindSentences(run: RunState, config: ExperimentConfig): string[] {
  const rows = table2Rows(run.accuracies, config.matchingThreshold);
  const level = Math.max(0, ...rows.map((r) => r.level));
  return rows
    .filter((r) => r.level === level)
    .sort((a, b) => a.k - b.k)
    .map((r) => {
      const s = run.summaries.find((x) => x.kind === 'imp' && x.level === level && x.k === r.k);
      const stability = s ? `instability ${s.test.mean.toFixed(1)} points: ${s.stable ? 'stable' : 'unstable'}` : 'instability not measured';
      const gap = `${Math.abs(r.delta).toFixed(1)} points ${r.delta < 0 ? 'above' : 'below'} the full network’s ${r.full.toFixed(1)}%`;
      return `k = ${r.k}: IMP at ${formatDensity(r.density)} reaches ${r.imp.toFixed(1)}% test accuracy, ${gap}: ${r.matching ? 'matching' : 'not matching'}; ${stability}.`;
    });
}

/**
 * What a run says about the paper's claim at its sparsest level, in one sentence: the rewind steps
 * where IMP is stable, those where it is matching, and whether matching comes only where stable.
 */
export function claimSentence(run: RunState, config: ExperimentConfig): string | null {
  const rows = table2Rows(run.accuracies, config.matchingThreshold);
  if (rows.length === 0) return null;
  const level = Math.max(...rows.map((r) => r.level));
  const at = rows.filter((r) => r.level === level).sort((a, b) => a.k - b.k);
  const stableKs = at.filter((r) => run.summaries.some((x) => x.kind === 'imp' && x.level === level && x.k === r.k && x.stable)).map((r) => r.k);
  const matchingKs = at.filter((r) => r.matching).map((r) => r.k);
  const list = (ks: number[]): string => (ks.length === 0 ? 'at no k' : `at k = ${ks.join(', ')}`);
  const onlyWhereStable = matchingKs.every((k) => stableKs.includes(k));
  const verdict =
    matchingKs.length === 0
      ? 'it is never matching, so this run cannot show the link (see below)'
      : onlyWhereStable
        ? 'it is matching only where it is stable, as the paper found'
        : 'it is matching at some k where it is not stable, unlike the paper';
  return `IMP is stable ${list(stableKs)} and matching ${list(matchingKs)}: ${verdict}.`;
}

/** Figures 6 and 7 for one run: the subnetworks' test error against k (full network as a band) and IMP's instability against k. */
export function RewindFigure({ run, config, who }: { run: RunState; config: ExperimentConfig; who: string }) {
  const levels = run.accuracies.filter((a) => a.kind !== 'dense').map((a) => a.level);
  const level = levels.length > 0 ? Math.max(...levels) : config.pruneRounds;
  const density = run.accuracies.find((a) => a.kind !== 'dense' && a.level === level)?.density;
  const band = denseErrorBand(run.accuracies);
  const where = density === undefined ? '' : ` at ${formatDensity(density)} of the weights`;
  return (
    <>
      <SeriesChart
        title={`${who}: test error of subnetworks${where} against the step k they are rewound to (Figure 7)`}
        testId="lesson-error-vs-k-chart"
        rows={errorVsKRows(run.accuracies, level)}
        series={subnetKinds(config).map((kd) => ({ key: kd, name: KIND_LABEL[kd], color: KIND_COLOR[kd], dash: KIND_DASH[kd] }))}
        xTicks={sortedRewindSteps(config).map(kToX)}
        xFormat={(x) => String(xToK(x))}
        xLabel="rewind step k (log scale)"
        y={{ title: 'test error (%)', unit: '%', floor: 0 }}
        band={band ? { stats: band, label: 'the full network’s test error' } : null}
      />
      <InstabilityVsK run={run} config={config} level={level} kinds={['imp']} />
      <div className="run-words" data-testid="run-words">
        <p>
          {who}, the IMP subnetwork at each rewind step (stable below {STABILITY_THRESHOLD_POINTS} points; matching within {config.matchingThreshold} points of
          the full network’s accuracy):
        </p>
        <ul>
          {rewindSentences(run, config).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
        <p data-testid="claim-words">{claimSentence(run, config)}</p>
      </div>
    </>
  );
}
