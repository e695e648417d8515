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
