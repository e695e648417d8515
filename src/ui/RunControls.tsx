import { MODEL_TITLE, usesCifar } from '../core/models/model.ts';
import { useEffect, useState } from 'react';
import { crossFieldProblems } from '../core/experiments/config.ts';
import { ResultsFiles } from './ResultsFiles.tsx';
import { ProgressLine } from './ProgressLine.tsx';
import { isBusy } from './run-state.ts';
import { describeEstimate, formatSeconds } from './duration-words.ts';
import { useLongRunConfirm } from './LongRunConfirm.tsx';
import { useAppStore } from './store-context.tsx';
import { estimateKey } from './store.ts';

import { currentLink } from './url-sync.ts';

/** Start / cancel, copy link, progress with ETA, backend badge and the run's messages. */
export function RunControls() {
  const run = useAppStore((s) => s.run);
  const config = useAppStore((s) => s.config);
  const start = useAppStore((s) => s.start);
  const cancel = useAppStore((s) => s.cancel);
  const dismissNotices = useAppStore((s) => s.dismissNotices);
  const [copied, setCopied] = useState<string | null>(null);
  const busy = isBusy(run.phase);
  const invalid = crossFieldProblems(config).length > 0;
  const cifar = useAppStore((s) => s.cifar);
  const noCifar = usesCifar(config.model) && (cifar.state === 'absent' || cifar.state === 'error');
  const key = estimateKey(config);
  const estimate = useAppStore((s) => s.estimates[key]);
  const requestEstimate = useAppStore((s) => s.requestEstimate);
  const seconds = estimate && 'seconds' in estimate ? estimate.seconds : null;
  // Ask the worker for the duration once the settings have stopped changing for a moment.
  useEffect(() => {
    if (busy || noCifar) return;
    const timer = setTimeout(() => requestEstimate(), 600);
    return () => clearTimeout(timer);
  }, [key, busy, noCifar, requestEstimate]);
  const { begin: startOrConfirm, dialog } = useLongRunConfirm(seconds, busy, start);
  const copy = async (): Promise<void> => {
    const link = currentLink();
    try {
      await navigator.clipboard.writeText(link);
      setCopied('Link copied.');
    } catch {
      setCopied(`Copy this link: ${link}`);
    }
  };
  return (
    <section className="panel run" aria-label="Run">
      <div className="buttons">
        <button
          type="button"
          data-testid="start"
          onClick={startOrConfirm}
          disabled={busy || invalid || noCifar}
          aria-describedby={noCifar ? 'start-blocked' : undefined}
        >
          Start
        </button>
        <button type="button" data-testid="cancel" onClick={cancel} disabled={!busy || run.phase === 'cancelling'}>
          Cancel
        </button>
        <button type="button" onClick={() => void copy()}>
          Copy link
        </button>
        {copied && <span className="copied">{copied}</span>}
      </div>
      {!busy && !noCifar && (
        <p className="estimate" data-testid="estimate">
          {describeEstimate(estimate)}
        </p>
      )}
      {dialog}
      {noCifar && !busy && (
        <p className="start-blocked" id="start-blocked" data-testid="start-blocked">
          Start waits for CIFAR-10: {MODEL_TITLE[config.model]} trains on it, and it is not in this browser yet. Drop or pick{' '}
          <code>cifar-10-binary.tar.gz</code> on the CIFAR-10 panel above (the “CIFAR-10 binary version” from{' '}
          <a href="https://www.cs.toronto.edu/~kriz/cifar.html" target="_blank" rel="noopener noreferrer">
            the CIFAR-10 page
          </a>
          ), or give a URL to a copy there. On a development server, <code>npm run data:cifar</code> prepares it; then reload.
        </p>
      )}
      <ResultsFiles />
      {run.backend && (
        <div className="backend" data-testid="backend" data-backend={run.backend.chosen}>
          <span className="badge">backend: {run.backend.chosen}</span>
          {run.backend.requested !== 'auto' && <span> (requested {run.backend.requested})</span>}
          {run.backend.notices.length > 0 && (
            // Compact: one line until opened, so the charts below do not move during a run.
            <details className="backend-details">
              <summary>
                how this run uses {run.backend.chosen} ({run.backend.notices.length} {run.backend.notices.length === 1 ? 'note' : 'notes'})
              </summary>
              <ul className="notices" data-testid="backend-notices">
                {run.backend.notices.map((n) => (
                  <li key={n}>{n}</li>
                ))}
              </ul>
            </details>
          )}
        </div>
      )}
      {run.notices.length > 0 && (
        <div className="run-notices">
          <ul className="notices" data-testid="run-notices">
            {run.notices.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
          <button type="button" onClick={dismissNotices}>
            Dismiss
          </button>
        </div>
      )}
      <ProgressLine run={run} config={config} />
      {run.runId?.startsWith('imported-') && run.results && (
        <p className="status" data-testid="stored-results">
          Showing stored results ({run.results.format === 'lmc-lab/imp' ? 'IMP' : 'instability analysis'}, run on {run.results.backend} in{' '}
          {formatSeconds(run.results.durationSeconds)}). The settings are theirs: press Start to run the same configuration yourself.
        </p>
      )}
      {run.statusMessage && (
        <p className="status" data-testid="status">
          {run.statusMessage}
        </p>
      )}
      {run.phase === 'done' && run.results && !run.runId?.startsWith('imported-') && (
        <p className="status" data-testid="done">
          Finished in {formatSeconds(run.results.durationSeconds)} on {run.results.backend}.
        </p>
      )}
      {run.error && (
        <p className="error" role="alert" data-testid="run-error">
          The run stopped: {run.error}. Results so far are kept below.
        </p>
      )}
    </section>
  );
}
