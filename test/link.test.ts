import { describe, expect, test } from 'vitest';
import { parseExperimentConfig } from '../src/core/experiments/config.ts';
import { PRESETS, closestPreset } from '../src/core/experiments/presets.ts';
import { decodeConfig, encodeConfig } from '../src/core/experiments/link.ts';

describe('share links', () => {
  test('a preset encodes to a short link and decodes back exactly', () => {
    expect(encodeConfig(PRESETS['lenet-paper'], 'lenet-paper')).toBe('v=1&preset=lenet-paper');
    const decoded = decodeConfig('#v=1&preset=lenet-paper');
    expect(decoded).toEqual({ preset: 'lenet-paper', config: PRESETS['lenet-paper'], problems: [] });
  });

  test('every changed setting survives the round trip', () => {
    const config = {
      ...PRESETS['lenet-quick'],
      trainingSteps: 1234,
      rewindSteps: [0, 7, 100],
      optimizer: 'sgd' as const,
      learningRate: 0.05,
      momentum: 0.9,
      weightDecay: 1e-4,
      milestones: [500, 900],
      warmupSteps: 10,
      trainEval: true,
      resetSchedule: true,
      optimizerAtCopy: 'copy' as const,
      backend: 'webgl' as const,
      noiseSeed: 4294967295,
      experiment: 'imp' as const,
      pruneRounds: 7,
      pruneFraction: 0.35,
      pruneStrategy: 'one-shot' as const,
      pruneOutput: 'half' as const,
      randomPrune: false,
      subnetInstability: 'none' as const,
      optimizerAtRewind: 'copy' as const,
      matchingThreshold: 0.5,
      cifarUrl: 'https://example.org/data/cifar-10-binary.tar.gz',
    };
    const link = encodeConfig(config, 'lenet-quick');
    expect(link).toContain('k=0,7,100');
    expect(decodeConfig(link)).toEqual({ preset: 'lenet-quick', config, problems: [] });
  });

  test('bad fields fall back alone, each with a message naming the key', () => {
    const { config, problems, preset } = decodeConfig('v=1&preset=lenet-quick&lr=abc&T=500&inits=0&reset=maybe&backend=tpu&zzz=1');
    expect(preset).toBe('lenet-quick');
    expect(config.trainingSteps).toBe(500);
    expect(config.learningRate).toBe(PRESETS['lenet-quick'].learningRate);
    expect(config.inits).toBe(PRESETS['lenet-quick'].inits);
    expect(config.backend).toBe('auto');
    expect(problems).toHaveLength(5);
    expect(problems[0]).toBe("unknown setting 'zzz' ignored");
    expect(problems.some((p) => p.startsWith("setting 'lr=abc' is not valid"))).toBe(true);
    expect(problems.some((p) => p.startsWith("setting 'inits=0' is not valid"))).toBe(true);
    expect(problems.some((p) => p.startsWith("setting 'reset=maybe' is not valid"))).toBe(true);
    expect(problems.some((p) => p.startsWith("setting 'backend=tpu' is not valid"))).toBe(true);
  });

  test('a key given twice is not resolved silently: the preset’s value is used and the message names both values', () => {
    const d = decodeConfig('v=1&preset=lenet-quick&T=60&T=100000&lr=0.01');
    expect(d.config.trainingSteps).toBe(PRESETS['lenet-quick'].trainingSteps);
    expect(d.config.learningRate).toBe(0.01);
    expect(d.problems).toEqual(["setting 'T' is given 2 times (60, 100000); using the preset's value instead"]);
    const presets = decodeConfig('v=1&preset=lenet-paper&preset=lenet-quick');
    expect(presets.preset).toBe('lenet-quick'); // the default preset
    expect(presets.problems).toEqual(["setting 'preset' is given 2 times (lenet-paper, lenet-quick); using 'lenet-quick' instead"]);
  });

  test('the CIFAR-10 URL must be https (plain http only on this computer), as the CSP allows', () => {
    const { config, problems } = decodeConfig('v=1&cifar=ftp://x/y.tgz');
    expect(config.cifarUrl).toBe('');
    expect(problems[0]).toMatch(/^setting 'cifar=ftp:\/\/x\/y.tgz' is not valid/);
    expect(decodeConfig('v=1&cifar=http://example.org/c.tar.gz').problems[0]).toContain(
      'must be an https URL (http only on this computer: localhost, 127.0.0.1) or empty',
    );
    expect(decodeConfig('v=1&cifar=http://127.0.0.1:9/c.tar.gz').config.cifarUrl).toBe('http://127.0.0.1:9/c.tar.gz');
    expect(decodeConfig('v=1&cifar=https://example.org/c.tar.gz').problems).toEqual([]);
  });

  test('an unknown preset, a future version, and rewind steps past T are reported', () => {
    const d = decodeConfig('v=9&preset=resnet-9000&T=100&k=0,50,100,400');
    expect(d.preset).toBe('lenet-quick');
    expect(d.config.rewindSteps).toEqual([0, 50]);
    expect(d.problems).toEqual([
      'link version 9 is not supported (this app reads version 1); reading it as version 1',
      "unknown preset 'resnet-9000'; using 'lenet-quick'",
      'rewind steps 100, 400 are not below the 100 training steps; using rewind steps 0, 50',
    ]);
  });

  test('the closest preset is the one with the fewest differing settings', () => {
    expect(closestPreset(PRESETS['resnet20-low'])).toBe('resnet20-low');
    expect(closestPreset({ ...PRESETS['lenet-imp-paper'], trainingSteps: 2000, inits: 1 })).toBe('lenet-imp-paper');
    expect(closestPreset({ ...PRESETS['resnet20-quick'], width: 2 })).toBe('resnet20-quick');
  });

  test('whole-config validation names the field', () => {
    expect(() => parseExperimentConfig({ ...PRESETS['lenet-quick'], alphas: 1 })).toThrow(/alphas/);
    expect(() => parseExperimentConfig({ ...PRESETS['lenet-quick'], extra: 1 })).toThrow(/invalid configuration/);
    expect(() => parseExperimentConfig({ ...PRESETS['lenet-quick'], rewindSteps: [0, 0] })).toThrow('rewind steps repeat a value');
    expect(parseExperimentConfig(PRESETS['lenet-paper'])).toEqual(PRESETS['lenet-paper']);
  });
});
