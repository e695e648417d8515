import type { SubnetKind } from '../core/records.ts';

/** Colour of each network class on every chart (the paper's: IMP blue, random pruning orange, reinit green). */
export const KIND_COLOR: Record<SubnetKind, string> = {
  dense: '#d62728',
  imp: '#1f77b4',
  'random-prune': '#ff7f0e',
  'random-reinit': '#2ca02c',
};

/** Human name of each network class. */
export const KIND_LABEL: Record<SubnetKind, string> = {
  dense: 'full network',
  imp: 'IMP',
  'random-prune': 'random pruning',
  'random-reinit': 'random reinit',
};

/** Colour of train-set curves. */
export const TRAIN_COLOR = '#7b3fb5';

/** A density (0–1) as a percentage of weights remaining, e.g. "3.5%". */
export function formatDensity(density: number): string {
  const pct = 100 * density;
  return `${pct >= 10 ? pct.toFixed(1) : pct.toPrecision(2)}%`;
}

/** How BatchNorm statistics were set along the path, for chart titles (empty without BatchNorm). */
export function bnNote(config: { model: string; bnMode: 'interpolate' | 'recompute'; bnBatches: number }): string {
  if (config.model !== 'resnet-20') return '';
  return config.bnMode === 'interpolate' ? ' · BatchNorm statistics interpolated' : ` · BatchNorm statistics recomputed from ${config.bnBatches} batches`;
}
