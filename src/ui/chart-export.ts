/** Rows of chart data as CSV: one column per key seen in any row, `[lo, hi]` pairs as two columns. */
export function rowsToCsv(rows: readonly Record<string, unknown>[]): string {
  const keys: string[] = [];
  for (const row of rows) for (const k of Object.keys(row)) if (!keys.includes(k)) keys.push(k);
  const columns = keys.flatMap((k) => (rows.some((r) => Array.isArray(r[k])) ? [`${k}:low`, `${k}:high`] : [k]));
  const cell = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'number' ? String(v) : `"${String(v).replaceAll('"', '""')}"`);
  const lines = rows.map((r) =>
    keys
      .flatMap((k) => {
        const v = r[k];
        if (rows.some((x) => Array.isArray(x[k]))) return Array.isArray(v) ? [cell(v[0]), cell(v[1])] : ['', ''];
        return [cell(v)];
      })
      .join(','),
  );
  return [columns.map((c) => cell(c)).join(','), ...lines].join('\n') + '\n';
}

/** Offers `blob` as a download named `name`. */
export function downloadBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The chart's SVG as a standalone document (white background, explicit size). */
export function svgDocument(svg: SVGSVGElement): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const { width, height } = svg.getBoundingClientRect();
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  clone.insertAdjacentHTML('afterbegin', `<rect width="100%" height="100%" fill="#fff"/>`);
  return new XMLSerializer().serializeToString(clone);
}

/** Renders an SVG document to a PNG blob at twice its size. */
export async function svgToPng(svgText: string, width: number, height: number): Promise<Blob> {
  const image = new Image();
  const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
  try {
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('the chart could not be rendered as an image'));
      image.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = width * 2;
    canvas.height = height * 2;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas to draw the chart on');
    ctx.scale(2, 2);
    ctx.drawImage(image, 0, 0);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}
