import * as tf from '@tensorflow/tfjs';
import type { ImageDataset } from '../data/dataset.ts';
import { batchPartAt, hostBatches } from './batches.ts';
import type { Model } from '../models/model.ts';
import { disposeParams } from '../models/params.ts';
import { type Optimizer, type OptimizerSettings, createOptimizer } from './optimizer.ts';
import { crossEntropy, perExampleCrossEntropy } from './loss.ts';
import { learningRateAt } from './schedule.ts';
import { type TrainOptions, type Trainee, descend, disposeTrainee, freshTrainee } from './trainer.ts';
import { DataOrder } from '../data/order.ts';
import { CopyDivergedError } from './copy-trainer.ts';
import { throwIfAborted, yieldToEventLoop } from './yield.ts';

/**
 * Several networks of one architecture trained as one network as many times as wide
 * ({@link Model.sideBySide}): each weight is block-diagonal, copy c's weight in block (c, c) of
 * its last two axes and zeros elsewhere; biases and BatchNorm's tensors lie end to end; each
 * copy's input takes its own channels. Zeros between the blocks keep the copies apart (the mask
 * keeps them zero after every step), so one step of the wide network is one step of every copy
 * on that copy's own batch, in one kernel per operation instead of one per copy. Owns its tensors.
 */
export interface SideBySide {
  /** The wide network. */
  readonly model: Model;
  /** The copies it was joined from (their data orders, schedules and masks are read, their tensors are not). */
  readonly copies: readonly Trainee[];
  readonly params: Map<string, tf.Variable>;
  readonly optimizer: Optimizer;
  /** Every weight's block-diagonal mask (each copy's own mask, or ones, in its block). */
  readonly mask: Map<string, tf.Tensor>;
  /** The global step every copy has reached. */
  step: number;
}

let forced: boolean | null = null;

/** Forces side-by-side training on (true) or off (false) on every backend, or back to the default (null): for tests and benchmarks. */
export function forceSideBySide(on: boolean | null): void {
  forced = on;
}

/**
 * Whether copies that can train side by side should by default (unless forced; a run's
 * `sideBySide` option, which the worker sets from the backend probe where it ran, overrides
 * it): on webgpu only. There a training step was bound by the host's cost per kernel (H100
 * profile of 2026-11-27: a ResNet-20 step took 145–181 ms of wall time for 20–22 ms of GPU
 * time), so a step of the wide network should cost little more than one copy's. On CPU
 * backends the zeros between the blocks would only add arithmetic.
 */
export function sideBySideWanted(): boolean {
  return forced ?? tf.getBackend() === 'webgpu';
}

/** The wide network for `trainees` when they can train side by side: at least two, at the same step and schedule offset, with the same optimiser settings and update count. Null otherwise. */
export function sideBySideModel(model: Model, trainees: readonly Trainee[]): Model | null {
  const first = trainees[0];
  if (!model.sideBySide || !first || trainees.length < 2) return null;
  const same = (t: Trainee) =>
    t.step === first.step &&
    t.scheduleOffset === first.scheduleOffset &&
    t.optimizer.updates === first.optimizer.updates &&
    JSON.stringify(t.optimizer.settings) === JSON.stringify(first.optimizer.settings);
  return trainees.every(same) ? model.sideBySide(trainees.length) : null;
}

/** One tensor from the copies' tensors of one parameter: rank 1 end to end, higher ranks block-diagonal over the last two axes. */
export function joinTensors(parts: readonly tf.Tensor[]): tf.Tensor {
  const shape = parts[0]?.shape;
  if (!shape) throw new Error('no tensors to join');
  if (shape.length === 1) return tf.concat(parts as tf.Tensor[], 0);
  const rows = shape[shape.length - 2] ?? 0;
  const cols = shape[shape.length - 1] ?? 0;
  const n = parts.length;
  const lead = shape.slice(0, -2).map((): [number, number] => [0, 0]);
  return tf.tidy(() => tf.addN(parts.map((t, c) => tf.pad(t, [...lead, [c * rows, (n - 1 - c) * rows], [c * cols, (n - 1 - c) * cols]]))));
}

/** Copy `copy`'s part of a joined tensor (the inverse of {@link joinTensors}), shaped `shape` like the copy's own. */
export function partOf(joined: tf.Tensor, copy: number, shape: readonly number[]): tf.Tensor {
  const begin = shape.map((size, axis) => (axis >= Math.max(0, shape.length - 2) ? copy * size : 0));
  return tf.slice(joined, begin, [...shape]);
}

