import { describe, expect, test } from 'vitest';
import { Rng, deriveSeed } from '../src/core/rng.ts';

describe('Rng', () => {
  test('the same seed gives the same sequence; another seed another', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const seqA = Array.from({ length: 8 }, () => a.nextUint32());
    expect(Array.from({ length: 8 }, () => b.nextUint32())).toEqual(seqA);
    expect(Array.from({ length: 8 }, () => c.nextUint32())).not.toEqual(seqA);
  });

  test('nextInt stays in range and hits every value', () => {
    const rng = new Rng(7);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = rng.nextInt(7);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(7);
      seen.add(v);
    }
    expect(seen.size).toBe(7);
  });

  test('normal samples have mean ≈ 0 and variance ≈ 1', () => {
    const rng = new Rng(1);
    const n = 50_000;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const v = rng.nextNormal();
      sum += v;
      sq += v * v;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.02);
    expect(Math.abs(sq / n - 1)).toBeLessThan(0.03);
  });

  test('shuffle returns a permutation', () => {
    const a = Int32Array.from({ length: 100 }, (_, i) => i);
    new Rng(3).shuffle(a);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect([...a]).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  test('deriveSeed separates streams by every label', () => {
    const seeds = new Set([
      deriveSeed(1, 'copy', 0, 0, 0),
      deriveSeed(1, 'copy', 0, 0, 1),
      deriveSeed(1, 'copy', 0, 1, 0),
      deriveSeed(1, 'trunk', 0),
      deriveSeed(2, 'copy', 0, 0, 0),
    ]);
    expect(seeds.size).toBe(5);
    expect(deriveSeed(9, 'a', 3)).toBe(deriveSeed(9, 'a', 3));
  });
});
