import { CartesianGrid, ComposedChart, ErrorBar, Legend, Line, ReferenceLine, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis } from 'recharts';
import { STABILITY_THRESHOLD_POINTS } from '../core/analysis/barrier.ts';
import type { KSummary, PairResult } from '../core/experiments/results.ts';
import { barrierPoints, instabilityRows, kToX } from './chart-data.ts';

/** Instability (test and train barrier, mean ± std) against the rewind step k on a log axis. */
export function InstabilityChart({ summaries, pairs, ks }: { summaries: readonly KSummary[]; pairs: readonly PairResult[]; ks: readonly number[] }) {
  const rows = instabilityRows(summaries);
  const points = barrierPoints(pairs);
  const hasTrain = summaries.some((s) => s.train !== undefined);
  const ticks = ks.map(kToX);
  const maxX = Math.max(...ticks, 0.3);
  return (
    <figure className="chart" data-testid="instability-chart" data-points={rows.length}>
      <figcaption>Instability (error barrier) against the step k the copies were made at</figcaption>
      <ResponsiveContainer width="100%" height={300}>
        <ComposedChart data={rows} margin={{ top: 8, right: 16, bottom: 20, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            dataKey="x"
            type="number"
            domain={[0, maxX * 1.05]}
            ticks={ticks}
            tickFormatter={(x: number) => String(Math.round(10 ** x - 1))}
            label={{ value: 'rewind step k (log scale)', position: 'insideBottom', offset: -10 }}
          />
          <YAxis unit=" pts" width={64} domain={[0, (max: number) => Math.max(2.5, Math.ceil(max))]} allowDataOverflow />
          <Tooltip formatter={(v) => (typeof v === 'number' ? `${v.toFixed(2)} points` : String(v))} labelFormatter={(x) => `k = ${Math.round(10 ** Number(x) - 1)}`} />
          <Legend verticalAlign="top" />
          <ReferenceLine y={STABILITY_THRESHOLD_POINTS} stroke="#2ca02c" strokeDasharray="6 4" label={{ value: 'stable below 2 points', position: 'insideTopRight', fill: '#2ca02c' }} />
          <Scatter data={points} dataKey="barrier" name="each pair (test)" fill="#d62728" fillOpacity={0.3} isAnimationActive={false} />
          <Line dataKey="test" name="test instability" stroke="#d62728" strokeWidth={2.5} isAnimationActive={false}>
            <ErrorBar dataKey="testError" width={6} stroke="#d62728" direction="y" />
          </Line>
          {hasTrain && (
            <Line dataKey="train" name="train instability" stroke="#7b3fb5" strokeWidth={2} isAnimationActive={false}>
              <ErrorBar dataKey="trainError" width={6} stroke="#7b3fb5" direction="y" />
            </Line>
          )}
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
}
