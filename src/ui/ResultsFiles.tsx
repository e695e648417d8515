import { useState } from 'react';
import { MAX_RESULTS_CHARS, parseResultsFile } from '../core/experiments/results-file.ts';
import { downloadBlob } from './chart-export.ts';
import type { ExperimentResults } from '../core/experiments/results.ts';
import { isBusy } from './run-state.ts';
import { useAppStore } from './store-context.tsx';
import { resultsLink } from './url-sync.ts';

/** Export the finished run's results JSON (the CLI's format); import one to view it without training. */
export function ResultsFiles() {
  const results = useAppStore((s) => s.run.results);
  const busy = useAppStore((s) => isBusy(s.run.phase));
  const showResults = useAppStore((s) => s.showResults);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const copyResultsLink = async (r: ExperimentResults): Promise<void> => {
    const link = await resultsLink(r);
    if (link === null) {
      setMessage({ text: 'These results are too large to travel in a link: export the JSON and share the file instead.', error: true });
      return;
    }
    try {
      await navigator.clipboard.writeText(link);
      setMessage({ text: `Link copied (${link.length.toLocaleString()} characters): it opens these results without training.`, error: false });
    } catch {
      setMessage({ text: `Copy this link: ${link}`, error: false });
    }
  };
  const importFile = async (file: File | undefined): Promise<void> => {
    if (!file) return;
    try {
      if (file.size > MAX_RESULTS_CHARS)
        throw new Error(
          `${file.name}: ${(file.size / 1e6).toFixed(0)} MB is larger than any results file LMC Lab writes (${MAX_RESULTS_CHARS / 1e6} MB at most)`,
        );
      const parsed = parseResultsFile(await file.text(), file.name);
      showResults(parsed);
      setMessage({ text: `Showing ${file.name} (${parsed.pairs.length} pairs, run on ${parsed.backend}).`, error: false });
    } catch (error) {
      setMessage({ text: (error as Error).message, error: true });
    }
  };
  return (
    <div className="buttons results-files">
      <button
        type="button"
        disabled={!results}
        onClick={() =>
          results &&
          downloadBlob(
            `lmc-lab-${results.format.split('/')[1]}-${results.startedAt.slice(0, 19).replaceAll(':', '')}.json`,
            new Blob([`${JSON.stringify(results, null, 2)}\n`], { type: 'application/json' }),
          )
        }
      >
        Export results (JSON)
      </button>
      <button type="button" disabled={!results} data-testid="copy-results-link" onClick={() => results && void copyResultsLink(results)}>
        Copy link with results
      </button>
      <label className="file">
        Import results…
        <input
          type="file"
          accept=".json,application/json"
          disabled={busy}
          data-testid="import-results"
          onChange={(e) => void importFile(e.target.files?.[0])}
        />
      </label>
      {message && (
        <span className={message.error ? 'error' : 'copied'} role={message.error ? 'alert' : 'status'} data-testid="import-message">
          {message.text}
        </span>
      )}
    </div>
  );
}
