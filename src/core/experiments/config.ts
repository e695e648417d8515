import { z } from 'zod';
import type { SubnetKind } from '../records.ts';

/** Backends a run may ask for; `auto` lets the worker choose (see the worker's backend picker). */
export const BACKENDS = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;
/** A backend request. */
export type BackendRequest = (typeof BACKENDS)[number];

const int = (min: number, max: number) => z.number().int().min(min).max(max);
const uint32 = int(0, 4294967295);

/**
 * One schema per setting, so that a bad field in a link can be replaced by its default alone.
 * Units: steps are optimiser steps (not epochs); learning rate per step; example counts of 0
 * (or more than the split has) mean the whole split. `width` is the first-stage channel count of
 * ResNet-20 (16 standard) and VGG-16 (64 standard). `bnMode` says how BatchNorm statistics are
 * set along the linear path: interpolated with the weights (the paper) or recomputed from
 * `bnBatches` training batches.
 * `cifarUrl` names a copy of `cifar-10-binary.tar.gz` to load when CIFAR-10 is not cached yet.
 */
export const FIELD_SCHEMAS = {
  experiment: z.enum(['instability', 'imp']),
  model: z.enum(['lenet-300-100', 'resnet-20', 'vgg-16']),
  width: int(1, 64),
  bnMode: z.enum(['interpolate', 'recompute']),
  bnBatches: int(1, 200),
  // https anywhere, plain http only on this computer: what the production build's CSP lets it fetch.
  cifarUrl: z.union([
    z.literal(''),
    z
      .url({ protocol: /^https?$/, error: 'must be an https URL (http only on this computer) or empty' })
      .max(1000)
      .refine(
        (u) => u.startsWith('https:') || /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?\//.test(u),
        'must be an https URL (http only on this computer: localhost, 127.0.0.1) or empty',
      ),
  ]),
  trainingSteps: int(1, 1_000_000),
  batchSize: int(1, 10_000),
  optimizer: z.enum(['adam', 'sgd']),
  learningRate: z.number().gt(0).max(10),
  momentum: z.number().min(0).lt(1),
  weightDecay: z.number().min(0).max(1),
  milestones: z.array(int(1, 1_000_000)).max(10),
  gamma: z.number().gt(0).max(1),
  warmupSteps: int(0, 1_000_000),
  rewindSteps: z.array(int(0, 1_000_000)).min(1).max(24),
  inits: int(1, 10),
  pairsPerInit: int(1, 10),
  initSeed: uint32,
  noiseSeed: uint32,
  alphas: int(2, 101),
  tracePoints: int(0, 50),
  align: z.boolean(),
  planeGrid: int(0, 31).refine((v) => v !== 1, 'must be 0 (off) or from 2 to 31 points per side'),
  testExamples: int(0, 10_000),
  trainEval: z.boolean(),
  trainExamples: int(0, 60_000),
  resetSchedule: z.boolean(),
  optimizerAtCopy: z.enum(['reset', 'copy']),
  copyNoise: z.enum(['different', 'same']),
  copyStart: z.enum(['shared', 'two-inits']),
  backend: z.enum(BACKENDS),
  pruneRounds: int(1, 40),
  pruneFraction: z.number().gt(0).lt(1),
  pruneStrategy: z.enum(['iterative', 'one-shot']),
  pruneOutput: z.enum(['keep', 'prune', 'half']),
  randomPrune: z.boolean(),
  randomReinit: z.boolean(),
  subnetInstability: z.enum(['none', 'imp', 'all']),
  optimizerAtRewind: z.enum(['reset', 'copy']),
  matchingThreshold: z.number().gt(0).max(10),
} as const;

/** The whole configuration of an instability-analysis experiment. */
export const experimentConfigSchema = z.object(FIELD_SCHEMAS).strict();

/** The whole configuration of an instability-analysis experiment (validated, complete). */
export type ExperimentConfig = z.infer<typeof experimentConfigSchema>;

/** Names of the settings. */
export type ConfigField = keyof ExperimentConfig;

const LENET_PAPER: ExperimentConfig = {
  experiment: 'instability',
  model: 'lenet-300-100',
  width: 16,
  bnMode: 'interpolate',
  bnBatches: 8,
  cifarUrl: '',
  trainingSteps: 24_000,
  batchSize: 60,
  optimizer: 'adam',
  learningRate: 1.2e-3,
  momentum: 0,
  weightDecay: 0,
  milestones: [],
  gamma: 0.1,
  warmupSteps: 0,
  rewindSteps: [0, 25, 100, 500, 2000],
  inits: 3,
  pairsPerInit: 3,
  initSeed: 1,
  noiseSeed: 1,
  alphas: 30,
  tracePoints: 0,
  planeGrid: 0,
  align: false,
  testExamples: 0,
  trainEval: true,
  trainExamples: 0,
  resetSchedule: false,
  optimizerAtCopy: 'reset',
  copyNoise: 'different',
  copyStart: 'shared',
  backend: 'auto',
  pruneRounds: 15,
  pruneFraction: 0.2,
  pruneStrategy: 'iterative',
  pruneOutput: 'keep',
  randomPrune: true,
  randomReinit: true,
  subnetInstability: 'all',
  optimizerAtRewind: 'reset',
  matchingThreshold: 0.2,
};

