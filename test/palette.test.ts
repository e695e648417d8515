import { describe, expect, test } from 'vitest';
import { KIND_COLOR, KIND_DASH, PALETTE, TRAIN_COLOR } from '../src/ui/kinds.ts';

describe('one meaning per colour', () => {
  test('each palette entry is its own colour; subnetwork classes differ by colour and by dash; the threshold line is neither a class nor test or train', () => {
    expect(new Set(Object.values(PALETTE)).size).toBe(Object.keys(PALETTE).length);
    const subnetworks = (['imp', 'random-prune', 'random-reinit'] as const).map((k) => [KIND_COLOR[k], KIND_DASH[k]]);
    expect(new Set(subnetworks.map(([c]) => c)).size).toBe(3);
    expect(new Set(subnetworks.map(([, d]) => d)).size).toBe(3);
    expect(KIND_COLOR.dense).toBe(PALETTE.test);
    expect(TRAIN_COLOR).toBe(PALETTE.train);
    expect(Object.values(KIND_COLOR)).not.toContain(PALETTE.reference);
  });
});