function checkShapes(wide: Model, model: Model, copies: number): void {
  const single = new Map(model.specs.map((s) => [s.name, s.shape]));
  for (const spec of wide.specs) {
    const shape = single.get(spec.name);
    const expected = shape?.map((size, axis) => (axis >= Math.max(0, shape.length - 2) ? size * copies : size));
    if (!expected || expected.join() !== spec.shape.join())
      throw new Error(`side by side: ${spec.name} is [${spec.shape.join()}], not ${copies} copies of [${shape?.join() ?? 'nothing'}]`);
  }
}

/**
 * Joins `trainees` (see {@link sideBySideModel}) into one wide network with their variables,
 * optimiser state and masks; the trainees are left as they were. The caller owns the result
 * ({@link disposeSideBySide}).
 */
export function joinSideBySide(model: Model, trainees: readonly Trainee[]): SideBySide {
  const wide = sideBySideModel(model, trainees);
  const first = trainees[0];
  if (!wide || !first) throw new Error(`these ${trainees.length} networks cannot train side by side`);
  checkShapes(wide, model, trainees.length);
  const params = new Map<string, tf.Variable>();
  const mask = new Map<string, tf.Tensor>();
  for (const spec of model.specs) {
    const parts = trainees.map((t) => t.params.get(spec.name) as tf.Variable);
    params.set(
      spec.name,
      variableOf(() => joinTensors(parts), parts[0]?.trainable ?? true),
    );
    if (spec.shape.length >= 2 || trainees.some((t) => t.mask?.has(spec.name)))
      mask.set(
        spec.name,
        tf.tidy(() => joinTensors(trainees.map((t, c) => t.mask?.get(spec.name) ?? tf.onesLike(parts[c] as tf.Tensor)))),
      );
  }
  const state: Record<string, Map<string, tf.Variable>> = {};
  for (const slot of Object.keys(first.optimizer.state)) {
    const joined = new Map<string, tf.Variable>();
    for (const name of params.keys()) {
      const parts = trainees.map((t) => t.optimizer.state[slot]?.get(name));
      if (parts.every((p) => p === undefined)) continue;
      joined.set(
        name,
        variableOf(() => joinTensors(parts.map((p, c) => p ?? tf.zerosLike(trainees[c]?.params.get(name) as tf.Tensor))), false),
      );
    }
    state[slot] = joined;
  }
  return {
    model: wide,
    copies: trainees,
    params,
    optimizer: createOptimizer(first.optimizer.settings, state, first.optimizer.updates),
    mask,
    step: first.step,
  };
}

/** A variable holding what `make` computes (its intermediates freed). */
function variableOf(make: () => tf.Tensor, trainable: boolean): tf.Variable {
  return tf.tidy(() => tf.variable(make(), trainable));
}

/** The copies as they now are in `side`, as new trainees (the caller owns them; each keeps its original's data order, schedule offset and mask). */
export function splitSideBySide(side: SideBySide, model: Model): Trainee[] {
  const shapes = new Map(model.specs.map((s) => [s.name, s.shape]));
  const part = (t: tf.Tensor, c: number, name: string) => partOf(t, c, shapes.get(name) ?? []);
  return side.copies.map((copy, c) => {
    const params = new Map<string, tf.Variable>();
    for (const [name, t] of side.params)
      params.set(
        name,
        variableOf(() => part(t, c, name), t.trainable),
      );
    const state: Record<string, Map<string, tf.Variable>> = {};
    for (const [slot, tensors] of Object.entries(side.optimizer.state)) {
      state[slot] = new Map([...tensors].map(([name, t]) => [name, variableOf(() => part(t, c, name), false)] as const));
    }
    const optimizer = createOptimizer(side.optimizer.settings, state, side.optimizer.updates);
    return { params, optimizer, order: copy.order, step: side.step, scheduleOffset: copy.scheduleOffset, mask: copy.mask };
  });
}

/**
 * A fresh pair side by side, for probes and benchmarks: copies from initialisations 0 and 1 with
 * data orders 0 and 1 over `data` in batches of `batchSize`, joined. `dispose` frees the wide
 * network and both copies.
 */
export function freshPairSideBySide(model: Model, optimizer: OptimizerSettings, data: ImageDataset, batchSize: number): { side: SideBySide; dispose(): void } {
  const copies = [0, 1].map((c) => freshTrainee(model, optimizer, c, new DataOrder(c, data.count, batchSize)));
  try {
    const side = joinSideBySide(model, copies);
    return {
      side,
      dispose: () => {
        disposeSideBySide(side);
        copies.forEach(disposeTrainee);
      },
    };
  } catch (error) {
    copies.forEach(disposeTrainee);
    throw error;
  }
}

