import { z } from 'zod';
import { DEFAULT_PRESET, PRESETS, parseExperimentConfig } from './config.ts';
import { type ExperimentResults, RESULTS_VERSION } from './results.ts';

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const kind = z.enum(['dense', 'imp', 'random-prune', 'random-reinit']);
const meanStd = z.object({ mean: finite, std: finite, n: z.number().int().min(1) });
const pair = z.object({
  kind,
  level: z.number().int().min(0),
  k: z.number().int().min(0),
  init: z.number().int().min(0),
  pair: z.number().int().min(0),
  density: z.number().gt(0).max(1),
  alphas: z.array(finite).min(2),
  testErrors: z.array(finite).min(2),
  trainErrors: z.array(finite).optional(),
  testBarrier: finite,
  trainBarrier: finite.optional(),
  distances: z.object({ l2: finite, cosine: finite, initToK: finite, kToT: finite, classifiedDifferently: z.number().int().min(0), lossL2: finite }),
});
const summary = z.object({ kind, level: z.number().int().min(0), density: z.number().gt(0).max(1), k: z.number().int().min(0), test: meanStd, train: meanStd.optional(), stable: z.boolean() });
const timing = z.object({ trainingExamples: finite, trainingSeconds: finite, evaluatedExamples: finite, evaluationSeconds: finite });
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
const accuracy = z.object({ kind, level: z.number().int().min(0), density: z.number().gt(0).max(1), k: z.number().int().min(0), init: z.number().int().min(0), testError: finite, trainError: finite.optional() });
const nullable = finite.nullable();
const schema = z.discriminatedUnion('format', [
  z.object({ format: z.literal('lmc-lab/instability'), ...base }),
  z.object({
    format: z.literal('lmc-lab/imp'),
    ...base,
    accuracies: z.array(accuracy),
    table: z.array(z.object({ level: z.number().int(), density: finite, k: z.number().int(), full: finite, imp: finite, randomPrune: nullable, randomReinit: nullable, delta: finite, matching: z.boolean() })),
    figure9: z.array(z.object({ level: z.number().int(), density: finite, kind, stableFromK: nullable, matchingFromK: nullable })),
    extremeMatchingDensity: nullable,
  }),
]);

/**
 * Reads a results file (as the CLI writes it and the app exports it), checking its format tag,
 * version, configuration and every field. Throws an Error saying what is wrong, naming `file`.
 */
export function parseResultsFile(text: string, file: string): ExperimentResults {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not JSON (${(error as Error).message})`, { cause: error });
  }
  const format = (value as { format?: unknown } | null)?.format;
  if (format !== 'lmc-lab/instability' && format !== 'lmc-lab/imp') throw new Error(`${file}: not an LMC Lab results file (format ${JSON.stringify(format)})`);
  const version = (value as { version?: unknown }).version;
  if (version !== RESULTS_VERSION) throw new Error(`${file}: results version ${JSON.stringify(version)} is not supported (this app reads version ${RESULTS_VERSION})`);
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  try {
    // Settings added after a file was written take their default, which is the behaviour the
    // file was made with (version 1 only ever adds settings).
    const config = parseExperimentConfig({ ...PRESETS[DEFAULT_PRESET], ...(parsed.data.config as object) });
    return { ...parsed.data, config } as ExperimentResults;
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`, { cause: error });
  }
}
