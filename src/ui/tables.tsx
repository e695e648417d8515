import { useState } from 'react';
import type { KSummary, MeanStd, PairResult, Table2Row } from '../core/records.ts';
import { KIND_LABEL, formatDensity } from './kinds.ts';

/** Mean ± std; a single sample says n = 1 instead of claiming no spread. */
const pm = (m: MeanStd): string => (m.n === 1 ? `${m.mean.toFixed(2)} (n = 1)` : `${m.mean.toFixed(2)} ± ${m.std.toFixed(2)}`);

/** Instability per (kind, level, k) with the stable verdict. */
export function SummaryTable({ summaries, showSubnet }: { summaries: readonly KSummary[]; showSubnet: boolean }) {
  return (
    <table className="summary" data-testid="summary-table">
      <thead>
        <tr>
          {showSubnet && <th>network</th>}
          {showSubnet && <th>density</th>}
          <th>k</th>
          <th>test instability (points)</th>
          <th>train instability (points)</th>
          <th>pairs</th>
          <th>verdict</th>
        </tr>
      </thead>
      <tbody>
        {summaries.map((s) => (
          <tr key={`${s.kind}/${s.level}/${s.k}`}>
            {showSubnet && <td>{KIND_LABEL[s.kind]}</td>}
            {showSubnet && <td>{formatDensity(s.density)}</td>}
            <td>{s.k}</td>
            <td data-testid={`barrier-${s.kind}-${s.level}-${s.k}`}>{pm(s.test)}</td>
            <td>{s.train ? pm(s.train) : '—'}</td>
            <td>{s.test.n}</td>
            <td className={s.stable ? 'stable' : 'unstable'}>{s.stable ? 'stable' : 'unstable'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const acc = (v: number | null): string => (v === null ? '—' : v.toFixed(1));

/** Table 2: full, IMP and baseline accuracies per density and k, Δ and the matching verdict. */
export function Table2({ rows }: { rows: readonly Table2Row[] }) {
  return (
    <table className="summary" data-testid="table2">
      <caption>Test accuracy (%) of the trained networks, means over initialisations (paper Table 2)</caption>
      <thead>
        <tr>
          <th>density</th>
          <th>k</th>
          <th>full</th>
          <th>IMP</th>
          <th>random prune</th>
          <th>random reinit</th>
          <th>Δ IMP</th>
          <th>matching?</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.level}/${r.k}`} data-level={r.level}>
            <td>{formatDensity(r.density)}</td>
            <td>{r.k}</td>
            <td>{acc(r.full)}</td>
            <td>{acc(r.imp)}</td>
            <td>{acc(r.randomPrune)}</td>
            <td>{acc(r.randomReinit)}</td>
            <td>{r.delta.toFixed(1)}</td>
            <td className={r.matching ? 'stable' : 'unstable'}>{r.matching ? 'Y' : 'N'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Appendix G's distances between the copies of every finished pair, behind a toggle. */
export function DistanceTable({ pairs }: { pairs: readonly PairResult[] }) {
  const [open, setOpen] = useState(false);
  if (pairs.length === 0) return null;
  return (
    <div className="distances">
      <button type="button" onClick={() => setOpen(!open)} aria-expanded={open}>
        {open ? 'Hide' : 'Show'} distances between the copies (Appendix G)
      </button>
      {open && (
        <table className="summary" data-testid="distances">
          <caption>
            Other ways to compare the two trained copies of each pair (paper Appendix G). Distances are Euclidean norms over all weights (weight units):{' '}
            <strong>L2</strong> between the copies; <strong>cosine</strong> = 1 − cos of the angle between them (0: same direction);{' '}
            <strong>‖W_k − W_0‖</strong>, how far training moved before the copies split; <strong>‖W_T − W_k‖</strong>, how far each copy moved after (mean of
            the two). <strong>Classified differently</strong>: test images the copies label differently (of those evaluated). <strong>Loss L2</strong>: distance
            between the copies&apos; per-image test losses (nats). Stable pairs end close together by every measure.
          </caption>
          <thead>
            <tr>
              <th>network</th>
              <th>density</th>
              <th>k</th>
              <th>init.pair</th>
              <th>L2</th>
              <th>cosine</th>
              <th>‖W_k − W_0‖</th>
              <th>‖W_T − W_k‖</th>
              <th>classified differently (images)</th>
              <th>loss L2 (nats)</th>
            </tr>
          </thead>
          <tbody>
            {pairs.map((p) => (
              <tr key={`${p.kind}/${p.level}/${p.k}/${p.init}/${p.pair}`}>
                <td>{KIND_LABEL[p.kind]}</td>
                <td>{formatDensity(p.density)}</td>
                <td>{p.k}</td>
                <td>
                  {p.init}.{p.pair}
                </td>
                <td>{p.distances.l2.toFixed(3)}</td>
                <td>{p.distances.cosine.toFixed(4)}</td>
                <td>{p.distances.initToK.toFixed(3)}</td>
                <td>{p.distances.kToT.toFixed(3)}</td>
                <td>{p.distances.classifiedDifferently}</td>
                <td>{p.distances.lossL2.toFixed(3)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