/** Frees the wide network's variables, optimiser state and mask. */
export function disposeSideBySide(side: SideBySide): void {
  disposeParams(side.params);
  side.optimizer.dispose();
  for (const t of side.mask.values()) t.dispose();
}

/** What {@link sideBySideStep} returns (the caller owns the tensors). */
export interface SideBySideLosses {
  /** The sum of the copies' batch losses (what was differentiated). */
  readonly total: tf.Scalar;
  /** Each copy's batch loss [copies], when asked for. */
  readonly perCopy: tf.Tensor1D | null;
}

/**
 * One step of every copy: each on its own batch (from `options.batches`, by default built on the
 * host), at the learning rate of the shared schedule. Returns the summed loss and, with
 * `withLosses`, each copy's (a few more kernels: ask only when they will be read).
 */
export function sideBySideStep(
  side: SideBySide,
  data: ImageDataset,
  options: Pick<TrainOptions, 'model' | 'schedule' | 'batches'>,
  withLosses: boolean,
): SideBySideLosses {
  const copies = side.copies.length;
  const classes = side.model.numClasses / copies;
  const lr = learningRateAt(options.schedule, side.step - (side.copies[0]?.scheduleOffset ?? 0));
  // Each copy's batch in its own channels (its own rows of labels).
  const batch = (options.batches ?? hostBatches(data)).batch(
    side.copies.map((copy) => batchPartAt(data, copy.order, side.step)),
    side.model.inputChannels / copies,
  );
  let perCopy: tf.Tensor1D | null = null;
  try {
    const total = descend(side, options.model.bnMomentum, lr, (batchStats) => {
      const logits = tf.reshape(side.model.forward(side.params, batch.x, { mode: 'train', batchStats }), [-1, classes]) as tf.Tensor2D;
      if (withLosses) perCopy = tf.keep(tf.mean(tf.reshape(perExampleCrossEntropy(logits, batch.y), [-1, copies]), 0) as tf.Tensor1D);
      // Each copy's loss is the mean over its own batch: `copies` times the mean over every row.
      return crossEntropy(logits, batch.y, copies);
    });
    side.step += 1;
    return { total, perCopy };
  } catch (error) {
    (perCopy as tf.Tensor1D | null)?.dispose();
    throw error;
  } finally {
    batch.x.dispose();
    batch.y.dispose();
  }
}

/** What {@link trainSideBySide} reports: the step every copy has reached, and each copy's loss at that step. */
export interface SideBySideProgress {
  readonly step: number;
  readonly losses: readonly number[];
}

/**
 * Trains `trainees` (which {@link sideBySideModel} accepts) side by side to step `to`, reporting
 * as {@link trainTo} does (each copy's loss read about every `reportEveryMs`, and at the end).
 * Returns the trained copies as new trainees (the caller owns them and frees the ones given).
 * A non-finite loss throws {@link CopyDivergedError} naming the copy; an abort throws an
 * `AbortError`. Either way every tensor it made is freed and the trainees given are unchanged.
 */
export async function* trainSideBySide(trainees: readonly Trainee[], to: number, options: TrainOptions): AsyncGenerator<SideBySideProgress, Trainee[]> {
  const everyMs = options.reportEveryMs ?? 100;
  const side = joinSideBySide(options.model, trainees);
  let lastReport = performance.now();
  try {
    while (side.step < to) {
      throwIfAborted(options.signal);
      const report = performance.now() - lastReport >= everyMs || side.step + 1 === to;
      const { total, perCopy } = sideBySideStep(side, options.data, options, report);
      total.dispose();
      if (!perCopy) continue;
      const values = Array.from(await perCopy.data());
      perCopy.dispose();
      const bad = values.findIndex((v) => !Number.isFinite(v));
      // A copy's NaN reaches the others through the zeros between their blocks (0·NaN is NaN), so the first named may not be where it began.
      if (bad >= 0) throw new CopyDivergedError(bad, side.step, values[bad] ?? Number.NaN, values.filter((v) => !Number.isFinite(v)).length > 1);
      lastReport = performance.now();
      yield { step: side.step, losses: values };
      await yieldToEventLoop();
    }
    return splitSideBySide(side, options.model);
  } finally {
    disposeSideBySide(side);
  }
}
