import type { ReactNode } from 'react';
import type { DemoName } from '../demos.ts';
import type { RunState } from '../run-state.ts';
import type { ExperimentConfig } from '../../core/experiments/config.ts';
import { useDemo } from './use-demo.ts';

/** One chapter: its number and title, the words beside the figure (side by side where the screen is wide), then what follows. */
export function ChapterFrame({
  id,
  number,
  title,
  prose,
  figure,
  after,
}: {
  id: string;
  number: number;
  title: string;
  prose: ReactNode;
  figure: ReactNode;
  after?: ReactNode;
}) {
  return (
    <section className="lesson-chapter" id={id} aria-labelledby={`${id}-title`} data-testid={`chapter-${number}`}>
      <h2 id={`${id}-title`}>
        <span className="chapter-number">{number}</span> {title}
      </h2>
      <div className="chapter-body">
        <div className="chapter-prose" data-testid="chapter-prose">
          {prose}
        </div>
        <div className="chapter-figure" data-testid="chapter-figure">
          {figure}
        </div>
      </div>
      {after}
    </section>
  );
}

/** Draws a bundled demo once it has loaded; says so while it loads and why when it cannot be read. */
export function DemoFigure({ name, children }: { name: DemoName; children: (run: RunState, config: ExperimentConfig) => ReactNode }) {
  const demo = useDemo(name);
  if (demo.state === 'loading') return <p className="muted">Loading the bundled run…</p>;
  if (demo.state === 'error')
    return (
      <p className="error" role="alert">
        The bundled run could not be shown: {demo.message}
      </p>
    );
  return <div data-testid={`demo-${name}`}>{children(demo.run, demo.config)}</div>;
}

/** One finding: what the paper reports (and where) beside what a run here measured. */
export interface Finding {
  readonly what: string;
  readonly paper: string;
  readonly source: string;
  readonly ours: string;
}

/** The paper's numbers beside the bundled run's, one row per finding. */
export function PaperVsRun({ rows, oursLabel = 'the bundled run here' }: { rows: readonly Finding[]; oursLabel?: string }) {
  return (
    <table className="paper-vs-run" data-testid="paper-vs-run">
      <caption>The paper’s finding beside {oursLabel}</caption>
      <thead>
        <tr>
          <th scope="col">what</th>
          <th scope="col">the paper</th>
          <th scope="col">{oursLabel}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.what}>
            <th scope="row">{r.what}</th>
            <td>
              {r.paper} <span className="muted">({r.source})</span>
            </td>
            <td>{r.ours}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
