import { type ModelName, usesCifar } from '../core/models/model.ts';
import type { SubnetKind } from '../core/records.ts';

/**
 * The one palette of every chart (Okabe–Ito, told apart with any colour vision): one meaning per
 * colour. Test error vermillion, train error reddish purple, the full network in the text colour (its band),
 * and the subnetworks as the paper draws them: IMP blue, random pruning orange, random reinit
 * bluish green. Lines also differ by dash, so colour is never the only cue.
 */
export const PALETTE = {
  test: '#D55E00',
  train: '#CC79A7',
  /** The page's text colour, so it reads in light and dark schemes. */
  full: 'currentColor',
  imp: '#0072B2',
  randomPrune: '#E69F00',
  randomReinit: '#009E73',
  /** Reference lines (the 2-point stability threshold). */
  reference: '#888888',
} as const;

/** Colour of each network class (the dense network's curves are test error curves). */
export const KIND_COLOR: Record<SubnetKind, string> = {
  dense: PALETTE.test,
  imp: PALETTE.imp,
  'random-prune': PALETTE.randomPrune,
  'random-reinit': PALETTE.randomReinit,
};

/** Dash of each network class's lines ('0': solid), so that classes differ by more than colour. */
export const KIND_DASH: Record<SubnetKind, string> = {
  dense: '0',
  imp: '0',
  'random-prune': '9 4',
  'random-reinit': '2 3',
};

/** Colours of the runs on the comparison chart, in order. */
export const RUN_COLORS = ['#0072B2', '#D55E00', '#009E73', '#E69F00', '#CC79A7', '#56B4E9', '#000000', '#F0E442'] as const;

/** Human name of each network class. */
export const KIND_LABEL: Record<SubnetKind, string> = {
  dense: 'full network',
  imp: 'IMP',
  'random-prune': 'random pruning',
  'random-reinit': 'random reinit',
};

/** Colour of train-set curves. */
export const TRAIN_COLOR = PALETTE.train;

/** A density (0–1) as a percentage of weights remaining, e.g. "3.5%". */
export function formatDensity(density: number): string {
  const pct = 100 * density;
  return `${pct >= 10 ? pct.toFixed(1) : pct.toPrecision(2)}%`;
}

/** How BatchNorm statistics were set along the path, for chart titles (empty without BatchNorm). */
export function bnNote(config: { model: ModelName; bnMode: 'interpolate' | 'recompute'; bnBatches: number }): string {
  if (!usesCifar(config.model)) return '';
  return config.bnMode === 'interpolate' ? ' · BatchNorm statistics interpolated' : ` · BatchNorm statistics recomputed from ${config.bnBatches} batches`;
}
