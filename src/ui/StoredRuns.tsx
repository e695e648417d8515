import { useEffect, useState } from 'react';
import type { ExperimentConfig } from '../core/experiments/config.ts';
import { liveRunIds } from '../protocol/run-locks.ts';
import type { StoredRunSummary } from '../protocol/stored-runs.ts';
import { isBusy } from './run-state.ts';
import { useAppStore, useAppStoreApi } from './store-context.tsx';

/** A run's settings in a few words. */
export function describeConfig(c: ExperimentConfig): string {
  const what = c.experiment === 'imp' ? `IMP, ${c.pruneRounds} rounds` : 'instability';
  return `${what} · ${c.model} · T=${c.trainingSteps} · k=${c.rewindSteps.join(',')} · ${c.inits}×${c.pairsPerInit} pairs`;
}

function status(run: StoredRunSummary, current: boolean, elsewhere: boolean): string {
  if (run.status === 'running') return current ? 'running' : elsewhere ? 'running in another tab' : 'interrupted';
  return run.status;
}

/** The runs some other tab is running now, looked up again every few seconds while any run reads as running. */
function useRunsLiveElsewhere(runs: readonly StoredRunSummary[], refreshRuns: () => void): Set<string> {
  const [live, setLive] = useState<Set<string>>(new Set());
  const anyRunning = runs.some((r) => r.status === 'running');
  useEffect(() => {
    let stopped = false;
    const look = (): void =>
      void liveRunIds().then(
        (ids) => !stopped && setLive(ids),
        () => undefined,
      );
    look();
    if (!anyRunning) return () => void (stopped = true);
    const timer = setInterval(() => {
      refreshRuns();
      look();
    }, 3000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [runs, anyRunning, refreshRuns]);
  return live;
}

/**
 * The runs stored in this browser: unfinished ones (interrupted by a reload or a crash,
 * cancelled, failed) can be resumed from their last checkpoint, any can be opened or deleted.
 */
export function StoredRuns() {
  const runs = useAppStore((s) => s.storedRuns);
  const message = useAppStore((s) => s.storageMessage);
  const current = useAppStore((s) => s.run);
  const compared = useAppStore((s) => s.comparison);
  const { refreshRuns, resume, openRun, deleteRun, toggleCompare } = useAppStoreApi().getState();
  useEffect(() => refreshRuns(), [refreshRuns]);
  const live = useRunsLiveElsewhere(runs, refreshRuns);
  const busy = isBusy(current.phase);
  if (runs.length === 0 && !message) return null;
  return (
    <section className="panel stored-runs" aria-label="Saved runs" data-testid="stored-runs">
      <h2>Saved runs</h2>
      {message && (
        <p className="error" role="alert" data-testid="storage-message">
          {message}
        </p>
      )}
      <table className="summary">
        <thead>
          <tr>
            <th>started</th>
            <th>settings</th>
            <th>status</th>
            <th>done</th>
            <th>pairs</th>
            <th>stored</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => {
            const running = busy && current.runId === r.id;
            const elsewhere = !running && live.has(r.id);
            const state = status(r, running, elsewhere);
            return (
              <tr key={r.id} data-testid={`stored-run-${r.id}`} data-status={state}>
                <td>{new Date(r.createdAt).toLocaleString()}</td>
                <td>{describeConfig(r.config)}</td>
                <td className={state === 'failed' ? 'error' : undefined} title={r.error}>
                  {state}
                  {r.backend ? ` (${r.backend})` : ''}
                </td>
                <td>{Math.round(100 * r.fractionDone)}%</td>
                <td>{r.pairs}</td>
                <td>{r.checkpointBytes > 0 ? `${(r.checkpointBytes / 2 ** 20).toFixed(1)} MB` : '—'}</td>
                <td className="buttons">
                  {r.status !== 'done' && (
                    <button
                      type="button"
                      data-testid="resume"
                      disabled={busy || elsewhere || r.checkpointBytes === 0}
                      title={
                        elsewhere
                          ? 'running in another tab of this browser'
                          : r.checkpointBytes === 0
                            ? 'no checkpoint yet: it stopped before its first pair finished'
                            : undefined
                      }
                      onClick={() => resume(r)}
                    >
                      Resume
                    </button>
                  )}
                  <button type="button" data-testid="open" disabled={busy} onClick={() => openRun(r.id)}>
                    Open
                  </button>
                  {r.status === 'done' && (
                    <button type="button" data-testid="compare" aria-pressed={compared.some((c) => c.id === r.id)} onClick={() => toggleCompare(r)}>
                      Compare
                    </button>
                  )}
                  <button type="button" data-testid="delete" disabled={running || elsewhere} onClick={() => deleteRun(r.id)}>
                    Delete
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
