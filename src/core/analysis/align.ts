import type { ModelName } from '../models/model.ts';
import { maxAssignment } from './assignment.ts';

/** The dense layers, input to output, whose hidden units weight matching permutes, for each model it supports. */
export const ALIGNABLE_LAYERS: Readonly<Partial<Record<ModelName, readonly string[]>>> = { 'lenet-300-100': ['fc1', 'fc2', 'out'] };

/** A network's weights on the host: each parameter's shape and values, by name. */
export type HostWeights = ReadonlyMap<string, { readonly shape: readonly number[]; readonly values: Float32Array }>;

/** What {@link alignMlp} found: one permutation per hidden layer (aligned unit i is B's unit p[i]), B's aligned weights, and the rounds it took. */
export interface MlpAlignment {
  readonly permutations: readonly Int32Array[];
  readonly aligned: Map<string, { shape: readonly number[]; values: Float32Array }>;
  readonly rounds: number;
}

function get(weights: HostWeights, name: string): { readonly shape: readonly number[]; readonly values: Float32Array } {
  const w = weights.get(name);
  if (!w) throw new Error(`permutation alignment: missing parameter ${name}`);
  return w;
}

/**
 * Weight matching (Ainsworth, Hayase and Srinivasa 2023, "Git Re-Basin", Algorithm 1) for a
 * chain of dense layers `layers` (each `${name}.weight` stored [in, out] and `${name}.bias`):
 * permutes the hidden units of network `b` so that its weights best match `a`'s. Each hidden
 * layer's permutation maximises the summed inner products of the matched units' incoming
 * weights, biases and outgoing weights, with the other layers' permutations held fixed: a linear
 * assignment solved exactly; layers are revisited until no permutation changes. Permuting hidden
 * units does not change the function `b` computes.
 */
export function alignMlp(a: HostWeights, b: HostWeights, layers: readonly string[], maxRounds = 100): MlpAlignment {
  const W = (w: HostWeights, l: number) => get(w, `${layers[l]}.weight`);
  const B = (w: HostWeights, l: number) => get(w, `${layers[l]}.bias`);
  const hidden = layers.length - 1;
  const width = (l: number) => W(a, l).shape[1] as number;
  const permutations: Int32Array[] = Array.from({ length: hidden }, (_, l) => Int32Array.from({ length: width(l) }, (_, i) => i));
  const prevIndex = (l: number, k: number) => (l > 0 ? (permutations[l - 1]?.[k] ?? k) : k);
  const nextIndex = (l: number, o: number) => (l + 1 < hidden ? (permutations[l + 1]?.[o] ?? o) : o);
  let rounds = 0;
  for (let changed = true; changed && rounds < maxRounds; rounds++) {
    changed = false;
    for (let l = 0; l < hidden; l++) {
      const n = width(l);
      const [wa, wb, ba, bb] = [W(a, l), W(b, l), B(a, l), B(b, l)];
      const [na, nb] = [W(a, l + 1), W(b, l + 1)];
      const fanIn = wa.shape[0] as number;
      const fanOut = na.shape[1] as number;
      const similarity = new Float64Array(n * n);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          let s = (ba.values[i] as number) * (bb.values[j] as number);
          for (let k = 0; k < fanIn; k++) s += (wa.values[k * n + i] as number) * (wb.values[prevIndex(l, k) * n + j] as number);
          for (let o = 0; o < fanOut; o++) s += (na.values[i * fanOut + o] as number) * (nb.values[j * fanOut + nextIndex(l, o)] as number);
          similarity[i * n + j] = s;
        }
      const p = maxAssignment(similarity, n);
      if (p.some((v, i) => v !== permutations[l]?.[i])) {
        permutations[l] = p;
        changed = true;
      }
    }
  }
  const aligned = new Map<string, { shape: readonly number[]; values: Float32Array }>();
  for (let l = 0; l <= hidden; l++) {
    const [wb, bb] = [W(b, l), B(b, l)];
    const [fanIn, fanOut] = wb.shape as [number, number];
    const out = (i: number) => (l < hidden ? (permutations[l]?.[i] ?? i) : i);
    const weight = new Float32Array(fanIn * fanOut);
    for (let k = 0; k < fanIn; k++) for (let i = 0; i < fanOut; i++) weight[k * fanOut + i] = wb.values[prevIndex(l, k) * fanOut + out(i)] as number;
    aligned.set(`${layers[l]}.weight`, { shape: wb.shape, values: weight });
    aligned.set(`${layers[l]}.bias`, { shape: bb.shape, values: Float32Array.from({ length: fanOut }, (_, i) => bb.values[out(i)] as number) });
  }
  return { permutations, aligned, rounds };
}
