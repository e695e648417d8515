import { type ReactNode, useRef } from 'react';
import { downloadBlob, rowsToCsv, svgDocument, svgToPng } from './chart-export.ts';

/** A chart's figure: caption, the chart, and CSV / SVG / PNG export of what it shows. */
export function ChartFrame({
  title,
  testId,
  points,
  rows,
  name,
  children,
}: {
  title: ReactNode;
  testId: string;
  points: number;
  rows: readonly Record<string, unknown>[];
  name: string;
  children: ReactNode;
}) {
  const ref = useRef<HTMLElement>(null);
  const svg = (): SVGSVGElement | null => ref.current?.querySelector('svg.recharts-surface') ?? null;
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
    </figure>
  );
}
