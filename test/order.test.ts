import { describe, expect, test } from 'vitest';
import { DataOrder } from '../src/core/data/order.ts';

describe('data order (SGD noise)', () => {
  test('each epoch visits every example once, in a fresh order', () => {
    const order = new DataOrder(5, 12, 4);
    expect(order.stepsPerEpoch).toBe(3);
    const epoch0 = [0, 1, 2].flatMap((s) => [...order.batchIndices(s)]);
    const epoch1 = [3, 4, 5].flatMap((s) => [...order.batchIndices(s)]);
    expect([...epoch0].sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
    expect([...epoch1].sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
    expect(epoch1).not.toEqual(epoch0);
  });

  test('a batch depends only on seed and step, not on where reading started', () => {
    const fromStart = new DataOrder(9, 100, 10);
    const seq = Array.from({ length: 25 }, (_, s) => [...fromStart.batchIndices(s)]);
    const resumed = new DataOrder(9, 100, 10);
    expect([...resumed.batchIndices(17)]).toEqual(seq[17]);
    expect([...resumed.batchIndices(3)]).toEqual(seq[3]);
  });

  test('different seeds give different orders; the last partial batch is dropped', () => {
    const a = new DataOrder(1, 60000, 60);
    const b = new DataOrder(2, 60000, 60);
    expect([...a.batchIndices(0)]).not.toEqual([...b.batchIndices(0)]);
    expect(new DataOrder(1, 10, 3).stepsPerEpoch).toBe(3);
    expect(() => new DataOrder(1, 10, 11)).toThrow('batch size 11 must be between 1 and the 10 training examples');
  });
});
