import { describe, expect, test } from 'vitest';
import { drawnValues, formatValue, niceAxis, niceStep, stepDecimals, valueAxisTicks } from '../src/ui/axes.ts';

describe('chart axes on round numbers', () => {
  test('steps are 1, 2, 2.5 or 5 times a power of ten, and ticks land on them (no 0.65, 1.3, 1.95)', () => {
    expect(niceStep(1.95, 3)).toBe(1);
    expect(niceStep(8.25)).toBe(2);
    expect(niceStep(0.36)).toBe(0.1);
    expect(niceAxis(0, 1.95, 3)).toEqual({ domain: [0, 2], ticks: [0, 1, 2], step: 1 });
    expect(niceAxis(1.62, 8.25)).toEqual({ domain: [0, 10], ticks: [0, 2, 4, 6, 8, 10], step: 2 });
    expect(stepDecimals(2)).toBe(0);
    expect(stepDecimals(0.5)).toBe(1);
    expect(stepDecimals(0.25)).toBe(2);
  });

  test('errors start at 0 and instability keeps the 2-point line in view, so a 0.36-point wobble does not look dramatic', () => {
    const errors = valueAxisTicks({ title: 'test error (%)', unit: '%', floor: 0 }, [2.1, 2.46]);
    expect(errors.domain).toEqual([0, 2.5]);
    const flat = valueAxisTicks({ title: 'instability', unit: 'points', floor: 0, include: [2] }, [0.05, 0.41]);
    expect(flat.domain).toEqual([0, 2]);
    expect(flat.ticks).toContain(2);
    const negative = valueAxisTicks({ title: 'instability', unit: 'points', floor: 0, include: [2] }, [-0.3, 16.7]);
    expect(negative.domain).toEqual([-0.3, 20]);
    // Only what is below 0 widens the range: no ticks down there.
    expect(negative.ticks).toEqual([0, 5, 10, 15, 20]);
    // Rewind steps all at k = 0 (Figure 9 of a k = 0 run): whole-number ticks, not 0, 0.2, 0.4 shown as 0, 0, 0.
    expect(valueAxisTicks({ title: 'rewind step k', unit: 'step', floor: 0 }, [0, 0]).ticks).toEqual([0, 1, 2, 3, 4, 5]);
  });

  test('error bars count toward the range; tooltips round and name the unit', () => {
    const rows = [{ x: 0, dense: 16.7, 'dense:err': [3.4, 3.4] as [number, number] }];
    expect(drawnValues(rows, ['dense'])).toEqual([16.7 - 3.4, 16.7 + 3.4]);
    expect(formatValue({ unit: '%' }, 2.123456)).toBe('2.12%');
    expect(formatValue({ unit: 'points' }, 16.70001)).toBe('16.70 points');
    expect(formatValue({ unit: 'step' }, 99.6)).toBe('k = 100');
  });
});