/**
 * ResNet-20 on CIFAR-10 as Table 1 runs it: batch 128, T = 63,000, SGD momentum 0.9, learning
 * rate 0.1 divided by 10 at 32K and 48K, weight decay 1e-4 (open_lth), BatchNorm statistics
 * interpolated with the weights; IMP to 16.8% (8 rounds), output layer pruned (open_lth).
 */
const RESNET_STANDARD: ExperimentConfig = {
  ...LENET_PAPER,
  model: 'resnet-20',
  batchSize: 128,
  trainingSteps: 63_000,
  optimizer: 'sgd',
  learningRate: 0.1,
  momentum: 0.9,
  weightDecay: 1e-4,
  milestones: [32_000, 48_000],
  gamma: 0.1,
  rewindSteps: [0, 100, 500, 1000, 2000, 5000],
  pruneRounds: 8,
  pruneOutput: 'prune',
};

/**
 * ResNet-20 at lesson scale (chapter 3), chosen by measurement (public/demos/README.md): width 4,
 * batch 64, T = 800 with the learning rate divided by 10 at steps 600 and 700, 3 pairs at
 * k ∈ {0, 50, 150, 300}, 1,000 test images; its IMP variant prunes 75% in one round (25% left),
 * rewinds to k ∈ {0, 50, 150} with both random baselines, and evaluates on all 10,000 test images.
 */
const RESNET_TEACH: ExperimentConfig = {
  ...RESNET_STANDARD,
  width: 4,
  batchSize: 64,
  trainingSteps: 800,
  milestones: [600, 700],
  rewindSteps: [0, 50, 150, 300],
  inits: 1,
  pairsPerInit: 3,
  alphas: 11,
  testExamples: 1000,
  trainEval: false,
  trainExamples: 1000,
  pruneRounds: 3,
  pruneFraction: 0.5,
};

/**
 * VGG-16 on CIFAR-10 as Table 1 runs it: ResNet-20's schedule (batch 128, T = 63,000, SGD
 * momentum 0.9, learning rate 0.1 divided by 10 at 32K and 48K, weight decay 1e-4) and rewind
 * steps at open_lth's width 64; IMP to Table 1's 1.5% (19 rounds of 20% of the convolution
 * weights, the output layer kept as open_lth's `pruning_layers_to_ignore='fc.weight'` does). The paper finds it stable
 * from k = 1000.
 */
const VGG_STANDARD: ExperimentConfig = {
  ...RESNET_STANDARD,
  model: 'vgg-16',
  width: 64,
  pruneRounds: 19,
  pruneOutput: 'keep',
};

/**
 * Named starting points. `lenet-paper` is the paper's LeNet setup (Table 1: Adam 1.2e-3, batch
 * 60, T = 24,000, 3 inits × 3 data orders, 30 alphas, full test and train sets).
 * `lenet-quick` is a teaching run that shows a first curve in well under a minute.
 * `lenet-imp-paper` is IMP with rewinding to 3.5% density (15 rounds of 20%, Table 1) with both
 * random baselines; `lenet-imp-quick` reaches 3.1% in 5 rounds of 50% on short runs.
 */
