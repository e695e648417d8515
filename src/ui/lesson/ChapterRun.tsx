import { MODEL_TITLE, usesCifar } from '../../core/models/model.ts';
import { type ReactNode, useEffect } from 'react';
import { type ExperimentConfig } from '../../core/experiments/config.ts';
import { PRESETS, type PresetName } from '../../core/experiments/presets.ts';
import { PRESET_INFO, matchesPreset, trainingStepsOf } from '../../core/experiments/preset-info.ts';
import { describeEstimate } from '../duration-words.ts';
import { useLongRunConfirm } from '../LongRunConfirm.tsx';
import { ProgressLine } from '../ProgressLine.tsx';
import { type RunState, isBusy } from '../run-state.ts';
import { useAppStore } from '../store-context.tsx';
import { estimateKey } from '../store.ts';
import { labHash } from '../url-sync.ts';

/** True when the store's current run is a run of `preset` started here (not bundled or imported results). */
function isRunOf(run: RunState, preset: PresetName): boolean {
  return run.runId !== null && !run.runId.startsWith('imported-') && run.config !== null && matchesPreset(run.config, preset);
}

/**
 * A chapter's "Run it yourself": the preset in words with its cost, the duration estimated on this
 * device before anything starts, the button, the run's progress and figure as it streams, and
 * "Open in the lab" with the same settings.
 */
export function ChapterRun({ preset, figure }: { preset: PresetName; figure: (run: RunState, config: ExperimentConfig) => ReactNode }) {
  const config = PRESETS[preset];
  const key = estimateKey(config);
  const estimate = useAppStore((s) => s.estimates[key]);
  const requestEstimate = useAppStore((s) => s.requestEstimate);
  const startPreset = useAppStore((s) => s.startPreset);
  const cancel = useAppStore((s) => s.cancel);
  const run = useAppStore((s) => s.run);
  const cifar = useAppStore((s) => s.cifar.state);
  const busy = isBusy(run.phase);
  const mine = isRunOf(run, preset);
  // As the lab's Start: blocked while CIFAR-10 is known to be missing.
  const noCifar = usesCifar(config.model) && (cifar === 'absent' || cifar === 'error');
  useEffect(() => {
    if (!busy && !noCifar) requestEstimate(config);
  }, [busy, noCifar, config, requestEstimate]);
  const seconds = estimate && 'seconds' in estimate ? estimate.seconds : null;
  const { begin, dialog } = useLongRunConfirm(seconds, busy, () => startPreset(preset));
  const info = PRESET_INFO[preset];
  return (
    <div className="chapter-run" data-testid={`run-${preset}`}>
      <h3>Run it yourself</h3>
      <p>
        <strong>{info.title}</strong> (preset <code>{preset}</code>): {info.description} Its work: {trainingStepsOf(config).toLocaleString('en-US')} training
        steps.
      </p>
      <p className="estimate" data-testid="chapter-estimate">
        {noCifar
          ? `${MODEL_TITLE[config.model]} trains on CIFAR-10, which is not in this browser yet: load it in the lab (“Open in the lab” below), then come back for the estimate.`
          : describeEstimate(estimate)}
      </p>
      <div className="buttons">
        <button type="button" data-testid="run-yourself" onClick={begin} disabled={busy || noCifar}>
          Run it yourself
        </button>
        {mine && busy && (
          <button type="button" onClick={cancel} disabled={run.phase === 'cancelling'}>
            Cancel
          </button>
        )}
        <a href={labHash(config, preset)} data-testid="open-in-lab">
          Open in the lab
        </a>
        {busy && !mine && <span className="muted">Another run is in progress; it can be watched or cancelled in the lab.</span>}
      </div>
      {dialog}
      {mine && (
        <div className="your-run" data-testid="your-run">
          <ProgressLine run={run} config={config} />
          {run.phase === 'done' && <p className="status">Your run finished: its numbers are below, beside the bundled run’s.</p>}
          {run.error && (
            <p className="error" role="alert">
              The run stopped: {run.error}. Results so far are kept.
            </p>
          )}
          {figure(run, config)}
        </div>
      )}
    </div>
  );
}
