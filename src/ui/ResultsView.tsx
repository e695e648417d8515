import { ImpView } from './ImpView.tsx';
import { InstabilityView } from './InstabilityView.tsx';
import { useAppStore } from './store.ts';

/** The charts and tables of the current run (or, before a run, of the configuration). */
export function ResultsView() {
  const run = useAppStore((s) => s.run);
  const config = useAppStore((s) => s.run.results?.config ?? s.config);
  return (
    <section className="panel results" aria-label="Results">
      {config.experiment === 'imp' ? <ImpView run={run} config={config} /> : <InstabilityView run={run} config={config} />}
    </section>
  );
}
