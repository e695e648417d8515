import { useEffect, useState } from 'react';
import type { ExperimentConfig } from '../../core/experiments/config.ts';
import type { ExperimentResults } from '../../core/experiments/results.ts';
import { type DemoName, fetchDemo } from '../demos.ts';
import { type RunState, runFromResults } from '../run-state.ts';

/** A bundled demo as a chapter draws it: loading, its finished run, or why it could not be read. */
export type DemoState =
  | { readonly state: 'loading' }
  | { readonly state: 'ready'; readonly run: RunState; readonly config: ExperimentConfig; readonly results: ExperimentResults }
  | { readonly state: 'error'; readonly message: string };

/** Loads a bundled demo (from this app's origin, checked like any results file) for a chapter's figure. */
export function useDemo(name: DemoName): DemoState {
  const [state, setState] = useState<DemoState>({ state: 'loading' });
  useEffect(() => {
    let live = true;
    fetchDemo(name).then(
      (results) => live && setState({ state: 'ready', run: runFromResults(results), config: results.config, results }),
      (error: unknown) => live && setState({ state: 'error', message: (error as Error).message }),
    );
    return () => {
      live = false;
    };
  }, [name]);
  return state;
}
