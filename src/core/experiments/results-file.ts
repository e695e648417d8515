import { z } from 'zod';
import { parseExperimentConfig } from './config.ts';
import { DEFAULT_PRESET, PRESETS } from './presets.ts';
import { RECORD_SCHEMAS } from '../records.ts';
import { checkedResults } from './results-check.ts';
import { type ExperimentResults, RESULTS_VERSION } from './results.ts';

/** The largest results text read (the paper's biggest IMP run writes a few MB). */
export const MAX_RESULTS_CHARS = 50_000_000;

const { pair, summary, timing, accuracy, table2Row, figure9Row, nullableNumber, finite } = RECORD_SCHEMAS;
const base = {
  version: z.literal(RESULTS_VERSION),
  config: z.unknown(),
  backend: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  durationSeconds: finite,
  timing,
  pairs: z.array(pair),
  summaries: z.array(summary),
};
const schema = z.discriminatedUnion('format', [
  z.object({ format: z.literal('lmc-lab/instability'), ...base }),
  z.object({
    format: z.literal('lmc-lab/imp'),
    ...base,
    accuracies: z.array(accuracy),
    table: z.array(table2Row),
    figure9: z.array(figure9Row),
    extremeMatchingDensity: nullableNumber,
  }),
]);

/**
 * Reads a results file (as the CLI writes it and the app exports it), checking its size, format
 * tag, version, configuration, every field's range and the numbers against the configuration
 * (see {@link checkedResults}: barriers, summaries and verdicts are recomputed, never trusted).
 * Throws an Error saying what is wrong, naming `file`.
 */
export function parseResultsFile(text: string, file: string): ExperimentResults {
  if (text.length > MAX_RESULTS_CHARS)
    throw new Error(`${file}: ${(text.length / 1e6).toFixed(0)} MB is larger than any results file LMC Lab writes (${MAX_RESULTS_CHARS / 1e6} MB at most)`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not JSON (${(error as Error).message})`, { cause: error });
  }
  const format = (value as { format?: unknown } | null)?.format;
  if (format !== 'lmc-lab/instability' && format !== 'lmc-lab/imp') throw new Error(`${file}: not an LMC Lab results file (format ${JSON.stringify(format)})`);
  const version = (value as { version?: unknown }).version;
  if (version !== RESULTS_VERSION)
    throw new Error(`${file}: results version ${JSON.stringify(version)} is not supported (this app reads version ${RESULTS_VERSION})`);
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  try {
    // Settings added after a file was written take their default, which is the behaviour the
    // file was made with (version 1 only ever adds settings).
    const config = parseExperimentConfig({ ...PRESETS[DEFAULT_PRESET], ...(parsed.data.config as object) });
    return checkedResults({ ...parsed.data, config } as ExperimentResults, file);
  } catch (error) {
    if (error instanceof Error && error.message.startsWith(`${file}: `)) throw error;
    throw new Error(`${file}: ${(error as Error).message}`, { cause: error });
  }
}
