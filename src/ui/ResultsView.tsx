import { useState } from 'react';
import { sortedRewindSteps } from '../core/experiments/config.ts';
import type { PairResult } from '../core/experiments/results.ts';
import { InstabilityChart } from './InstabilityChart.tsx';
import { PathChart } from './PathChart.tsx';
import { useAppStore } from './store.ts';

/** The path chart for a chosen k, the instability chart and a table of per-k verdicts. */
export function ResultsView() {
  const run = useAppStore((s) => s.run);
  const config = useAppStore((s) => s.run.results?.config ?? s.config);
  const [chosenK, setChosenK] = useState<number | null>(null);
  const pairs = Object.values(run.pairs);
  const ks = sortedRewindSteps(config);
  const latestK = pairs.length > 0 ? Math.max(...pairs.map((p) => p.k)) : (ks[0] ?? 0);
  const k = chosenK !== null && ks.includes(chosenK) ? chosenK : latestK;
  const finished = pairs.flatMap((p) => (p.result ? [p.result] : [])) satisfies PairResult[];
  return (
    <section className="panel results" aria-label="Results">
      <div className="k-picker">
        Path for k ={' '}
        {ks.map((value) => (
          <button key={value} type="button" aria-pressed={value === k} onClick={() => setChosenK(value)}>
            {value}
          </button>
        ))}
        {chosenK !== null && (
          <button type="button" onClick={() => setChosenK(null)}>
            follow latest
          </button>
        )}
      </div>
      <PathChart pairs={pairs.filter((p) => p.k === k)} alphaCount={config.alphas} k={k} />
      <InstabilityChart summaries={run.summaries} pairs={finished} ks={ks} />
      <table className="summary" data-testid="summary-table">
        <thead>
          <tr>
            <th>k</th>
            <th>test instability (points)</th>
            <th>train instability (points)</th>
            <th>pairs</th>
            <th>verdict</th>
          </tr>
        </thead>
        <tbody>
          {run.summaries.map((s) => (
            <tr key={s.k} data-k={s.k}>
              <td>{s.k}</td>
              <td data-testid={`barrier-${s.k}`}>
                {s.test.mean.toFixed(2)} ± {s.test.std.toFixed(2)}
              </td>
              <td>{s.train ? `${s.train.mean.toFixed(2)} ± ${s.train.std.toFixed(2)}` : '—'}</td>
              <td>{s.test.n}</td>
              <td className={s.stable ? 'stable' : 'unstable'}>{s.stable ? 'stable' : 'unstable'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
