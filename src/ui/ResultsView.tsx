import { useShallow } from 'zustand/react/shallow';
import { ImpView } from './ImpView.tsx';
import { InstabilityView } from './InstabilityView.tsx';
import { useAppStore } from './store.ts';

/**
 * The charts and tables of the current run (or, before a run, of the configuration). It reads
 * only the results, so the 10-per-second progress events do not redraw the charts.
 */
export function ResultsView() {
  const run = useAppStore(useShallow((s) => ({ pairs: s.run.pairs, accuracies: s.run.accuracies, summaries: s.run.summaries })));
  const config = useAppStore((s) => s.run.results?.config ?? s.config);
  return (
    <section className="panel results" aria-label="Results">
      {config.experiment === 'imp' ? <ImpView run={run} config={config} /> : <InstabilityView run={run} config={config} />}
    </section>
  );
}
