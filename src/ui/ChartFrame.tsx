import { type ReactNode, useRef } from 'react';
import { downloadBlob, rowsToCsv, svgDocument, svgToPng } from './chart-export.ts';

/** A chart's figure: caption, the chart, and CSV / SVG / PNG export of what it shows. */
export function ChartFrame({
  title,
  testId,
  points,
  rows,
  name,
  labels = {},
  formats = {},
  children,
}: {
  title: ReactNode;
  testId: string;
  points: number;
  rows: readonly Record<string, unknown>[];
  name: string;
  /** Column headings of the numbers table, by row key (keys without one are shown as they are). */
  labels?: Readonly<Record<string, string>>;
  /** How to write a column's values (an axis stored transformed, e.g. k on a log scale). */
  formats?: Readonly<Record<string, (value: number) => string>>;
  children: ReactNode;
}) {
  const ref = useRef<HTMLElement>(null);
  const svg = (): SVGSVGElement | null => ref.current?.querySelector('svg.recharts-surface, svg.chart-surface') ?? null;
  const exportSvg = (): void => {
    const el = svg();
    if (el) downloadBlob(`${name}.svg`, new Blob([svgDocument(el)], { type: 'image/svg+xml' }));
  };
  const exportPng = async (): Promise<void> => {
    const el = svg();
    if (!el) return;
    const { width, height } = el.getBoundingClientRect();
    downloadBlob(`${name}.png`, await svgToPng(svgDocument(el), width, height));
  };
  return (
    <figure className="chart" data-testid={testId} data-points={points} ref={ref}>
      <figcaption>
        {title}
        <span className="chart-export">
          <button type="button" onClick={() => downloadBlob(`${name}.csv`, new Blob([rowsToCsv(rows)], { type: 'text/csv' }))} disabled={rows.length === 0}>
            CSV
          </button>
          <button type="button" onClick={exportSvg}>
            SVG
          </button>
          <button type="button" onClick={() => void exportPng()}>
            PNG
          </button>
        </span>
      </figcaption>
      {children}
      <NumbersTable rows={rows} labels={labels} formats={formats} />
    </figure>
  );
}

/** A number as the table shows it: two decimals, a [low, high] pair as a range. */
function cell(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(2);
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'number' ? x.toFixed(2) : '')).join(' – ');
  return v === undefined || v === null ? '' : String(v);
}

/** The chart's numbers as a table, folded under the chart: its text alternative for screen readers and keyboards. */
function NumbersTable({
  rows,
  labels,
  formats,
}: {
  rows: readonly Record<string, unknown>[];
  labels: Readonly<Record<string, string>>;
  formats: Readonly<Record<string, (value: number) => string>>;
}) {
  if (rows.length === 0) return null;
  const keys: string[] = [];
  for (const row of rows) for (const k of Object.keys(row)) if (!keys.includes(k)) keys.push(k);
  return (
    <details className="chart-numbers">
      <summary>The numbers in this chart</summary>
      <table className="summary">
        <thead>
          <tr>
            {keys.map((k) => (
              <th key={k} scope="col">
                {labels[k] ?? k}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              {keys.map((k) => (
                <td key={k}>{typeof row[k] === 'number' && formats[k] ? formats[k](row[k]) : cell(row[k])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
