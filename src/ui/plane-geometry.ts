import { triangleIndex } from '../core/analysis/plane.ts';

/** A point of the drawn triangle, in the unit frame: W₀ at (0, 0), W₁ at (1, 0), W₂ at (½, √3⁄2). */
export interface DrawnPoint {
  readonly x: number;
  readonly y: number;
}

/** Where (a, b) of the triangle is drawn: an equilateral triangle, so both copies are as far from W₀. */
export function drawnAt(a: number, b: number): DrawnPoint {
  return { x: a + b / 2, y: (b * Math.sqrt(3)) / 2 };
}

/** One cell of the drawn heatmap: its three corners (unit frame) and the mean error of the measured points at them. */
export interface PlaneCell {
  readonly corners: readonly [DrawnPoint, DrawnPoint, DrawnPoint];
  readonly error: number;
}

/**
 * The heatmap's cells for a plane measured at `grid` points per side: the lattice's upward
 * triangles (i, j), (i + 1, j), (i, j + 1) and downward ones (i + 1, j), (i, j + 1), (i + 1, j + 1),
 * each coloured by the mean of its three corners' test errors.
 */
export function planeCells(grid: number, testErrors: readonly number[]): PlaneCell[] {
  const n = grid - 1;
  const at = (i: number, j: number) => ({ point: drawnAt(i / n, j / n), error: testErrors[triangleIndex(grid, i, j)] ?? Number.NaN });
  const cell = (corners: ReturnType<typeof at>[]): PlaneCell => ({
    corners: corners.map((c) => c.point) as unknown as [DrawnPoint, DrawnPoint, DrawnPoint],
    error: corners.reduce((s, c) => s + c.error, 0) / corners.length,
  });
  const cells: PlaneCell[] = [];
  for (let i = 0; i < n; i++)
    for (let j = 0; i + j < n; j++) {
      cells.push(cell([at(i, j), at(i + 1, j), at(i, j + 1)]));
      if (i + j < n - 1) cells.push(cell([at(i + 1, j), at(i, j + 1), at(i + 1, j + 1)]));
    }
  return cells;
}

/** Stops of a perceptually even, colour-blind-safe sequential scale (viridis), low to high. */
const VIRIDIS = ['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725'] as const;

/** The colour of `value` on [lo, hi]: high errors dark, low errors bright (viridis reversed), hex. */
export function errorColor(value: number, lo: number, hi: number): string {
  const t = hi > lo ? Math.min(1, Math.max(0, (value - lo) / (hi - lo))) : 0;
  const stops = [...VIRIDIS].reverse();
  const pos = t * (stops.length - 1);
  const k = Math.min(stops.length - 2, Math.floor(pos));
  const mix = (from: string, to: string, f: number) =>
    [1, 3, 5]
      .map((o) => Math.round(parseInt(from.slice(o, o + 2), 16) * (1 - f) + parseInt(to.slice(o, o + 2), 16) * f))
      .map((v) => v.toString(16).padStart(2, '0'))
      .join('');
  return `#${mix(stops[k] ?? '#000000', stops[k + 1] ?? '#000000', pos - k)}`;
}
