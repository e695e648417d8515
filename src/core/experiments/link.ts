import {
  type ConfigField,
  DEFAULT_PRESET,
  type ExperimentConfig,
  FIELD_SCHEMAS,
  PRESETS,
  type PresetName,
  crossFieldProblems,
  isPresetName,
} from './config.ts';

/** Version of the link format; bumped when a key's meaning changes. */
export const LINK_VERSION = 1;

type Kind = 'int' | 'number' | 'list' | 'bool' | 'text';

/** Short URL key (also the CLI flag) and value kind of each setting, in the order links spell them. */
export const LINK_FIELDS: readonly { key: string; field: ConfigField; kind: Kind }[] = [
  { key: 'exp', field: 'experiment', kind: 'text' },
  { key: 'model', field: 'model', kind: 'text' },
  { key: 'width', field: 'width', kind: 'int' },
  { key: 'bn', field: 'bnMode', kind: 'text' },
  { key: 'bnBatches', field: 'bnBatches', kind: 'int' },
  { key: 'cifar', field: 'cifarUrl', kind: 'text' },
  { key: 'T', field: 'trainingSteps', kind: 'int' },
  { key: 'k', field: 'rewindSteps', kind: 'list' },
  { key: 'bs', field: 'batchSize', kind: 'int' },
  { key: 'opt', field: 'optimizer', kind: 'text' },
  { key: 'lr', field: 'learningRate', kind: 'number' },
  { key: 'mom', field: 'momentum', kind: 'number' },
  { key: 'wd', field: 'weightDecay', kind: 'number' },
  { key: 'drop', field: 'milestones', kind: 'list' },
  { key: 'gamma', field: 'gamma', kind: 'number' },
  { key: 'warmup', field: 'warmupSteps', kind: 'int' },
  { key: 'inits', field: 'inits', kind: 'int' },
  { key: 'pairs', field: 'pairsPerInit', kind: 'int' },
  { key: 'seed', field: 'initSeed', kind: 'int' },
  { key: 'noise', field: 'noiseSeed', kind: 'int' },
  { key: 'alphas', field: 'alphas', kind: 'int' },
  { key: 'test', field: 'testExamples', kind: 'int' },
  { key: 'trainEval', field: 'trainEval', kind: 'bool' },
  { key: 'train', field: 'trainExamples', kind: 'int' },
  { key: 'reset', field: 'resetSchedule', kind: 'bool' },
  { key: 'copyOpt', field: 'optimizerAtCopy', kind: 'text' },
  { key: 'backend', field: 'backend', kind: 'text' },
  { key: 'rounds', field: 'pruneRounds', kind: 'int' },
  { key: 'prune', field: 'pruneFraction', kind: 'number' },
  { key: 'strategy', field: 'pruneStrategy', kind: 'text' },
  { key: 'outLayer', field: 'pruneOutput', kind: 'text' },
  { key: 'randPrune', field: 'randomPrune', kind: 'bool' },
  { key: 'reinit', field: 'randomReinit', kind: 'bool' },
  { key: 'subInst', field: 'subnetInstability', kind: 'text' },
  { key: 'rewindOpt', field: 'optimizerAtRewind', kind: 'text' },
  { key: 'match', field: 'matchingThreshold', kind: 'number' },
];

/** The configuration a link describes, with what was wrong in it (empty when nothing was). */
export interface DecodedLink {
  readonly preset: PresetName;
  readonly config: ExperimentConfig;
  /** One sentence per rejected or ignored part of the link, each naming the key. */
  readonly problems: readonly string[];
}

function formatValue(value: unknown): string {
  if (Array.isArray(value)) return value.join(',');
  if (typeof value === 'boolean') return value ? '1' : '0';
  return String(value);
}

function parseValue(raw: string, kind: Kind): unknown {
  const num = (s: string): number => (s.trim() === '' ? Number.NaN : Number(s));
  switch (kind) {
    case 'int':
    case 'number':
      return num(raw);
    case 'list':
      return raw === '' ? [] : raw.split(',').map(num);
    case 'bool':
      return raw === '1' || raw === 'true' ? true : raw === '0' || raw === 'false' ? false : raw;
    case 'text':
      return raw;
  }
}

/**
 * Encodes a configuration as a short, versioned query string (no leading `#`): the preset it
 * starts from plus only the settings that differ from that preset.
 */
export function encodeConfig(config: ExperimentConfig, preset: PresetName = DEFAULT_PRESET): string {
  const base = PRESETS[preset];
  const params = new URLSearchParams({ v: String(LINK_VERSION), preset });
  for (const { key, field } of LINK_FIELDS) {
    const value = formatValue(config[field]);
    if (value !== formatValue(base[field])) params.set(key, value);
  }
  return params.toString().replaceAll('%2C', ',');
}

/**
 * Decodes a link's query string (with or without a leading `#` or `?`). Never throws: a bad
 * version, preset or value, or a key given more than once, is reported in `problems` and
 * replaced by the preset's value for that setting alone; rewind steps not below T are dropped.
 */
export function decodeConfig(query: string): DecodedLink {
  const params = new URLSearchParams(query.replace(/^[#?]/, ''));
  const problems: string[] = [];
  // A key given twice is ambiguous: it is not resolved silently either way (the CLI refuses it too).
  const twice = new Set([...params.keys()].filter((key) => params.getAll(key).length > 1));
  for (const key of twice) {
    const instead = key === 'preset' ? `'${DEFAULT_PRESET}'` : key === 'v' ? `version ${LINK_VERSION}` : "the preset's value";
    problems.push(`setting '${key}' is given ${params.getAll(key).length} times (${params.getAll(key).join(', ')}); using ${instead} instead`);
  }
  for (const key of twice) params.delete(key);
  const version = params.get('v');
  if (version !== null && version !== String(LINK_VERSION)) {
    problems.push(`link version ${version} is not supported (this app reads version ${LINK_VERSION}); reading it as version ${LINK_VERSION}`);
  }
  let preset: PresetName = DEFAULT_PRESET;
  const presetRaw = params.get('preset');
  if (presetRaw !== null) {
    if (isPresetName(presetRaw)) preset = presetRaw;
    else problems.push(`unknown preset '${presetRaw}'; using '${DEFAULT_PRESET}'`);
  }
  const config: Record<string, unknown> = { ...PRESETS[preset] };
  const known = new Set(['v', 'preset', ...LINK_FIELDS.map((f) => f.key)]);
  for (const key of new Set(params.keys())) if (!known.has(key)) problems.push(`unknown setting '${key}' ignored`);
  for (const { key, field, kind } of LINK_FIELDS) {
    const raw = params.get(key);
    if (raw === null) continue;
    const parsed = FIELD_SCHEMAS[field].safeParse(parseValue(raw, kind));
    if (parsed.success) config[field] = parsed.data;
    else {
      const reason = parsed.error.issues[0]?.message ?? 'invalid';
      problems.push(`setting '${key}=${raw}' is not valid (${reason}); using ${formatValue(config[field]) || 'none'}`);
    }
  }
  const result = config as ExperimentConfig;
  const crossProblems = crossFieldProblems(result);
  if (crossProblems.length > 0) {
    const kept = [...new Set(result.rewindSteps.filter((k) => k < result.trainingSteps))];
    result.rewindSteps = kept.length > 0 ? kept : [0];
    problems.push(`${crossProblems.join('; ')}; using rewind steps ${result.rewindSteps.join(', ')}`);
  }
  return { preset, config: result, problems };
}