export const PRESETS = {
  'lenet-quick': {
    ...LENET_PAPER,
    trainingSteps: 600,
    rewindSteps: [0, 100, 300],
    inits: 1,
    pairsPerInit: 2,
    testExamples: 2000,
    trainEval: false,
    trainExamples: 2000,
  },
  'lenet-paper': LENET_PAPER,
  'lenet-imp-quick': {
    ...LENET_PAPER,
    experiment: 'imp',
    trainingSteps: 300,
    rewindSteps: [0],
    inits: 1,
    pairsPerInit: 1,
    alphas: 15,
    testExamples: 2000,
    trainEval: false,
    trainExamples: 2000,
    pruneRounds: 5,
    pruneFraction: 0.5,
    subnetInstability: 'imp',
  },
  'lenet-imp-paper': { ...LENET_PAPER, experiment: 'imp' },
  'resnet20-standard': RESNET_STANDARD,
  'resnet20-low': { ...RESNET_STANDARD, learningRate: 0.01, pruneRounds: 11 },
  'resnet20-warmup': { ...RESNET_STANDARD, learningRate: 0.03, warmupSteps: 30_000, pruneRounds: 11 },
  'lenet-one-pair': {
    ...LENET_PAPER,
    trainingSteps: 300,
    rewindSteps: [0],
    inits: 1,
    pairsPerInit: 1,
    alphas: 15,
    testExamples: 1000,
    trainEval: false,
    trainExamples: 1000,
  },
  'resnet20-teach': RESNET_TEACH,
  'resnet20-imp-teach': {
    ...RESNET_TEACH,
    experiment: 'imp',
    rewindSteps: [0, 50, 150],
    pairsPerInit: 1,
    testExamples: 0,
    pruneRounds: 1,
    pruneFraction: 0.75,
    subnetInstability: 'imp',
  },
  'vgg16-standard': VGG_STANDARD,
  'vgg16-low': { ...VGG_STANDARD, learningRate: 0.01, pruneRounds: 13 },
  'vgg16-warmup': { ...VGG_STANDARD, warmupSteps: 30_000 },
  // The lesson-scale ResNet-20's schedule and sampling on a VGG-16 of width 8 (8 to 64 channels), which trains about as fast here.
  'vgg16-teach': { ...RESNET_TEACH, model: 'vgg-16', width: 8, pruneOutput: 'keep' },
  'resnet20-trace': { ...RESNET_TEACH, rewindSteps: [0, 300], pairsPerInit: 2, tracePoints: 8, planeGrid: 9 },
  'resnet20-quick': {
    ...RESNET_STANDARD,
    width: 4,
    batchSize: 32,
    trainingSteps: 800,
    milestones: [],
    rewindSteps: [0, 100, 400],
    inits: 1,
    pairsPerInit: 2,
    alphas: 11,
    testExamples: 1000,
    trainEval: false,
    trainExamples: 1000,
    pruneRounds: 3,
    pruneFraction: 0.5,
  },
} as const satisfies Record<string, ExperimentConfig>;

/** A preset's name. */
export type PresetName = keyof typeof PRESETS;

/** The preset a fresh page starts from. */
export const DEFAULT_PRESET: PresetName = 'lenet-quick';

/** True if `name` names a preset. */
export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(PRESETS, name);
}

/**
 * Checks the relations between fields that single-field schemas cannot: every rewind step k
 * must be below T, and copies from two initialisations need two of them, the dense network and
 * no error plane (whose corner W_k they do not share). Returns the problems as sentences; an
 * empty list means the config is valid.
 */
export function crossFieldProblems(config: ExperimentConfig): string[] {
  const problems: string[] = [];
  const late = config.rewindSteps.filter((k) => k >= config.trainingSteps);
  if (late.length > 0) problems.push(`rewind steps ${late.join(', ')} are not below the ${config.trainingSteps} training steps`);
  if (new Set(config.rewindSteps).size !== config.rewindSteps.length) problems.push('rewind steps repeat a value');
  if (config.copyStart === 'two-inits') {
    const twoInits = 'copies from two initialisations (copyStart two-inits)';
    if (config.inits < 2) problems.push(`${twoInits} need at least 2 initialisations, not ${config.inits}`);
    if (config.experiment !== 'instability') problems.push(`${twoInits} are for the instability experiment, not IMP`);
    if (config.planeGrid > 0) problems.push(`${twoInits} share no network at k, so there is no error plane through it: set the error plane to 0`);
  }
  return problems;
}

/**
 * Validates a whole configuration object (from a results file or the CLI). Throws an Error whose
 * message lists every problem, each naming its field.
 */
export function parseExperimentConfig(value: unknown): ExperimentConfig {
  const parsed = experimentConfigSchema.safeParse(value);
  if (!parsed.success) {
    throw new Error(`invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  const problems = crossFieldProblems(parsed.data);
  if (problems.length > 0) throw new Error(`invalid configuration: ${problems.join('; ')}`);
  return parsed.data;
}

/** The rewind steps in ascending order, as the experiment visits them. */
export function sortedRewindSteps(config: ExperimentConfig): number[] {
  return [...config.rewindSteps].sort((a, b) => a - b);
}

/** The subnetwork classes an IMP configuration trains at every level, IMP first. */
export function subnetKinds(config: ExperimentConfig): SubnetKind[] {
  return ['imp', ...(config.randomPrune ? (['random-prune'] as const) : []), ...(config.randomReinit ? (['random-reinit'] as const) : [])];
}

/** The subnetwork classes whose instability an IMP configuration analyses at every level. */
export function analysedKinds(config: ExperimentConfig): SubnetKind[] {
  if (config.subnetInstability === 'none') return [];
  return config.subnetInstability === 'imp' ? ['imp'] : subnetKinds(config);
}

/** The preset that differs from `config` in the fewest settings (ties: the first listed). */
export function closestPreset(config: ExperimentConfig): PresetName {
  const differences = (preset: ExperimentConfig): number =>
    (Object.keys(config) as ConfigField[]).filter((f) => JSON.stringify(config[f]) !== JSON.stringify(preset[f])).length;
  let best: PresetName = DEFAULT_PRESET;
  for (const name of Object.keys(PRESETS) as PresetName[]) if (differences(PRESETS[name]) < differences(PRESETS[best])) best = name;
  return best;
}
