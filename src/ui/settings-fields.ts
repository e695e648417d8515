import { BACKENDS, type ConfigField, type ExperimentConfig, FIELD_SCHEMAS } from '../core/experiments/config.ts';

/** How a setting is edited in the panel. */
export type SettingKind = 'int' | 'number' | 'list' | 'bool' | { readonly options: readonly string[] };

/** A row of the settings panel: which field, its label and a one-line help text. */
export interface SettingRow {
  readonly field: ConfigField;
  readonly label: string;
  readonly kind: SettingKind;
  readonly help: string;
}

/** The settings panel's rows, grouped by what they control. */
export const SETTING_GROUPS: readonly { readonly title: string; readonly rows: readonly SettingRow[]; readonly when?: (c: ExperimentConfig) => boolean }[] = [
  {
    title: 'Experiment',
    rows: [
      {
        field: 'experiment',
        label: 'Experiment',
        kind: { options: ['instability', 'imp'] },
        help: 'instability: the dense network (section 3); imp: lottery tickets with rewinding (section 4).',
      },
      { field: 'model', label: 'Network', kind: { options: ['lenet-300-100', 'resnet-20'] }, help: 'LeNet-300-100 on MNIST or ResNet-20 on CIFAR-10.' },
    ],
  },
  {
    title: 'ResNet-20',
    when: (c) => c.model === 'resnet-20',
    rows: [
      { field: 'width', label: 'Width', kind: 'int', help: 'Channels of the first stage (16 standard; smaller is faster).' },
      {
        field: 'bnMode',
        label: 'BatchNorm on path',
        kind: { options: ['interpolate', 'recompute'] },
        help: 'interpolate running statistics with the weights (the paper) or recompute them from training batches at each α.',
      },
      { field: 'bnBatches', label: 'Recompute batches', kind: 'int', help: 'Training batches used to recompute BatchNorm statistics.' },
    ],
  },
  {
    title: 'Pruning (IMP with rewinding)',
    when: (c) => c.experiment === 'imp',
    rows: [
      { field: 'pruneRounds', label: 'Rounds', kind: 'int', help: 'Pruning levels; density after r rounds ≈ (1 − fraction)^r.' },
      { field: 'pruneFraction', label: 'Prune fraction', kind: 'number', help: 'Fraction of the remaining weights removed each round (paper: 0.2).' },
      {
        field: 'pruneStrategy',
        label: 'Strategy',
        kind: { options: ['iterative', 'one-shot'] },
        help: 'iterative: retrain between rounds; one-shot: prune the dense network straight to each density.',
      },
      {
        field: 'pruneOutput',
        label: 'Output layer',
        kind: { options: ['keep', 'prune', 'half'] },
        help: 'keep (open_lth LeNet), prune with the rest, or half rate (original lottery-ticket code).',
      },
      { field: 'randomPrune', label: 'Random pruning', kind: 'bool', help: 'Baseline: same per-layer densities, random positions.' },
      { field: 'randomReinit', label: 'Random reinit', kind: 'bool', help: 'Baseline: same mask, fresh initial weights.' },
      {
        field: 'subnetInstability',
        label: 'Instability of',
        kind: { options: ['none', 'imp', 'all'] },
        help: 'Which subnetworks get instability analysis at every level.',
      },
      {
        field: 'optimizerAtRewind',
        label: 'Optimiser at rewind',
        kind: { options: ['reset', 'copy'] },
        help: 'reset: fresh optimiser at k (open_lth); copy: the state at k.',
      },
      {
        field: 'matchingThreshold',
        label: 'Matching within',
        kind: 'number',
        help: 'Accuracy drop (points) below which a subnetwork is matching (paper: 0.2).',
      },
    ],
  },
  {
    title: 'Instability analysis',
    rows: [
      { field: 'rewindSteps', label: 'Rewind steps k', kind: 'list', help: 'Steps at which the network is copied (comma-separated).' },
      { field: 'trainingSteps', label: 'Training steps T', kind: 'int', help: 'Each copy trains to step T.' },
      { field: 'inits', label: 'Initialisations', kind: 'int', help: 'Independent initial networks (paper: 3).' },
      { field: 'pairsPerInit', label: 'Pairs per init', kind: 'int', help: 'Pairs of copies per initialisation (paper: 3).' },
      { field: 'alphas', label: 'Points on the path', kind: 'int', help: 'Evenly spaced α in [0, 1], endpoints included (paper: 30).' },
      { field: 'testExamples', label: 'Test examples', kind: 'int', help: 'First N test images evaluated; 0 = all 10,000.' },
      { field: 'trainEval', label: 'Also train error', kind: 'bool', help: 'Evaluate train error along the path too.' },
      { field: 'trainExamples', label: 'Train examples', kind: 'int', help: 'First N training images for train error; 0 = all 60,000.' },
      { field: 'resetSchedule', label: 'Reset LR schedule', kind: 'bool', help: 'Figure 4: copies train T steps with the schedule restarted at 0.' },
      {
        field: 'optimizerAtCopy',
        label: 'Optimiser at copy',
        kind: { options: ['reset', 'copy'] },
        help: 'reset: fresh moments (open_lth); copy: keep the trunk’s.',
      },
    ],
  },
  {
    title: 'Training',
    rows: [
      { field: 'optimizer', label: 'Optimiser', kind: { options: ['adam', 'sgd'] }, help: 'Adam or SGD (PyTorch semantics).' },
      { field: 'learningRate', label: 'Learning rate', kind: 'number', help: 'Base rate per step.' },
      { field: 'batchSize', label: 'Batch size', kind: 'int', help: 'Examples per step.' },
      { field: 'momentum', label: 'Momentum', kind: 'number', help: 'SGD only.' },
      { field: 'weightDecay', label: 'Weight decay', kind: 'number', help: 'L2 penalty added to the gradient.' },
      { field: 'milestones', label: 'LR drops at', kind: 'list', help: 'Steps where the rate is multiplied by γ.' },
      { field: 'gamma', label: 'γ', kind: 'number', help: 'Multiplier at each drop.' },
      { field: 'warmupSteps', label: 'Warmup steps', kind: 'int', help: 'Linear warmup from 0.' },
      { field: 'initSeed', label: 'Init seed', kind: 'int', help: 'Seeds the initial weights.' },
      { field: 'noiseSeed', label: 'Noise seed', kind: 'int', help: 'Seeds the data order (SGD noise).' },
      { field: 'backend', label: 'Backend', kind: { options: BACKENDS }, help: 'auto picks the fastest real backend.' },
    ],
  },
];

/** The text a setting's input shows for `value`. */
export function formatSetting(value: ExperimentConfig[ConfigField]): string {
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/**
 * Parses and validates a setting's input text. Returns the value, or a sentence saying why the
 * text is not acceptable.
 */
export function parseSetting(row: SettingRow, text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  let raw: unknown = text;
  if (row.kind === 'int' || row.kind === 'number') raw = text.trim() === '' ? Number.NaN : Number(text);
  else if (row.kind === 'list') raw = text.trim() === '' ? [] : text.split(',').map((s) => (s.trim() === '' ? Number.NaN : Number(s)));
  else if (row.kind === 'bool') raw = text === 'true';
  const parsed = FIELD_SCHEMAS[row.field].safeParse(raw);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, message: parsed.error.issues[0]?.message ?? 'invalid value' };
}
