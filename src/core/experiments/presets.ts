/**
 * The presets: the paper's settings for each network and figure, and lesson-scale runs, each a
 * whole configuration; the one a fresh page starts from; the one nearest a given configuration.
 */
import type { ConfigField, ExperimentConfig } from './config.ts';

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

/** The preset that differs from `config` in the fewest settings (ties: the first listed). */
export function closestPreset(config: ExperimentConfig): PresetName {
  const differences = (preset: ExperimentConfig): number =>
    (Object.keys(config) as ConfigField[]).filter((f) => JSON.stringify(config[f]) !== JSON.stringify(preset[f])).length;
  let best: PresetName = DEFAULT_PRESET;
  for (const name of Object.keys(PRESETS) as PresetName[]) if (differences(PRESETS[name]) < differences(PRESETS[best])) best = name;
  return best;
}
