import { type ConfigField, type ExperimentConfig, FIELD_SCHEMAS } from './config.ts';

/** How a setting's value is written as text (a link, a CLI flag, the settings form). */
export type SettingKind = 'int' | 'number' | 'list' | 'bool' | 'choice' | 'text';

/** The part of the settings form a setting sits in (`data`: edited on the data panel, not in the form). */
export type SettingGroup = 'experiment' | 'resnet' | 'pruning' | 'instability' | 'training' | 'data';

/**
 * One setting, once: its field in the configuration, its key in links and on the command line,
 * how its value is written as text, and how the settings form shows it. The value's range is
 * the field's schema in {@link FIELD_SCHEMAS}; a choice's options come from there too.
 */
export interface SettingRow {
  readonly field: ConfigField;
  /** Key in share links and `--flag` on the command line. */
  readonly key: string;
  readonly kind: SettingKind;
  readonly label: string;
  /** One line of help, in words a student understands. */
  readonly help: string;
  readonly group: SettingGroup;
  /** One of the few settings a student changes (shown first; the rest are under Advanced). */
  readonly basic?: true;
}

/** Every setting, in the order links spell them and the form lists them within a group. */
export const SETTINGS: readonly SettingRow[] = [
  {
    field: 'experiment',
    key: 'exp',
    kind: 'choice',
    label: 'Experiment',
    help: 'instability: the dense network (section 3); imp: lottery tickets with rewinding (section 4).',
    group: 'experiment',
    basic: true,
  },
  {
    field: 'model',
    key: 'model',
    kind: 'choice',
    label: 'Network',
    help: 'LeNet-300-100 on MNIST, or ResNet-20 or VGG-16 on CIFAR-10.',
    group: 'experiment',
    basic: true,
  },
  {
    field: 'width',
    key: 'width',
    kind: 'int',
    label: 'Width',
    help: 'Channels of the first stage (standard: 16 for ResNet-20, 64 for VGG-16; smaller is faster).',
    group: 'resnet',
  },
  {
    field: 'bnMode',
    key: 'bn',
    kind: 'choice',
    label: 'BatchNorm on path',
    help: 'interpolate running statistics with the weights (the paper) or recompute them from training batches at each α.',
    group: 'resnet',
  },
  {
    field: 'bnBatches',
    key: 'bnBatches',
    kind: 'int',
    label: 'Recompute batches',
    help: 'Training batches used to recompute BatchNorm statistics.',
    group: 'resnet',
  },
  {
    field: 'cifarUrl',
    key: 'cifar',
    kind: 'text',
    label: 'CIFAR-10 URL',
    help: 'A copy of cifar-10-binary.tar.gz to download when you ask (https).',
    group: 'data',
  },
  { field: 'trainingSteps', key: 'T', kind: 'int', label: 'Training steps T', help: 'Each copy trains to step T.', group: 'instability', basic: true },
  {
    field: 'rewindSteps',
    key: 'k',
    kind: 'list',
    label: 'Rewind steps k',
    help: 'Steps at which the network is copied (comma-separated).',
    group: 'instability',
    basic: true,
  },
  { field: 'batchSize', key: 'bs', kind: 'int', label: 'Batch size', help: 'Examples per step.', group: 'training' },
  { field: 'optimizer', key: 'opt', kind: 'choice', label: 'Optimiser', help: 'Adam or SGD (PyTorch semantics).', group: 'training' },
  { field: 'learningRate', key: 'lr', kind: 'number', label: 'Learning rate', help: 'Base rate per step.', group: 'training', basic: true },
  { field: 'momentum', key: 'mom', kind: 'number', label: 'Momentum', help: 'SGD only.', group: 'training' },
  { field: 'weightDecay', key: 'wd', kind: 'number', label: 'Weight decay', help: 'L2 penalty added to the gradient.', group: 'training' },
  { field: 'milestones', key: 'drop', kind: 'list', label: 'LR drops at', help: 'Steps where the rate is multiplied by γ.', group: 'training' },
  { field: 'gamma', key: 'gamma', kind: 'number', label: 'γ', help: 'Multiplier at each drop.', group: 'training' },
  { field: 'warmupSteps', key: 'warmup', kind: 'int', label: 'Warmup steps', help: 'Linear warmup from 0.', group: 'training' },
  { field: 'inits', key: 'inits', kind: 'int', label: 'Initialisations', help: 'Independent initial networks (paper: 3).', group: 'instability' },
  {
    field: 'pairsPerInit',
    key: 'pairs',
    kind: 'int',
    label: 'Pairs per init',
    help: 'Pairs of copies per initialisation (paper: 3).',
    group: 'instability',
    basic: true,
  },
  { field: 'initSeed', key: 'seed', kind: 'int', label: 'Init seed', help: 'Seeds the initial weights.', group: 'training' },
  { field: 'noiseSeed', key: 'noise', kind: 'int', label: 'Noise seed', help: 'Seeds the data order (SGD noise).', group: 'training' },
  {
    field: 'alphas',
    key: 'alphas',
    kind: 'int',
    label: 'Points on the path',
    help: 'Evenly spaced α in [0, 1], endpoints included (paper: 30).',
    group: 'instability',
  },
  {
    field: 'tracePoints',
    key: 'trace',
    kind: 'int',
    label: 'Barrier while training',
    help: 'Also measure the barrier between the copies at this many evenly spaced steps while they train, the last at T (the paper’s Appendix C); 0: only at T.',
    group: 'instability',
  },
  {
    field: 'align',
    key: 'align',
    kind: 'bool',
    label: 'Align units',
    help: 'Also walk the path after permuting copy 2’s hidden units to match copy 1 (weight matching, Git Re-Basin): the same function, often a lower barrier.',
    group: 'instability',
  },
  {
    field: 'planeGrid',
    key: 'plane',
    kind: 'int',
    label: 'Error plane',
    help: 'Also measure the test error over the triangle through the network at k and its two trained copies, this many points per side, for the first pair at each k (0: off; 2 to 31).',
    group: 'instability',
  },
  { field: 'testExamples', key: 'test', kind: 'int', label: 'Test examples', help: 'First N test images evaluated; 0 = all 10,000.', group: 'instability' },
  { field: 'trainEval', key: 'trainEval', kind: 'bool', label: 'Also train error', help: 'Evaluate train error along the path too.', group: 'instability' },
  {
    field: 'trainExamples',
    key: 'train',
    kind: 'int',
    label: 'Train examples',
    help: 'First N training images for train error; 0 = all 60,000.',
    group: 'instability',
  },
  {
    field: 'resetSchedule',
    key: 'reset',
    kind: 'bool',
    label: 'Reset LR schedule',
    help: 'Figure 4: copies train T steps with the schedule restarted at 0.',
    group: 'instability',
  },
  {
    field: 'optimizerAtCopy',
    key: 'copyOpt',
    kind: 'choice',
    label: 'Optimiser at copy',
    help: 'reset: fresh moments (open_lth); copy: keep the trunk’s.',
    group: 'instability',
  },
  {
    field: 'copyNoise',
    key: 'copyNoise',
    kind: 'choice',
    label: 'SGD noise of the copies',
    help: 'different (the paper): each copy sees its own data order; same: a control in which both copies see the same order and end identical, so the barrier is 0.',
    group: 'instability',
  },
  {
    field: 'copyStart',
    key: 'copyStart',
    kind: 'choice',
    label: 'Copy 2 starts from',
    help: 'shared (the paper): both copies start from the same network at k; two-inits: copy 2 starts from the next initialisation’s network at k, so the two share nothing (a baseline for alignment).',
    group: 'instability',
  },
  { field: 'backend', key: 'backend', kind: 'choice', label: 'Backend', help: 'auto picks the fastest real backend.', group: 'training' },
  {
    field: 'pruneRounds',
    key: 'rounds',
    kind: 'int',
    label: 'Rounds',
    help: 'Pruning levels; density after r rounds ≈ (1 − fraction)^r.',
    group: 'pruning',
    basic: true,
  },
  {
    field: 'pruneFraction',
    key: 'prune',
    kind: 'number',
    label: 'Prune fraction',
    help: 'Fraction of the remaining weights removed each round (paper: 0.2).',
    group: 'pruning',
  },
  {
    field: 'pruneStrategy',
    key: 'strategy',
    kind: 'choice',
    label: 'Strategy',
    help: 'iterative: retrain between rounds; one-shot: prune the dense network straight to each density.',
    group: 'pruning',
  },
  {
    field: 'pruneOutput',
    key: 'outLayer',
    kind: 'choice',
    label: 'Output layer',
    help: 'keep (open_lth LeNet), prune with the rest, or half rate (original lottery-ticket code).',
    group: 'pruning',
  },
  {
    field: 'randomPrune',
    key: 'randPrune',
    kind: 'bool',
    label: 'Random pruning',
    help: 'Baseline: same per-layer densities, random positions.',
    group: 'pruning',
  },
  { field: 'randomReinit', key: 'reinit', kind: 'bool', label: 'Random reinit', help: 'Baseline: same mask, fresh initial weights.', group: 'pruning' },
  {
    field: 'subnetInstability',
    key: 'subInst',
    kind: 'choice',
    label: 'Instability of',
    help: 'Which subnetworks get instability analysis at every level.',
    group: 'pruning',
  },
  {
    field: 'optimizerAtRewind',
    key: 'rewindOpt',
    kind: 'choice',
    label: 'Optimiser at rewind',
    help: 'reset: fresh optimiser at k (open_lth); copy: the state at k.',
    group: 'pruning',
  },
  {
    field: 'matchingThreshold',
    key: 'match',
    kind: 'number',
    label: 'Matching within',
    help: 'Accuracy drop (points) below which a subnetwork is matching (paper: 0.2).',
    group: 'pruning',
  },
];

