import { describe, expect, test } from 'vitest';
import { UsageError, helpText, parseCliArgs } from '../src/cli/args.ts';
import { PRESETS } from '../src/core/experiments/presets.ts';

describe('experiment command line', () => {
  test('a preset with overrides, using the link keys as flags', () => {
    const r = parseCliArgs(['--preset', 'lenet-paper', '--T', '300', '--k=0,100', '--out', 'r.json']);
    expect(r.decoded.config).toEqual({ ...PRESETS['lenet-paper'], trainingSteps: 300, rewindSteps: [0, 100] });
    expect(r.out).toBe('r.json');
  });

  test('a share link runs exactly what it describes; flags override it', () => {
    const link = 'http://localhost:5173/#v=1&preset=lenet-quick&T=80&k=0,10&pairs=1';
    expect(parseCliArgs(['--link', link]).decoded.config).toEqual({ ...PRESETS['lenet-quick'], trainingSteps: 80, rewindSteps: [0, 10], pairsPerInit: 1 });
    expect(parseCliArgs(['--link', link, '--pairs', '3']).decoded.config.pairsPerInit).toBe(3);
  });

  test('bad values and unknown options are usage errors that say what is wrong', () => {
    expect(() => parseCliArgs(['--lr', 'fast'])).toThrow(UsageError);
    expect(() => parseCliArgs(['--lr', 'fast'])).toThrow("setting 'lr=fast' is not valid");
    expect(() => parseCliArgs(['--speed', '3'])).toThrow('unknown option --speed');
    expect(() => parseCliArgs(['--preset', 'vgg'])).toThrow("unknown preset 'vgg'");
    expect(() => parseCliArgs(['--T'])).toThrow('--T needs a value');
    expect(() => parseCliArgs(['--T', '10', '--k', '0,50'])).toThrow('rewind steps 50 are not below the 10 training steps');
  });

  test('a setting given twice is refused in flags and in a link, the same rule as the app’s', () => {
    expect(() => parseCliArgs(['--T', '60', '--T', '100000'])).toThrow("--T is given twice ('60' and '100000'); give it once");
    expect(() => parseCliArgs(['--link', '#v=1&T=60&T=100000'])).toThrow("setting 'T' is given 2 times (60, 100000); using the preset's value instead");
    expect(() => parseCliArgs(['--link', '#v=1&preset=lenet-quick&preset=lenet-paper'])).toThrow("setting 'preset' is given 2 times");
  });

  test('--workers takes a whole number of worker threads, 0 for none, and defaults to null', () => {
    expect(parseCliArgs([]).workers).toBeNull();
    expect(parseCliArgs(['--workers', '0']).workers).toBe(0);
    expect(parseCliArgs(['--workers=4']).workers).toBe(4);
    expect(() => parseCliArgs(['--workers', '1.5'])).toThrow("--workers must be a whole number from 0 to 64, not '1.5'");
    expect(() => parseCliArgs(['--workers', '-1'])).toThrow("--workers must be a whole number from 0 to 64, not '-1'");
  });

  test('--help lists every setting flag', () => {
    expect(parseCliArgs(['--help']).help).toBe(true);
    for (const flag of ['--T', '--k', '--lr', '--alphas', '--backend', '--reset']) expect(helpText()).toContain(flag);
  });
});
