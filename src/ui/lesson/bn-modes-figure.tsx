import { sortedRewindSteps } from '../../core/experiments/config.ts';
import { comparisonRows } from '../chart-data.ts';
import type { DemoName } from '../demos.ts';
import { instabilityAxes } from '../InstabilityView.tsx';
import { RUN_COLORS } from '../kinds.ts';
import { SeriesChart } from '../SeriesChart.tsx';
import { batchNormModesSentence, summariesOf } from './lesson-numbers.ts';
import { type DemoState, useDemo } from './use-demo.ts';

/** How each BatchNorm mode is named on the chart. */
const MODE_LABEL = { interpolate: 'statistics interpolated (the paper)', recompute: 'statistics recomputed' } as const;

/**
 * The same ResNet-20 experiment evaluated with BatchNorm statistics interpolated and recomputed:
 * both instability curves on one chart, and the comparison in words.
 */
export function BatchNormModesFigure({ interpolated, recomputed }: { interpolated: DemoName; recomputed: DemoName }) {
  const a = useDemo(interpolated);
  const b = useDemo(recomputed);
  const problem = [a, b].find((d): d is Extract<DemoState, { state: 'error' }> => d.state === 'error');
  if (problem)
    return (
      <p className="error" role="alert">
        The bundled runs could not be shown: {problem.message}
      </p>
    );
  if (a.state !== 'ready' || b.state !== 'ready') return <p className="muted">Loading the bundled runs…</p>;
  const runs = [
    { id: 'interpolate', label: MODE_LABEL.interpolate, results: a.results },
    { id: 'recompute', label: MODE_LABEL.recompute, results: b.results },
  ];
  const { rows, series } = comparisonRows(runs);
  const ks = [...new Set([...sortedRewindSteps(a.config), ...sortedRewindSteps(b.config)])].sort((x, y) => x - y);
  return (
    <div data-testid="bn-modes">
      <SeriesChart
        title={`The same copies, two ways of setting BatchNorm statistics along the path: instability against k (recomputed from ${b.config.bnBatches} training batches at each α)`}
        testId="bn-modes-chart"
        rows={rows}
        series={series.map((s) => ({
          key: s.key,
          name: runs[s.run]?.label ?? s.key,
          color: RUN_COLORS[s.run % RUN_COLORS.length] ?? '#333',
          dashed: s.run === 1,
          errorBars: true,
        }))}
        {...instabilityAxes(ks)}
      />
      <p className="run-words" data-testid="bn-modes-words">
        {batchNormModesSentence(summariesOf(a.run.summaries, 'dense', 0), summariesOf(b.run.summaries, 'dense', 0))}
      </p>
    </div>
  );
}
