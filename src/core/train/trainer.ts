import * as tf from '@tensorflow/tfjs';
import type { ImageDataset } from '../data/dataset.ts';
import { type BatchSource, batchPartAt, hostBatches } from './batches.ts';
import type { DataOrder } from '../data/order.ts';
import { batchEstimate, batchStatSpan } from '../models/batchnorm.ts';
import type { BatchStat, Model } from '../models/model.ts';
import { disposeParams, initParams } from '../models/params.ts';
import type { Mask } from '../prune/mask.ts';
import { fusedUpdatesAvailable, runningMix } from '../kernels/fused-update.ts';
import { crossEntropy } from './loss.ts';
import { type Optimizer, type OptimizerSettings, createOptimizer } from './optimizer.ts';
import { type LrSchedule, learningRateAt } from './schedule.ts';
import { throwIfAborted, yieldToEventLoop } from './yield.ts';

/**
 * One network in training: its variables, optimiser and data order, and the global step it has
 * reached (`step` updates applied). Owns its tensors: call {@link disposeTrainee}.
 */
export interface Trainee {
  readonly params: Map<string, tf.Variable>;
  readonly optimizer: Optimizer;
  readonly order: DataOrder;
  step: number;
  /** Subtracted from the step when reading the learning-rate schedule (Figure 4's reset variant). */
  readonly scheduleOffset: number;
  /** Pruning mask re-applied after every optimiser step (not owned: the experiment frees it). */
  readonly mask: Mask | null;
}

/**
 * A network at step 0: weights drawn from `initSeed`, a fresh `optimizer`, data in `order`.
 * The caller owns it.
 */
export function freshTrainee(model: Model, optimizer: OptimizerSettings, initSeed: number, order: DataOrder): Trainee {
  return { params: initParams(model.specs, initSeed), optimizer: createOptimizer(optimizer), order, step: 0, scheduleOffset: 0, mask: null };
}

/** Frees a trainee's variables and optimiser state (not its mask, which it does not own). */
export function disposeTrainee(t: Trainee): void {
  disposeParams(t.params);
  t.optimizer.dispose();
}

/** Thrown when the training loss stops being a finite number: the run has diverged. */
export class TrainingDivergedError extends Error {
  override readonly name = 'TrainingDivergedError';
  /** @param step the step whose loss was read non-finite; @param loss that loss (NaN or ±Infinity). */
  constructor(
    readonly step: number,
    readonly loss: number,
    context = '',
  ) {
    super(`training diverged: the loss was ${loss} at step ${step}${context}; try a lower learning rate`);
  }
}

/** What {@link trainTo} reports while it runs. */
export interface TrainProgress {
  /** Global step reached. */
  readonly step: number;
  /** Mean training loss of the most recent step whose loss was read, if any. */
  readonly loss: number | null;
}

/** Options of {@link trainTo}. */
export interface TrainOptions {
  readonly model: Model;
  readonly data: ImageDataset;
  readonly schedule: LrSchedule;
  readonly signal?: AbortSignal | undefined;
  /** Report (and read one loss back) at most this often, in milliseconds; default 100. */
  readonly reportEveryMs?: number;
  /** Where the training batches come from (default: built on the host from `data`). */
  readonly batches?: BatchSource | undefined;
}

/**
 * Applies one SGD step to `trainee` on the batch of its current step (from `batches`: built on
 * the host by default) and advances the step. Returns the batch loss as a scalar tensor that the
 * caller owns (read it lazily, or dispose).
 */
export function trainStep(trainee: Trainee, model: Model, data: ImageDataset, schedule: LrSchedule, batches: BatchSource = hostBatches(data)): tf.Scalar {
  const batch = batches.batch([batchPartAt(data, trainee.order, trainee.step)], data.pixelsPerImage);
  const lr = learningRateAt(schedule, trainee.step - trainee.scheduleOffset);
  const value = descend(trainee, model.bnMomentum, lr, (batchStats) =>
    crossEntropy(model.forward(trainee.params, batch.x, { mode: 'train', batchStats }), batch.y),
  );
  batch.x.dispose();
  batch.y.dispose();
  trainee.step += 1;
  return value;
}

