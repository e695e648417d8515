import { describe, expect, test } from 'vitest';
import { type ConfigField } from '../src/core/experiments/config.ts';
import { PRESETS } from '../src/core/experiments/presets.ts';
import { SETTINGS, choicesOf, formatSettingValue, parseSettingText, settingRow } from '../src/core/experiments/settings.ts';

describe('one table of settings', () => {
  test('every configuration field has exactly one row, every key is distinct, and every choice lists its schema’s options', () => {
    const fields = Object.keys(PRESETS['lenet-quick']).sort();
    expect(SETTINGS.map((r) => r.field).sort()).toEqual(fields);
    expect(new Set(SETTINGS.map((r) => r.key)).size).toBe(SETTINGS.length);
    expect(choicesOf('optimizer')).toEqual(['adam', 'sgd']);
    expect(choicesOf('backend')).toEqual(['auto', 'webgpu', 'webgl', 'wasm', 'cpu']);
    for (const row of SETTINGS.filter((r) => r.kind === 'choice')) expect(choicesOf(row.field).length).toBeGreaterThan(1);
  });

  test('one text reader for links, flags and the form: numbers, lists with or without spaces, booleans as 1/0 or true/false', () => {
    const row = (field: ConfigField) => settingRow(field);
    expect(parseSettingText(row('rewindSteps'), '0, 100,300')).toEqual({ ok: true, value: [0, 100, 300] });
    expect(parseSettingText(row('trainEval'), '1')).toEqual({ ok: true, value: true });
    expect(parseSettingText(row('trainEval'), 'false')).toEqual({ ok: true, value: false });
    expect(parseSettingText(row('learningRate'), '')).toMatchObject({ ok: false });
    expect(parseSettingText(row('inits'), '2.5')).toMatchObject({ ok: false });
    expect(parseSettingText(row('optimizer'), 'rmsprop')).toMatchObject({ ok: false });
    expect(formatSettingValue([0, 100])).toBe('0,100');
    expect(formatSettingValue(true)).toBe('1');
  });
});
