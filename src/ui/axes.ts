import type { SeriesRow } from './chart-data.ts';

/** What a chart's value axis measures, so that its range, ticks, title and tooltips keep their meaning. */
export interface ValueAxis {
  /** The axis title, with its unit, e.g. "test error (%)". */
  readonly title: string;
  /** `%` for error rates, `points` for differences of error rates, `step` for training steps. */
  readonly unit: '%' | 'points' | 'step';
  /** The lowest value shown when every value is above it (0 for errors, so small changes look small). */
  readonly floor?: number;
  /** Values always in view (the 2-point stability line). */
  readonly include?: readonly number[];
}

/** A chart axis: its range and tick positions, all on round numbers. */
export interface AxisTicks {
  readonly domain: [number, number];
  readonly ticks: number[];
  /** Distance between ticks (decides how many decimals a label shows). */
  readonly step: number;
}

/** The round step (1, 2, 2.5 or 5 × 10ⁿ) that cuts `range` into about `count` parts. */
export function niceStep(range: number, count = 5): number {
  const raw = range > 0 ? range / count : 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const multiple = [1, 2, 2.5, 5, 10].find((m) => m * power >= raw * 0.999) ?? 10;
  return multiple * power;
}

/** A range from `min` to `max` widened to round ticks (about `count` of them). */
export function niceAxis(min: number, max: number, count = 5): AxisTicks {
  const lo0 = Number.isFinite(min) ? min : 0;
  const hi0 = Number.isFinite(max) && max > lo0 ? max : lo0 + 1;
  const step = niceStep(hi0 - lo0, count);
  const lo = Math.floor(lo0 / step + 1e-9) * step;
  const hi = Math.ceil(hi0 / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = lo; v <= hi + step / 2; v += step) ticks.push(Number(v.toFixed(10)));
  return { domain: [Number(lo.toFixed(10)), Number(hi.toFixed(10))], ticks, step };
}

/** Decimals that a tick `step` needs: 2 → 0, 0.5 → 1, 0.25 → 2. */
export function stepDecimals(step: number): number {
  for (let d = 0; d < 6; d++) if (Math.abs(Number(step.toFixed(d)) - step) < 1e-9) return d;
  return 6;
}

/** Every finite value a chart draws from `rows` (error bars included) and `extra`. */
export function drawnValues(rows: readonly SeriesRow[], keys: readonly string[], extra: readonly number[] = []): number[] {
  const out = [...extra];
  for (const row of rows) {
    for (const key of keys) {
      const v = row[key];
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      const err = row[`${key}:err`];
      if (Array.isArray(err)) out.push(v - err[0], v + err[1]);
      else out.push(v);
    }
  }
  return out.filter(Number.isFinite);
}

/**
 * The axis for `values` as `axis` measures them: its floor and the values it must include kept in
 * view. Values a little below the floor (an error bar reaching under 0) widen the range just
 * enough to show them, with no ticks down there: a bar at −0.4 does not make the axis start at −10.
 */
export function valueAxisTicks(axis: ValueAxis, values: readonly number[]): AxisTicks {
  const all = [...values, ...(axis.include ?? [])];
  let lo = all.length > 0 ? Math.min(...all) : 0;
  const hi = all.length > 0 ? Math.max(...all) : 1;
  const below = axis.floor !== undefined && lo < axis.floor ? lo : null;
  if (axis.floor !== undefined && (lo > axis.floor || below !== null)) lo = axis.floor;
  let ticks = niceAxis(lo, hi);
  // Training steps are whole numbers: never ticks between them.
  if (axis.unit === 'step' && ticks.step < 1) ticks = niceAxis(lo, Math.max(hi, lo + 5));
  return below === null ? ticks : { ...ticks, domain: [below, ticks.domain[1]] };
}

/** A value as `axis` measures it, rounded to what the measurement supports (2 decimals; steps whole). */
export function formatValue(axis: Pick<ValueAxis, 'unit'>, value: number): string {
  if (axis.unit === 'step') return `k = ${Math.round(value)}`;
  return axis.unit === '%' ? `${value.toFixed(2)}%` : `${value.toFixed(2)} points`;
}

/** Style of a chart's legend above the plot: room under it for the upper half of the top tick label, so the two never touch. */
export const TOP_LEGEND_STYLE = { paddingBottom: 14, lineHeight: 1.3 } as const;
