import { triangleIndex, trianglePoints } from '../core/analysis/plane.ts';
import type { ExperimentConfig } from '../core/experiments/config.ts';
import type { PairResult } from '../core/records.ts';
import { ChartFrame } from './ChartFrame.tsx';
import { bnNote } from './kinds.ts';
import { drawnAt, errorColor, planeCells } from './plane-geometry.ts';

/** Drawn size of the triangle's side, in SVG units, and the margin around it for the labels. */
const SIDE = 300;
const MARGIN = 56;

/**
 * The test error over the triangle through the network at k and its two trained copies, as a
 * heatmap with the straight paths on its sides, and what it shows in words. Nothing for a pair
 * without a plane.
 */
export function PlaneChart({ pair, config }: { pair: PairResult; config: ExperimentConfig }) {
  if (!pair.plane) return null;
  const { grid, testErrors } = pair.plane;
  const n = grid - 1;
  const lo = Math.min(...testErrors);
  const hi = Math.max(...testErrors);
  const toSvg = (p: { x: number; y: number }) => ({ x: MARGIN + p.x * SIDE, y: MARGIN + (Math.sqrt(3) / 2 - p.y) * SIDE });
  const corner = (a: number, b: number) => toSvg(drawnAt(a, b));
  const [w0, w1, w2] = [corner(0, 0), corner(1, 0), corner(0, 1)];
  // 8 units out from the middle of the thick side, along its outward normal (√3⁄2, −½).
  const pathLabel = { x: (w1.x + w2.x) / 2 + 8 * (Math.sqrt(3) / 2), y: (w1.y + w2.y) / 2 - 8 / 2 };
  const errorAt = (i: number, j: number) => testErrors[triangleIndex(grid, i, j)] ?? Number.NaN;
  const pathErrors = Array.from({ length: grid }, (_, j) => errorAt(n - j, j));
  const ends = ((pathErrors[0] ?? 0) + (pathErrors.at(-1) ?? 0)) / 2;
  const width = SIDE + 2 * MARGIN + 70;
  const height = (Math.sqrt(3) / 2) * SIDE + 2 * MARGIN;
  const rows = trianglePoints(grid).map((p, i) => ({ a: p.a, b: p.b, testError: testErrors[i] ?? Number.NaN }));
  return (
    <ChartFrame
      title={`Test error over the triangle through the network at k = ${pair.k} and its two trained copies (init ${pair.init}, pair ${pair.pair})${bnNote(config)}`}
      testId="plane-chart"
      points={testErrors.length}
      rows={rows}
      name="error-plane"
      labels={{ a: 'a (toward copy 1)', b: 'b (toward copy 2)', testError: 'test error (%)' }}
    >
      <svg
        className="chart-surface plane"
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label="error over the triangle"
        style={{ maxWidth: width, width: '100%' }}
      >
        {planeCells(grid, testErrors).map((c, i) => {
          const pts = c.corners.map((p) => toSvg(p));
          return (
            <polygon
              key={i}
              points={pts.map((p) => `${p.x},${p.y}`).join(' ')}
              fill={errorColor(c.error, lo, hi)}
              stroke={errorColor(c.error, lo, hi)}
              strokeWidth={0.5}
            >
              <title>{`${c.error.toFixed(2)}% test error`}</title>
            </polygon>
          );
        })}
        <line x1={w1.x} y1={w1.y} x2={w2.x} y2={w2.y} stroke="currentColor" strokeWidth={3} />
        <line x1={w0.x} y1={w0.y} x2={w1.x} y2={w1.y} stroke="currentColor" strokeWidth={1} strokeDasharray="4 3" />
        <line x1={w0.x} y1={w0.y} x2={w2.x} y2={w2.y} stroke="currentColor" strokeWidth={1} strokeDasharray="4 3" />
        <text x={w0.x - 12} y={w0.y + 20} textAnchor="start" fill="currentColor" fontSize={13}>{`network at k (${errorAt(0, 0).toFixed(1)}%)`}</text>
        <text x={w1.x} y={w1.y + 20} textAnchor="middle" fill="currentColor" fontSize={13}>{`copy 1 (${errorAt(n, 0).toFixed(1)}%)`}</text>
        <text x={w2.x} y={w2.y - 10} textAnchor="middle" fill="currentColor" fontSize={13}>{`copy 2 (${errorAt(0, n).toFixed(1)}%)`}</text>
        {/* Along the thick side, outside the triangle: rotated to run down the side, its letters rise away from it. */}
        <text x={pathLabel.x} y={pathLabel.y} fill="currentColor" fontSize={12} transform={`rotate(60 ${pathLabel.x} ${pathLabel.y})`} textAnchor="middle">
          the linear path
        </text>
        {[0, 0.25, 0.5, 0.75, 1].map((t) => (
          <g key={t}>
            <rect x={width - 58} y={MARGIN + (1 - t) * 150} width={16} height={150 / 4 + 1} fill={errorColor(lo + t * (hi - lo), lo, hi)} />
            <text x={width - 38} y={MARGIN + (1 - t) * 150 + 4} fontSize={11} fill="currentColor">{`${(lo + t * (hi - lo)).toFixed(1)}%`}</text>
          </g>
        ))}
      </svg>
      <p className="chart-note" data-testid="plane-note">
        Each point of the triangle is a network mixed from three: the network at k, where the copies started (bottom left), and the two trained copies. The
        thick side is the straight path between the copies; along it the error rises to {Math.max(...pathErrors).toFixed(1)}% against {ends.toFixed(1)}% on
        average at its ends. <strong>What to look for:</strong> a bright (low-error) band joining the two copies means they sit in one valley, linearly
        connected; a dark ridge across the thick side is the barrier. The dashed sides go back to the starting point, which has not learned yet at k = 0. The
        paper measures only the thick side (Figures 2 and 3); the triangle shows the valley around it.
      </p>
    </ChartFrame>
  );
}
