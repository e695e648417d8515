import { DEFAULT_PRESET, PRESETS, type PresetName, isPresetName } from '../core/experiments/presets.ts';
import { presetLine } from '../core/experiments/preset-info.ts';
import { decodeConfig, type DecodedLink } from '../core/experiments/link.ts';
import { SETTINGS, formatSettingValue } from '../core/experiments/settings.ts';

/** What the experiment command line asks for. */
export interface CliRequest {
  readonly decoded: DecodedLink;
  readonly out: string | null;
  readonly help: boolean;
  /** Worker threads that train the copies of a pair at once (0: one after the other here); null: the default. */
  readonly workers: number | null;
}

/** Thrown for a command line that cannot be run; the message says what to change. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The text `--help` prints: usage, presets, and every setting flag with the preset's value. */
export function helpText(): string {
  const base = PRESETS[DEFAULT_PRESET];
  const rows = SETTINGS.map(
    ({ key, field, help }) => `  --${key.padEnd(10)} ${field.padEnd(18)} ${help} (${DEFAULT_PRESET}: ${formatSettingValue(base[field]) || 'none'})`,
  );
  return [
    'Usage: npm run experiment -- [--preset NAME | --link URL] [--SETTING VALUE ...] [--out FILE]',
    '',
    'Runs instability analysis (paper Algorithm 1) in Node on the wasm backend (cpu as fallback)',
    'and writes the results JSON that the app can import.',
    '',
    `  --preset NAME  a starting point (default ${DEFAULT_PRESET}):`,
    ...(Object.keys(PRESETS) as PresetName[]).map((name) => `                   ${name.padEnd(18)} ${presetLine(name)}`),
    '  --link URL     a share link copied from the app (everything after # is read)',
    '  --out FILE     where to write the results JSON',
    '  --workers N    worker threads training copies at once, two per pair, so ⌊N/2⌋ pairs train',
    '                 together (default: one per core; 0 or 1 trains them one after the other;',
    '                 the numbers are the same either way)',
    '  --help         this text',
    '',
    'Settings (override the preset or link; lists are comma-separated, booleans 0/1):',
    ...rows,
  ].join('\n');
}

/**
 * Parses `argv` (without node and script). Settings use the share link's keys, so a link and
 * flags go through the one decoder; any problem the decoder reports is a {@link UsageError}.
 */
export function parseCliArgs(argv: readonly string[]): CliRequest {
  const query = new URLSearchParams();
  let out: string | null = null;
  let help = false;
  let link: string | null = null;
  let workers: number | null = null;
  const keys = new Set(SETTINGS.map((f) => f.key));
  const given = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument '${arg}'`);
    const [flag, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`--${flag} needs a value`);
    // The link's rule: a setting given twice is refused, never resolved silently either way.
    if (given.has(flag)) throw new UsageError(`--${flag} is given twice ('${given.get(flag)}' and '${value}'); give it once`);
    given.set(flag, value);
    if (flag === 'out') out = value;
    else if (flag === 'workers') {
      workers = Number(value);
      if (!Number.isInteger(workers) || workers < 0 || workers > 64) throw new UsageError(`--workers must be a whole number from 0 to 64, not '${value}'`);
    } else if (flag === 'link') link = value;
    else if (flag === 'preset') {
      if (!isPresetName(value)) throw new UsageError(`unknown preset '${value}'; presets: ${Object.keys(PRESETS).join(', ')}`);
      query.set('preset', value);
    } else if (keys.has(flag)) query.set(flag, value);
    else throw new UsageError(`unknown option --${flag} (see --help)`);
  }
  const merged = new URLSearchParams(link === null ? '' : link.includes('#') ? link.slice(link.indexOf('#') + 1) : link);
  for (const [k, v] of query) merged.set(k, v);
  const decoded = decodeConfig(merged.toString());
  if (decoded.problems.length > 0) throw new UsageError(decoded.problems.join('\n'));
  return { decoded, out, help, workers };
}
