import * as tf from '@tensorflow/tfjs';
import type { Model, UnitGroup } from '../models/model.ts';
import { type ParamMap, isTrainable } from '../models/params.ts';
import { maxAssignment } from './assignment.ts';

/** What {@link weightMatching} found: one permutation per unit group of the model (aligned unit i is B's unit p[i]), and the rounds it took. */
export interface Alignment {
  readonly permutations: readonly Int32Array[];
  readonly rounds: number;
}

/** Each parameter's permuted axes: for parameter name, axis → index of its unit group. */
function axesByParam(groups: readonly UnitGroup[]): Map<string, Map<number, number>> {
  const out = new Map<string, Map<number, number>>();
  for (const [g, group] of groups.entries())
    for (const { param, axis } of group.axes) {
      const axes = out.get(param) ?? new Map<number, number>();
      axes.set(axis, g);
      out.set(param, axes);
    }
  return out;
}

function get(params: ParamMap, name: string): tf.Tensor {
  const t = params.get(name);
  if (!t) throw new Error(`permutation alignment: missing parameter ${name}`);
  return t;
}

/** `t` with the units along each of `axes` reordered by its group's permutation (index i takes unit p[i]), skipping group `except`. Call inside tf.tidy. */
function gathered(t: tf.Tensor, axes: ReadonlyMap<number, number>, permutations: readonly Int32Array[], except = -1): tf.Tensor {
  let out = t;
  for (const [axis, g] of axes) {
    const p = permutations[g];
    if (g !== except && p) out = tf.gather(out, tf.tensor1d(p, 'int32'), axis);
  }
  return out;
}

/** `t` as a matrix whose rows are its units along `axis`. Call inside tf.tidy. */
function unitsAsRows(t: tf.Tensor, axis: number): tf.Tensor2D {
  const order = [axis, ...t.shape.map((_, i) => i).filter((i) => i !== axis)];
  return tf.reshape(tf.transpose(t, order), [t.shape[axis] as number, -1]);
}

/**
 * Weight matching (Ainsworth, Hayase and Srinivasa 2023, "Git Re-Basin", Algorithm 1): the
 * permutation of each of the model's unit groups that makes network `b`'s weights best match
 * `a`'s. A group's permutation maximises the summed inner products of matched units' weights in
 * every trainable parameter that the group indexes (incoming and outgoing weights, biases,
 * BatchNorm scales and shifts; running statistics are moved with their channels but not
 * matched), with the other groups' permutations held fixed: a linear assignment solved exactly.
 * Groups are revisited in order until a round changes none. Neither network is modified.
 */
export async function weightMatching(model: Model, a: ParamMap, b: ParamMap, maxRounds = 100): Promise<Alignment> {
  const groups = model.unitGroups;
  if (groups.length === 0) throw new Error(`permutation alignment: ${model.name} has no permutable units`);
  const axes = axesByParam(groups);
  const trainable = new Set(model.specs.filter(isTrainable).map((s) => s.name));
  const permutations: Int32Array[] = groups.map((g) => Int32Array.from({ length: g.size }, (_, i) => i));
  let rounds = 0;
  for (let changed = true; changed && rounds < maxRounds; rounds++) {
    changed = false;
    for (const [g, group] of groups.entries()) {
      const similarity = tf.tidy(() =>
        group.axes
          .filter(({ param }) => trainable.has(param))
          .map(({ param, axis }) => {
            const wb = gathered(get(b, param), axes.get(param) ?? new Map(), permutations, g);
            return tf.matMul(unitsAsRows(get(a, param), axis), unitsAsRows(wb, axis), false, true);
          })
          .reduce((sum, s) => tf.add(sum, s)),
      );
      const values = await similarity.data();
      similarity.dispose();
      const p = maxAssignment(values, group.size);
      if (p.some((v, i) => v !== permutations[g]?.[i])) {
        permutations[g] = p;
        changed = true;
      }
    }
  }
  return { permutations, rounds };
}

/**
 * Network `b` with its units reordered by `permutations` (one per unit group of `model`, as
 * {@link weightMatching} returns): the same function, its units renumbered. Parameters no
 * group indexes are cloned. The caller owns the returned tensors.
 */
export function permuteUnits(model: Model, b: ParamMap, permutations: readonly Int32Array[]): Map<string, tf.Tensor> {
  const axes = axesByParam(model.unitGroups);
  const out = new Map<string, tf.Tensor>();
  for (const [name, t] of b)
    out.set(
      name,
      tf.tidy(() => tf.clone(gathered(t, axes.get(name) ?? new Map(), permutations))),
    );
  return out;
}