/**
 * One update of a network's variables: the gradients of the loss `lossOf` computes (the forward
 * pass storing BatchNorm's batch estimates in the map it is given), the optimiser's step at
 * learning rate `lr`, the mask, and the running statistics (at BatchNorm momentum `bnMomentum`).
 * Returns the loss (the caller owns it); frees everything else it made.
 */
export function descend(
  net: Pick<Trainee, 'params' | 'optimizer' | 'mask'>,
  bnMomentum: number,
  lr: number,
  lossOf: (batchStats: Map<string, BatchStat>) => tf.Scalar,
): tf.Scalar {
  const trainable = [...net.params.values()].filter((v) => v.trainable);
  const batchStats = new Map<string, BatchStat>();
  const { value, grads } = tf.variableGrads(() => lossOf(batchStats), trainable);
  const named = new Map<string, tf.Tensor>();
  for (const [name, v] of net.params) {
    if (!v.trainable) continue;
    const g = grads[v.name];
    if (!g) throw new Error(`no gradient for ${name}`);
    named.set(name, g);
  }
  net.optimizer.step(net.params, named, lr, net.mask);
  updateRunningStats(net.params, batchStats, bnMomentum);
  for (const g of named.values()) g.dispose();
  return value as tf.Scalar;
}

/**
 * Moves each running buffer towards its batch estimate, as PyTorch's BatchNorm does:
 * running ← (1 − momentum)·running + momentum·batch. Disposes the batch estimates.
 */
export function updateRunningStats(params: ReadonlyMap<string, tf.Variable>, batchStats: Map<string, BatchStat>, momentum: number): void {
  tf.tidy(() => {
    // On webgpu one fused kernel per buffer (the estimate's scale folded into its weight), in place of four.
    const fused = fusedUpdatesAvailable();
    const keep = fused ? null : tf.scalar(1 - momentum);
    const take = fused ? null : tf.scalar(momentum);
    for (const [name, stat] of batchStats) {
      const buffer = params.get(name);
      if (!buffer) throw new Error(`batch statistic for ${name}, which the network does not have`);
      buffer.assign(
        keep && take
          ? tf.add(tf.mul(buffer, keep), tf.mul(batchEstimate(stat), take))
          : runningMix(buffer, stat.value, 1 - momentum, momentum * stat.scale, batchStatSpan(stat).offset),
      );
    }
  });
  for (const stat of batchStats.values()) stat.value.dispose();
  batchStats.clear();
}

/**
 * Trains `trainee` until its step reaches `to`, yielding progress about every `reportEveryMs`
 * and once at the end. Between reports it yields to the event loop so that a cancel message
 * can arrive; an aborted `signal` throws an `AbortError` with every step tensor freed. A loss
 * read as NaN or infinite throws {@link TrainingDivergedError} (losses are read at each report,
 * so the step named is the first read after the divergence).
 */
export async function* trainTo(trainee: Trainee, to: number, options: TrainOptions): AsyncGenerator<TrainProgress> {
  const everyMs = options.reportEveryMs ?? 100;
  let lastReport = performance.now();
  let pending: tf.Scalar | null = null;
  try {
    while (trainee.step < to) {
      throwIfAborted(options.signal);
      pending?.dispose();
      pending = trainStep(trainee, options.model, options.data, options.schedule, options.batches);
      const now = performance.now();
      if (now - lastReport >= everyMs || trainee.step === to) {
        const loss = (await pending.data())[0] ?? Number.NaN;
        pending.dispose();
        pending = null;
        if (!Number.isFinite(loss)) throw new TrainingDivergedError(trainee.step, loss);
        lastReport = now;
        yield { step: trainee.step, loss };
        await yieldToEventLoop();
      }
    }
  } finally {
    pending?.dispose();
  }
}
