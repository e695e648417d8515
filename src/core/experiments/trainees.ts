import type * as tf from '@tensorflow/tfjs';
import { DataOrder } from '../data/order.ts';
import type { Model } from '../models/model.ts';
import { cloneParams } from '../models/params.ts';
import { type Mask, applyMask } from '../prune/mask.ts';
import { deriveSeed } from '../rng.ts';
import { type Optimizer, type OptimizerSettings, createOptimizer } from '../train/optimizer.ts';
import type { LrSchedule } from '../train/schedule.ts';
import { type Trainee, freshTrainee } from '../train/trainer.ts';
import type { ExperimentConfig } from './config.ts';

/** The learning-rate schedule a configuration describes. */
export function scheduleOf(config: ExperimentConfig): LrSchedule {
  return { learningRate: config.learningRate, milestones: config.milestones, gamma: config.gamma, warmupSteps: config.warmupSteps };
}

/** The optimiser settings a configuration describes (Adam uses PyTorch's default betas and epsilon). */
export function optimizerOf(config: ExperimentConfig): OptimizerSettings {
  return config.optimizer === 'adam'
    ? { kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: config.weightDecay }
    : { kind: 'sgd', momentum: config.momentum, weightDecay: config.weightDecay };
}

/** Seed of the data order of trunk `init` (steps 0 → k, and every IMP retraining of it). */
export function trunkNoiseSeed(config: ExperimentConfig, init: number): number {
  return deriveSeed(config.noiseSeed, 'trunk', init);
}

/** Seed of the data order of copy `copy` (0 or 1) of pair `pair` from initialisation `init`. */
export function copyNoiseSeed(config: ExperimentConfig, init: number, pair: number, copy: number): number {
  // The `same` control gives both copies the first copy's noise (stored runs from before the setting read as `different`).
  return deriveSeed(config.noiseSeed, 'copy', init, pair, config.copyNoise === 'same' ? 0 : copy);
}

/** Seed of the initial weights of initialisation `init`. */
export function initWeightSeed(config: ExperimentConfig, init: number): number {
  return deriveSeed(config.initSeed, 'init', init);
}

/** A fresh network at step 0 for initialisation `init` (the caller owns it). */
export function createTrunk(config: ExperimentConfig, model: Model, trainCount: number, init: number): Trainee {
  return freshTrainee(model, optimizerOf(config), initWeightSeed(config, init), new DataOrder(trunkNoiseSeed(config, init), trainCount, config.batchSize));
}

/** A network state to start training from: weights at `step` and, optionally, the optimiser there. */
export interface StartPoint {
  readonly params: ReadonlyMap<string, tf.Tensor>;
  readonly optimizer: Optimizer | null;
  readonly step: number;
}

/**
 * A trainee starting from `start` with its own data order: copied weights (masked by `mask`
 * if given), and the start's optimiser state when `keepOptimizer` and one exists, else a fresh
 * optimiser. With `resetSchedule` the learning-rate schedule restarts at the start step.
 * The caller owns the trainee; the mask stays the caller's.
 */
export function startTrainee(
  config: ExperimentConfig,
  start: StartPoint,
  options: { noiseSeed: number; trainCount: number; mask: Mask | null; keepOptimizer: boolean; resetSchedule: boolean },
): Trainee {
  const params = cloneParams(start.params);
  if (options.mask) applyMask(params, options.mask);
  return {
    params,
    optimizer: options.keepOptimizer && start.optimizer ? start.optimizer.clone() : createOptimizer(optimizerOf(config)),
    order: new DataOrder(options.noiseSeed, options.trainCount, config.batchSize),
    step: start.step,
    scheduleOffset: options.resetSchedule ? start.step : 0,
    mask: options.mask,
  };
}

/** Step a copy made at k trains to: T, or k + T when the schedule is reset (Figure 4). */
export function copyEndStep(config: ExperimentConfig, k: number): number {
  return config.resetSchedule ? k + config.trainingSteps : config.trainingSteps;
}
