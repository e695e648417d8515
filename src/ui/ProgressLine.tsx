import type { ExperimentConfig } from '../core/experiments/config.ts';
import { formatSeconds } from './duration-words.ts';
import { describeProgress } from './progress-words.ts';
import { type RunState, progressContext } from './run-state.ts';

/** A run's progress bar and its line in words (what is training, loss, elapsed, time left); nothing before the first progress. */
export function ProgressLine({ run, config }: { run: RunState; config: ExperimentConfig }) {
  const p = run.progress;
  if (!p) return null;
  return (
    <div className="progress" data-testid="progress">
      <progress max={1} value={p.fractionDone} />
      <span data-testid="progress-words">
        {(p.fractionDone * 100).toFixed(1)}% · {describeProgress(p, run.config ?? config, progressContext(run))}
        {p.loss !== undefined && ` · loss ${p.loss.toFixed(3)}`} · {formatSeconds(p.elapsedSeconds)} elapsed · about {formatSeconds(p.etaSeconds)} left
      </span>
    </div>
  );
}
