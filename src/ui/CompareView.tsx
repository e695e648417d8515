import { sortedRewindSteps } from '../core/experiments/config.ts';
import { comparisonRows } from './chart-data.ts';
import { instabilityAxes } from './InstabilityView.tsx';
import { KIND_DASH, KIND_LABEL, RUN_COLORS, formatDensity } from './kinds.ts';
import { SeriesChart } from './SeriesChart.tsx';
import { useAppStore } from './store-context.tsx';
import { describeConfig } from './StoredRuns.tsx';

/** Colours told apart on a white chart, one per compared run. */

/** Finished stored runs side by side: test instability against k, one line per run (and kind). */
export function CompareView() {
  const runs = useAppStore((s) => s.comparison);
  const clear = useAppStore((s) => s.clearComparison);
  if (runs.length === 0) return null;
  const { rows, series } = comparisonRows(runs);
  const ks = [...new Set(runs.flatMap((r) => sortedRewindSteps(r.results.config)))].sort((a, b) => a - b);
  return (
    <section className="panel compare" aria-label="Compared runs" data-testid="compare-view">
      <div className="buttons">
        <h2>Compared runs</h2>
        <button type="button" onClick={clear}>
          Clear
        </button>
      </div>
      <ol className="compared">
        {runs.map((r, i) => (
          <li key={r.id} style={{ color: RUN_COLORS[i % RUN_COLORS.length] }}>
            {r.label}: {describeConfig(r.results.config)}
          </li>
        ))}
      </ol>
      <SeriesChart
        title="Test instability against k, each run (IMP runs at their sparsest level)"
        testId="compare-chart"
        rows={rows}
        series={series.map((s) => {
          const density = runs[s.run]?.results.summaries.find((x) => x.level === s.level && x.kind === s.kind)?.density ?? 1;
          return {
            key: s.key,
            name: `run ${s.run + 1}: ${KIND_LABEL[s.kind]}${s.level > 0 ? ` at ${formatDensity(density)}` : ''}`,
            color: RUN_COLORS[s.run % RUN_COLORS.length] ?? '#333',
            dash: KIND_DASH[s.kind],
            errorBars: true,
          };
        })}
        {...instabilityAxes(ks)}
      />
    </section>
  );
}
