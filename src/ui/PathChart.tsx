import { Area, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { TOP_LEGEND_STYLE, formatValue, stepDecimals, valueAxisTicks } from './axes.ts';
import { ChartFrame } from './ChartFrame.tsx';
import { pathRows, pathSeriesKeys } from './chart-data.ts';
import { PALETTE } from './kinds.ts';
import type { StreamingPair } from './run-state.ts';

const TEST = PALETTE.test;
const TRAIN = PALETTE.train;

/** Error along the path: percent, from 0, so that a small barrier looks small. */
const ERROR_AXIS = { title: 'error (%)', unit: '%', floor: 0 } as const;

/** Error along the linear path for one rewind step: each pair faint, mean ± std bold (test, train). */
export function PathChart({ pairs, alphaCount, title }: { pairs: readonly StreamingPair[]; alphaCount: number; title: string }) {
  const rows = pathRows(pairs, alphaCount);
  const keys = pathSeriesKeys(pairs);
  const hasTrain = pairs.some((p) => p.trainErrors.some((v) => v !== undefined));
  const values = pairs.flatMap((p) => [...p.testErrors, ...(hasTrain ? p.trainErrors : [])]).filter((v): v is number => v !== undefined);
  const axis = valueAxisTicks(ERROR_AXIS, values);
  const decimals = stepDecimals(axis.step);
  const pairName = (p: StreamingPair): string => `pair ${p.pair + 1}${pairs.some((q) => q.init !== p.init) ? `, init ${p.init + 1}` : ''}`;
  return (
    <ChartFrame
      title={title}
      testId="path-chart"
      points={pairs.reduce((n, p) => n + p.testErrors.filter((v) => v !== undefined).length, 0)}
      rows={rows}
      name="path"
      labels={{
        alpha: 'α',
        testMean: 'test error, mean (%)',
        testBand: 'test error, ± 1 std (%)',
        trainMean: 'train error, mean (%)',
        trainBand: 'train error, ± 1 std (%)',
        ...Object.fromEntries(
          keys.flatMap((key, i) => [
            [`test:${key}`, `test error, ${pairName(pairs[i] as StreamingPair)} (%)`],
            [`train:${key}`, `train error, ${pairName(pairs[i] as StreamingPair)} (%)`],
          ]),
        ),
      }}
    >
      <ResponsiveContainer width="100%" height={300}>
        <ComposedChart data={rows} margin={{ top: 8, right: 16, bottom: 20, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            dataKey="alpha"
            type="number"
            domain={[0, 1]}
            tickCount={6}
            label={{ value: 'α (0: copy 1, 1: copy 2)', position: 'insideBottom', offset: -10 }}
          />
          <YAxis
            width={72}
            domain={axis.domain}
            ticks={axis.ticks}
            allowDataOverflow
            tickFormatter={(v: number) => `${v.toFixed(decimals)}%`}
            label={{ value: ERROR_AXIS.title, angle: -90, position: 'insideLeft', offset: 10, style: { textAnchor: 'middle' } }}
          />
          <Tooltip
            formatter={(v) =>
              typeof v === 'number' ? formatValue(ERROR_AXIS, v) : Array.isArray(v) ? `${Number(v[0]).toFixed(2)}–${Number(v[1]).toFixed(2)}%` : String(v)
            }
            labelFormatter={(a) => `α = ${Number(a).toFixed(2)}`}
          />
          <Legend verticalAlign="top" wrapperStyle={TOP_LEGEND_STYLE} />
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
          {keys.map((key, i) => (
            <Line
              key={`test:${key}`}
              dataKey={`test:${key}`}
              name={`test error, ${pairName(pairs[i] as StreamingPair)}`}
              stroke={TEST}
              strokeOpacity={0.3}
              dot={false}
              isAnimationActive={false}
              legendType="none"
            />
          ))}
          {hasTrain &&
            keys.map((key, i) => (
              <Line
                key={`train:${key}`}
                dataKey={`train:${key}`}
                name={`train error, ${pairName(pairs[i] as StreamingPair)}`}
                stroke={TRAIN}
                strokeOpacity={0.3}
                dot={false}
                isAnimationActive={false}
                legendType="none"
              />
            ))}
          <Line
            dataKey="testMean"
            name={`test error (mean of ${pairs.length} ${pairs.length === 1 ? 'pair' : 'pairs'})`}
            stroke={TEST}
            strokeWidth={2.5}
            dot={false}
            isAnimationActive={false}
          />
          {hasTrain && (
            <Line
              dataKey="trainMean"
              name={`train error (mean of ${pairs.length} ${pairs.length === 1 ? 'pair' : 'pairs'})`}
              stroke={TRAIN}
              strokeWidth={2.5}
              dot={false}
              isAnimationActive={false}
            />
          )}
        </ComposedChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
