import { STABILITY_THRESHOLD_POINTS } from '../core/analysis/barrier.ts';
import type { ExperimentConfig } from '../core/experiments/config.ts';
import { copyEndStep } from '../core/experiments/trainees.ts';
import { niceAxis } from './axes.ts';
import { traceRows } from './chart-data.ts';
import { RUN_COLORS, bnNote } from './kinds.ts';
import type { ChartData } from './run-state.ts';
import { SeriesChart } from './SeriesChart.tsx';
import type { SubnetKind } from '../core/records.ts';

/**
 * The barrier between the two copies measured while they trained (the paper's Appendix C,
 * Figure 14), one line per rewind step k, with what to look for. Nothing when the run did not
 * trace (the Barrier-while-training setting is 0).
 */
export function TraceChart({ run, config, kind, level }: { run: ChartData; config: ExperimentConfig; kind: SubnetKind; level: number }) {
  if (config.tracePoints === 0) return null;
  const { rows, ks } = traceRows(run, kind, level);
  const end = copyEndStep(config, Math.max(...config.rewindSteps));
  return (
    <>
      <SeriesChart
        title={`Instability while the copies train: the barrier between them at each training step t, one line per k (Appendix C)${bnNote(config)}`}
        testId="trace-chart"
        rows={rows}
        series={ks.map((k, i) => ({ key: `k${k}`, name: `copies made at k = ${k}`, color: RUN_COLORS[i % RUN_COLORS.length] ?? '#333', errorBars: true }))}
        xTicks={niceAxis(0, end, 5).ticks}
        xFormat={(x) => String(Math.round(x))}
        xLabel="training step t of the copies"
        y={{ title: 'instability (percentage points)', unit: 'points', floor: 0, include: [STABILITY_THRESHOLD_POINTS] }}
        threshold={{ y: STABILITY_THRESHOLD_POINTS, label: 'stable below 2 points' }}
      />
      <p className="chart-note" data-testid="trace-note">
        Each point is the error barrier on the straight line between the two copies as they were at step t (test error, mean ± std over pairs); the last point
        of each line, at the end of training, is the ordinary instability. <strong>What to look for:</strong> copies made at an unstable k drift apart as they
        train, so their line climbs; copies made at a stable k stay linearly connected all along, so their line stays under the 2-point line. The paper (Figure
        14) found exactly that for ResNet-20 and VGG-16: from k = 0 the barrier grows as the networks learn, while from k = 2,000 (ResNet-20) they follow the
        same trajectory up to linear interpolation at every epoch.
      </p>
    </>
  );
}
