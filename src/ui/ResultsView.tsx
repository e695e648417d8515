import { useShallow } from 'zustand/react/shallow';
import { encodeConfig } from '../core/experiments/link.ts';
import { ImpView } from './ImpView.tsx';
import { InstabilityView } from './InstabilityView.tsx';
import { useAppStore } from './store-context.tsx';

/** Says so when the form's settings are no longer those the results below came from, with a way back. */
function ResultsProvenance() {
  const runConfig = useAppStore((s) => s.run.config);
  const config = useAppStore((s) => s.config);
  const restore = useAppStore((s) => s.restoreRunSettings);
  if (!runConfig || encodeConfig(runConfig) === encodeConfig(config)) return null;
  return (
    <p className="notice" role="status" data-testid="results-provenance">
      The results below come from other settings than those in the form now (the charts follow the run&apos;s own settings).{' '}
      <button type="button" onClick={restore}>
        Put the run&apos;s settings back
      </button>
    </p>
  );
}

/**
 * The charts and tables of the current run (or, before a run, of the configuration). It reads
 * only the results, so the 10-per-second progress events do not redraw the charts.
 */
export function ResultsView() {
  const run = useAppStore(useShallow((s) => ({ pairs: s.run.pairs, accuracies: s.run.accuracies, summaries: s.run.summaries, traces: s.run.traces })));
  const config = useAppStore((s) => s.run.config ?? s.config);
  return (
    <section className="panel results" aria-label="Results">
      <ResultsProvenance />
      {config.experiment === 'imp' ? <ImpView run={run} config={config} /> : <InstabilityView run={run} config={config} />}
    </section>
  );
}
