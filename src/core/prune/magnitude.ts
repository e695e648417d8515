import { Rng } from '../rng.ts';
import type { HostMask, OutputLayerRule } from './mask.ts';

/** Alive weights in `mask`; the count each pruning round works from. */
function aliveOf(mask: Uint8Array): number {
  let n = 0;
  for (const v of mask) n += v;
  return n;
}

/**
 * Removes exactly `count` alive weights of smallest magnitude across `names` (one global
 * threshold). Ties are broken deterministically: by tensor order in `names`, then by index.
 * Writes into `next` (a copy of the current mask).
 */
function pruneSmallest(names: readonly string[], weights: ReadonlyMap<string, Float32Array>, next: Map<string, Uint8Array>, count: number): void {
  if (count <= 0) return;
  const entries: { mag: number; tensor: number; index: number }[] = [];
  names.forEach((name, tensor) => {
    const w = weights.get(name);
    const m = next.get(name);
    if (!w || !m) throw new Error(`no weights or mask for ${name}`);
    for (let i = 0; i < m.length; i++) if (m[i] === 1) entries.push({ mag: Math.abs(w[i] ?? 0), tensor, index: i });
  });
  entries.sort((a, b) => a.mag - b.mag || a.tensor - b.tensor || a.index - b.index);
  for (let j = 0; j < Math.min(count, entries.length); j++) {
    const e = entries[j];
    if (!e) break;
    const m = next.get(names[e.tensor] ?? '');
    if (m) m[e.index] = 0;
  }
}

/** Options of {@link pruneGlobalMagnitude}. */
export interface PruneOptions {
  /** Fraction of the alive weights to remove this round, in (0, 1) (paper: 0.2). */
  readonly fraction: number;
  /** Name of the output layer's weight, which {@link OutputLayerRule} governs. */
  readonly outputLayer: string | null;
  readonly outputRule: OutputLayerRule;
}

/**
 * One round of global magnitude pruning (open_lth `sparse_global`): among the prunable weights
 * still alive, removes the ⌈fraction × alive⌉ of smallest |w| under one threshold across all
 * tensors (`keep`: the output layer is left out; `half`: the output layer is pruned on its own
 * at fraction/2). Exact counts; ties broken by tensor order then index (open_lth instead keeps
 * weights strictly above the value at that index, which removes ties and one extra weight).
 * Returns the new mask; `current` is not modified.
 */
export function pruneGlobalMagnitude(current: HostMask, weights: ReadonlyMap<string, Float32Array>, options: PruneOptions): Map<string, Uint8Array> {
  const next = new Map<string, Uint8Array>([...current].map(([k, v]) => [k, Uint8Array.from(v)]));
  const out = options.outputLayer !== null && current.has(options.outputLayer) ? options.outputLayer : null;
  const global = [...current.keys()].filter((n) => options.outputRule === 'prune' || n !== out);
  const alive = global.reduce((s, n) => s + aliveOf(current.get(n) ?? new Uint8Array()), 0);
  pruneSmallest(global, weights, next, Math.ceil(options.fraction * alive));
  if (out !== null && options.outputRule === 'half') {
    pruneSmallest([out], weights, next, Math.ceil((options.fraction / 2) * aliveOf(current.get(out) ?? new Uint8Array())));
  }
  return next;
}

/**
 * Random pruning with the same number of alive weights in every tensor as `reference`
 * (open_lth's `layerwise` random baseline): each tensor gets a uniformly random set of that
 * many positions, drawn from `seed`.
 */
export function randomMaskLike(reference: HostMask, seed: number): Map<string, Uint8Array> {
  const rng = new Rng(seed);
  const out = new Map<string, Uint8Array>();
  for (const [name, m] of reference) {
    const alive = aliveOf(m);
    const positions = Int32Array.from({ length: m.length }, (_, i) => i);
    // Partial Fisher–Yates: the first `alive` positions become a uniform random subset.
    for (let i = 0; i < alive; i++) {
      const j = i + rng.nextInt(m.length - i);
      const tmp = positions[i] ?? 0;
      positions[i] = positions[j] ?? 0;
      positions[j] = tmp;
    }
    const r = new Uint8Array(m.length);
    for (let i = 0; i < alive; i++) r[positions[i] ?? 0] = 1;
    out.set(name, r);
  }
  return out;
}