/** The row of `field`. */
export function settingRow(field: ConfigField): SettingRow {
  const row = SETTINGS.find((r) => r.field === field);
  if (!row) throw new Error(`no setting row for ${field}`);
  return row;
}

/** The values a choice setting may take, as its schema lists them. */
export function choicesOf(field: ConfigField): readonly string[] {
  const schema = FIELD_SCHEMAS[field] as { options?: readonly unknown[] };
  return (schema.options ?? []).map(String);
}

/** A setting's value as text: lists comma-separated, booleans 1 / 0 (what links and flags carry). */
export function formatSettingValue(value: ExperimentConfig[ConfigField]): string {
  if (Array.isArray(value)) return value.join(',');
  if (typeof value === 'boolean') return value ? '1' : '0';
  return String(value);
}

/**
 * Reads a setting's text (from a link, a flag or the form) into a checked value: numbers,
 * comma-separated lists (spaces allowed), booleans as 1 / 0 or true / false. Returns the value
 * or a sentence saying why the text is not acceptable.
 */
export function parseSettingText(row: SettingRow, text: string): { ok: true; value: ExperimentConfig[ConfigField] } | { ok: false; message: string } {
  const num = (s: string): number => (s.trim() === '' ? Number.NaN : Number(s));
  let raw: unknown = text;
  if (row.kind === 'int' || row.kind === 'number') raw = num(text);
  else if (row.kind === 'list') raw = text.trim() === '' ? [] : text.split(',').map(num);
  else if (row.kind === 'bool') raw = text === '1' || text === 'true' ? true : text === '0' || text === 'false' ? false : text;
  const parsed = FIELD_SCHEMAS[row.field].safeParse(raw);
  return parsed.success
    ? { ok: true, value: parsed.data as ExperimentConfig[ConfigField] }
    : { ok: false, message: parsed.error.issues[0]?.message ?? 'invalid value' };
}
