import * as tf from '@tensorflow/tfjs';
import { DataOrder } from '../data/order.ts';
import type { Mask } from '../prune/mask.ts';
import { type OptimizerSettings, createOptimizer } from './optimizer.ts';
import type { Trainee } from './trainer.ts';

/** A float32 tensor held on the host: structured-cloneable (worker messages, IndexedDB). */
export interface HostTensor {
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** Named host tensors, in the order of the map they came from. */
export type HostTensors = readonly (readonly [string, HostTensor])[];

/** An optimiser's whole state on the host. */
export interface OptimizerSnapshot {
  readonly settings: OptimizerSettings;
  readonly updates: number;
  /** Slot name (Adam: `m`, `v`; SGD: `momentum`) → per-parameter state. */
  readonly slots: Readonly<Record<string, HostTensors>>;
}

/**
 * Everything needed to continue training a network exactly where it stopped: weights (and
 * BatchNorm buffers), optimiser state, data order and step. The data order is a pure function
 * of (seed, step), so the seed and step are its whole state. Masks are kept apart (see
 * {@link hostTensors}) because a trainee does not own its mask.
 */
export interface TraineeSnapshot {
  readonly params: readonly { readonly name: string; readonly trainable: boolean; readonly tensor: HostTensor }[];
  readonly optimizer: OptimizerSnapshot;
  readonly order: { readonly seed: number; readonly count: number; readonly batchSize: number };
  readonly step: number;
  readonly scheduleOffset: number;
}

/** Reads tensors back to the host (asynchronously, so GPU backends do not stall). */
export async function hostTensors(tensors: ReadonlyMap<string, tf.Tensor>): Promise<HostTensors> {
  const out: (readonly [string, HostTensor])[] = [];
  for (const [name, t] of tensors) out.push([name, { shape: [...t.shape], values: new Float32Array(await t.data<'float32'>()) }]);
  return out;
}

function deviceTensor(h: HostTensor): tf.Tensor {
  const size = h.shape.reduce((a, b) => a * b, 1);
  if (size !== h.values.length) throw new Error(`a stored tensor of shape [${h.shape.join(', ')}] holds ${h.values.length} values, not ${size}`);
  return tf.tensor(h.values, [...h.shape], 'float32');
}

/** Host tensors as tensors on the current backend (a mask, say); the caller owns them. */
export function deviceTensors(host: HostTensors): Map<string, tf.Tensor> {
  const out = new Map<string, tf.Tensor>();
  try {
    for (const [name, h] of host) out.set(name, deviceTensor(h));
  } catch (error) {
    for (const t of out.values()) t.dispose();
    throw error;
  }
  return out;
}

function deviceVariables(host: HostTensors, trainable: (name: string) => boolean): Map<string, tf.Variable> {
  const tensors = deviceTensors(host);
  const out = new Map<string, tf.Variable>();
  for (const [name, t] of tensors) {
    out.set(name, tf.variable(t, trainable(name)));
    t.dispose();
  }
  return out;
}

/**
 * The whole training state of `t` on the host; `t` is unchanged. With `optimizer: false` the
 * optimiser's moments are left out (restored as a fresh optimiser with the same settings), for
 * a state whose optimiser will never be used (W_k when rewinding resets the optimiser).
 */
export async function snapshotTrainee(t: Trainee, options: { optimizer: boolean } = { optimizer: true }): Promise<TraineeSnapshot> {
  const params: { name: string; trainable: boolean; tensor: HostTensor }[] = [];
  for (const [name, tensor] of await hostTensors(t.params)) params.push({ name, trainable: t.params.get(name)?.trainable ?? true, tensor });
  const slots: Record<string, HostTensors> = {};
  if (options.optimizer) for (const [slot, state] of Object.entries(t.optimizer.state)) slots[slot] = await hostTensors(state);
  return {
    params,
    optimizer: { settings: t.optimizer.settings, updates: options.optimizer ? t.optimizer.updates : 0, slots },
    order: { seed: t.order.seed, count: t.order.count, batchSize: t.order.batchSize },
    step: t.step,
    scheduleOffset: t.scheduleOffset,
  };
}

/**
 * A trainee on the current backend continuing from `snapshot`, masked by `mask` (which stays
 * the caller's). The caller owns the trainee. Training it on gives exactly the numbers the
 * snapshotted trainee would have given on the same backend.
 */
export function restoreTrainee(snapshot: TraineeSnapshot, mask: Mask | null): Trainee {
  const trainable = new Map(snapshot.params.map((p) => [p.name, p.trainable]));
  const params = deviceVariables(
    snapshot.params.map((p) => [p.name, p.tensor] as const),
    (name) => trainable.get(name) ?? true,
  );
  const state: Record<string, Map<string, tf.Variable>> = {};
  for (const [slot, host] of Object.entries(snapshot.optimizer.slots)) state[slot] = deviceVariables(host, () => false);
  const { seed, count, batchSize } = snapshot.order;
  return {
    params,
    optimizer: createOptimizer(snapshot.optimizer.settings, state, snapshot.optimizer.updates),
    order: new DataOrder(seed, count, batchSize),
    step: snapshot.step,
    scheduleOffset: snapshot.scheduleOffset,
    mask,
  };
}
