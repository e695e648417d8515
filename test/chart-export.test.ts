import { describe, expect, test } from 'vitest';
import { rowsToCsv } from '../src/ui/chart-export.ts';

describe('chart CSV export', () => {
  test('one column per key, ranges split into low/high, blanks for missing values', () => {
    const csv = rowsToCsv([
      { x: 0, dense: 1.5, 'dense:err': [0.1, 0.1] },
      { x: 1, imp: 2 },
    ]);
    expect(csv).toBe('"x","dense","dense:err:low","dense:err:high","imp"\n0,1.5,0.1,0.1,\n1,,,,2\n');
  });

  test('text is quoted with quotes doubled', () => {
    expect(rowsToCsv([{ name: 'a "b"' }])).toBe('"name"\n"a ""b"""\n');
  });
});
