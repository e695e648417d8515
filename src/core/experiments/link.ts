import { type ConfigField, type ExperimentConfig, crossFieldProblems } from './config.ts';
import { DEFAULT_PRESET, PRESETS, type PresetName, isPresetName } from './presets.ts';
import { SETTINGS, formatSettingValue, parseSettingText } from './settings.ts';

/** Version of the link format; bumped when a key's meaning changes. */
export const LINK_VERSION = 1;

/** The configuration a link describes, with what was wrong in it (empty when nothing was). */
export interface DecodedLink {
  readonly preset: PresetName;
  readonly config: ExperimentConfig;
  /** One sentence per rejected or ignored part of the link, each naming the key. */
  readonly problems: readonly string[];
}

/**
 * Encodes a configuration as a short, versioned query string (no leading `#`): the preset it
 * starts from plus only the settings that differ from that preset.
 */
export function encodeConfig(config: ExperimentConfig, preset: PresetName = DEFAULT_PRESET): string {
  const base = PRESETS[preset];
  const params = new URLSearchParams({ v: String(LINK_VERSION), preset });
  for (const { key, field } of SETTINGS) {
    const value = formatSettingValue(config[field]);
    if (value !== formatSettingValue(base[field])) params.set(key, value);
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
  const known = new Set(['v', 'preset', ...SETTINGS.map((f) => f.key)]);
  for (const key of new Set(params.keys())) if (!known.has(key)) problems.push(`unknown setting '${key}' ignored`);
  for (const row of SETTINGS) {
    const raw = params.get(row.key);
    if (raw === null) continue;
    const parsed = parseSettingText(row, raw);
    if (parsed.ok) config[row.field] = parsed.value;
    else
      problems.push(
        `setting '${row.key}=${raw}' is not valid (${parsed.message}); using ${formatSettingValue(config[row.field] as ExperimentConfig[ConfigField]) || 'none'}`,
      );
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
