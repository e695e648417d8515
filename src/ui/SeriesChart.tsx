import type { ReactNode } from 'react';
import {
  CartesianGrid,
  ComposedChart,
  ErrorBar,
  Legend,
  Line,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { MeanStd } from '../core/records.ts';
import { TOP_LEGEND_STYLE, type ValueAxis, drawnValues, formatValue, stepDecimals, valueAxisTicks } from './axes.ts';
import { ChartFrame } from './ChartFrame.tsx';
import { PALETTE } from './kinds.ts';
import type { SeriesRow } from './chart-data.ts';

/** One line of a {@link SeriesChart}: its column in the rows, legend name and style. */
export interface Series {
  readonly key: string;
  readonly name: string;
  readonly color: string;
  /** A train-set series: dashed. */
  readonly dashed?: boolean;
  /** The line's own dash pattern (a network class's), when not `dashed`. */
  readonly dash?: string;
  /** Draw the `key:err` column as ± error bars. */
  readonly errorBars?: boolean;
}

/** Props of {@link SeriesChart}. */
export interface SeriesChartProps {
  readonly title: ReactNode;
  readonly testId: string;
  readonly rows: readonly SeriesRow[];
  readonly series: readonly Series[];
  /** Tick positions on the transformed x axis and how to label them. */
  readonly xTicks: readonly number[];
  readonly xFormat: (x: number) => string;
  readonly xLabel: string;
  readonly xReversed?: boolean;
  /** What the value axis measures (its range keeps that meaning: errors from 0, the 2-point line in view). */
  readonly y: ValueAxis;
  /** The full network's mean ± std, drawn as a band (Figures 7 and 10). */
  readonly band?: { readonly stats: MeanStd; readonly label: string } | null;
  /** A horizontal threshold line (e.g. stable below 2 points). */
  readonly threshold?: { readonly y: number; readonly label: string };
  /** A vertical line at an x where something is known (e.g. where the paper found stability): a short label on the chart, the full note under it. */
  readonly xMarker?: { readonly x: number; readonly label: string; readonly note: string };
  /** Faint individual points under the lines. */
  readonly scatter?: { readonly name: string; readonly color: string; readonly points: readonly { x: number; y: number }[] };
}

/** A line chart of mean ± std series over a transformed x axis, with optional band and threshold. */
export function SeriesChart(props: SeriesChartProps) {
  const xs = [...props.xTicks, ...props.rows.map((r) => r.x), ...(props.xMarker ? [props.xMarker.x] : [])];
  const lo = Math.min(...xs, 0);
  const hi = Math.max(...xs, 0.3);
  const pad = (hi - lo) * 0.04 || 0.1;
  const band = props.band ? [props.band.stats.mean - props.band.stats.std, props.band.stats.mean + props.band.stats.std] : [];
  const extra = [...band, ...(props.threshold ? [props.threshold.y] : []), ...(props.scatter?.points.map((p) => p.y) ?? [])];
  const axis = valueAxisTicks(
    props.y,
    drawnValues(
      props.rows,
      props.series.map((s) => s.key),
      extra,
    ),
  );
  const decimals = props.y.unit === 'step' ? 0 : stepDecimals(axis.step);
  // The threshold's label sits above its line at the left, where instability is usually high
  // (or flat far below); under the line when the line runs along the top, clear of the legend.
  const thresholdNearTop = props.threshold !== undefined && props.threshold.y > axis.domain[0] + 0.8 * (axis.domain[1] - axis.domain[0]);
  const fmt = (v: unknown): string => (typeof v === 'number' ? formatValue(props.y, v) : Array.isArray(v) ? `± ${Number(v[0]).toFixed(2)}` : String(v));
  return (
    <ChartFrame
      title={props.title}
      testId={props.testId}
      points={props.rows.length}
      rows={props.rows}
      name={props.testId}
      formats={{ x: props.xFormat }}
      labels={{
        x: props.xLabel,
        ...Object.fromEntries(
          props.series.flatMap((s) => [
            [s.key, s.name],
            [`${s.key}:err`, `${s.name}: − / + 1 std`],
          ]),
        ),
      }}
    >
      <ResponsiveContainer width="100%" height={280}>
        <ComposedChart data={[...props.rows]} margin={{ top: 8, right: 16, bottom: 20, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            dataKey="x"
            type="number"
            domain={[lo - pad, hi + pad]}
            ticks={[...props.xTicks]}
            tickFormatter={props.xFormat}
            reversed={props.xReversed ?? false}
            label={{ value: props.xLabel, position: 'insideBottom', offset: -10 }}
            allowDataOverflow
          />
          <YAxis
            width={72}
            domain={axis.domain}
            ticks={axis.ticks}
            allowDataOverflow
            tickFormatter={(v: number) => `${v.toFixed(decimals)}${props.y.unit === '%' ? '%' : ''}`}
            label={{ value: props.y.title, angle: -90, position: 'insideLeft', offset: 10, style: { textAnchor: 'middle' } }}
          />
          <Tooltip formatter={fmt} labelFormatter={(x) => props.xFormat(Number(x))} />
          <Legend verticalAlign="top" wrapperStyle={TOP_LEGEND_STYLE} />
          {props.band && (
            <ReferenceArea
              y1={props.band.stats.mean - props.band.stats.std}
              y2={props.band.stats.mean + props.band.stats.std}
              fill={PALETTE.full}
              fillOpacity={0.08}
              ifOverflow="extendDomain"
            />
          )}
          {props.band && <ReferenceLine y={props.band.stats.mean} stroke={PALETTE.full} strokeDasharray="4 3" ifOverflow="extendDomain" />}
          {props.threshold && (
            <ReferenceLine
              y={props.threshold.y}
              stroke={PALETTE.reference}
              strokeDasharray="6 4"
              label={{ value: props.threshold.label, position: thresholdNearTop ? 'insideTopLeft' : 'insideBottomLeft', fill: PALETTE.reference }}
            />
          )}
          {props.xMarker && (
            <ReferenceLine
              x={props.xMarker.x}
              stroke={PALETTE.reference}
              strokeDasharray="2 4"
              strokeWidth={2}
              label={{ value: props.xMarker.label, position: 'insideTopLeft', fill: PALETTE.reference }}
            />
          )}
          {props.scatter && (
            <Scatter
              data={[...props.scatter.points]}
              dataKey="y"
              name={props.scatter.name}
              fill={props.scatter.color}
              fillOpacity={0.3}
              isAnimationActive={false}
            />
          )}
          {props.series.map((s) => (
            <Line
              key={s.key}
              dataKey={s.key}
              name={s.name}
              stroke={s.color}
              strokeWidth={2.5}
              strokeDasharray={s.dashed ? '6 4' : (s.dash ?? '0')}
              isAnimationActive={false}
              connectNulls
            >
              {s.errorBars !== false && <ErrorBar dataKey={`${s.key}:err`} width={5} stroke={s.color} direction="y" />}
            </Line>
          ))}
        </ComposedChart>
      </ResponsiveContainer>
      {props.xMarker && (
        <p className="chart-note" data-testid={`${props.testId}-marker-note`}>
          Dotted vertical line: {props.xMarker.note}.
        </p>
      )}
      {props.band && (
        <p className="chart-note" data-testid={`${props.testId}-band-note`}>
          Dashed line and shaded band: {props.band.label} (mean ± 1 std{props.band.stats.n === 1 ? '; n = 1, so no spread' : ` over ${props.band.stats.n}`}
          ).
        </p>
      )}
    </ChartFrame>
  );
}
