import { Area, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartFrame } from './ChartFrame.tsx';
import { pathRows, pathSeriesKeys } from './chart-data.ts';
import { TRAIN_COLOR as TRAIN } from './kinds.ts';
import type { StreamingPair } from './run-state.ts';

const TEST = '#d62728';

/** Error along the linear path for one rewind step: each pair faint, mean ± std bold (test, train). */
export function PathChart({ pairs, alphaCount, title }: { pairs: readonly StreamingPair[]; alphaCount: number; title: string }) {
  const rows = pathRows(pairs, alphaCount);
  const keys = pathSeriesKeys(pairs);
  const hasTrain = pairs.some((p) => p.trainErrors.some((v) => v !== undefined));
  return (
    <ChartFrame
      title={title}
      testId="path-chart"
      points={pairs.reduce((n, p) => n + p.testErrors.filter((v) => v !== undefined).length, 0)}
      rows={rows}
      name="path"
    >
      <ResponsiveContainer width="100%" height={300}>
        <ComposedChart data={rows} margin={{ top: 8, right: 16, bottom: 20, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            dataKey="alpha"
            type="number"
            domain={[0, 1]}
            tickCount={6}
            label={{ value: 'interpolation α (0 = copy 1, 1 = copy 2)', position: 'insideBottom', offset: -10 }}
          />
          <YAxis unit="%" width={56} domain={['auto', 'auto']} />
          <Tooltip formatter={(v) => (typeof v === 'number' ? `${v.toFixed(2)}%` : String(v))} labelFormatter={(a) => `α = ${Number(a).toFixed(3)}`} />
          <Legend verticalAlign="top" />
          <Area dataKey="testBand" name="test ± 1 std" stroke="none" fill={TEST} fillOpacity={0.15} isAnimationActive={false} connectNulls legendType="none" />
          {hasTrain && (
            <Area
              dataKey="trainBand"
              name="train ± 1 std"
              stroke="none"
              fill={TRAIN}
              fillOpacity={0.15}
              isAnimationActive={false}
              connectNulls
              legendType="none"
            />
          )}
          {keys.map((key) => (
            <Line key={`test:${key}`} dataKey={`test:${key}`} stroke={TEST} strokeOpacity={0.3} dot={false} isAnimationActive={false} legendType="none" />
          ))}
          {hasTrain &&
            keys.map((key) => (
              <Line key={`train:${key}`} dataKey={`train:${key}`} stroke={TRAIN} strokeOpacity={0.3} dot={false} isAnimationActive={false} legendType="none" />
            ))}
          <Line dataKey="testMean" name="test error (mean)" stroke={TEST} strokeWidth={2.5} dot={false} isAnimationActive={false} />
          {hasTrain && <Line dataKey="trainMean" name="train error (mean)" stroke={TRAIN} strokeWidth={2.5} dot={false} isAnimationActive={false} />}
        </ComposedChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
