/**
 * The result records of a run, on the core's ground floor: what analysis computes and
 * experiments emit, store and write, each declared once as a type with its zod schema pinned to
 * it (`satisfies`), so the file format cannot drift from the code. Imports nothing of the core.
 */
import { z } from 'zod';

/** Which network a pair or accuracy belongs to: the dense network or a class of subnetwork. */
export type SubnetKind = 'dense' | 'imp' | 'random-prune' | 'random-reinit';

/** Every {@link SubnetKind}, in the order charts list them. */
export const SUBNET_KINDS = ['dense', 'imp', 'random-prune', 'random-reinit'] as const satisfies readonly SubnetKind[];

/**
 * Identifies a pair of copies: the kind of network, its pruning level (0 = dense; level L has
 * density ≈ (1 − fraction)^L), rewind step k, initialisation index and pair index.
 */
export interface PairKey {
  readonly kind: SubnetKind;
  readonly level: number;
  readonly k: number;
  readonly init: number;
  readonly pair: number;
}

/** A string naming a pair uniquely within a run. */
export function pairId(key: PairKey): string {
  return `${key.kind}/${key.level}/${key.k}/${key.init}/${key.pair}`;
}

/** Mean and sample standard deviation (n − 1; 0 for a single value) of a set of samples. */
export interface MeanStd {
  readonly mean: number;
  readonly std: number;
  readonly n: number;
}

/** Appendix G's alternative comparisons of the two trained copies (test set for the last two). */
export interface PairDistances {
  /** ‖W¹_T − W²_T‖ over all parameters (pruned weights are 0 in both). */
  readonly l2: number;
  /** 1 − cos(W¹_T, W²_T). */
  readonly cosine: number;
  /** ‖W_k − W_0‖: how far the shared start travelled before the copies split (copies from two initialisations: the mean over their two starts). */
  readonly initToK: number;
  /** Mean over the copies of ‖W^c_T − W_k‖. */
  readonly kToT: number;
  /** Test examples the two copies classify differently. */
  readonly classifiedDifferently: number;
  /** ‖ℓ¹ − ℓ²‖ of the per-example test losses. */
  readonly lossL2: number;
}

/** The error along the path between a pair's copies at one step while they trained (Appendix C); errors in percent. */
export interface TracePoint {
  /** The copies' step when the path was evaluated (the last point: the end of training). */
  readonly step: number;
  readonly testErrors: readonly number[];
  readonly trainErrors?: readonly number[] | undefined;
}

/** One pair's error along the linear path and its barrier; errors and barriers in percent. */
export interface PairResult extends PairKey {
  /** Fraction of prunable weights alive (1 for dense). */
  readonly density: number;
  readonly alphas: readonly number[];
  readonly testErrors: readonly number[];
  /** Present when train-set evaluation is on. */
  readonly trainErrors?: readonly number[];
  /** Test-error barrier (instability), percentage points. */
  readonly testBarrier: number;
  readonly trainBarrier?: number;
  readonly distances: PairDistances;
  /** The path while the copies trained, in order of step, the last at the end of training (when the run traced it). */
  readonly trace?: readonly TracePoint[];
  /**
   * The path after permuting copy 2's hidden units to match copy 1 (when the run aligns): errors in percent at the same α, and
   * how many of the network's permutable units the matching moved (both absent in files written before they were recorded).
   */
  readonly aligned?: {
    readonly testErrors: readonly number[];
    readonly trainErrors?: readonly number[] | undefined;
    readonly moved?: number | undefined;
    readonly units?: number | undefined;
  };
  /** The test error over the triangle through W_k and the two trained copies (the first pair at each k, when the run measures it). */
  readonly plane?: ErrorPlane;
}

/**
 * The test error (percent) over the triangle through the network at k (W₀), copy 1 (W₁) and copy
 * 2 (W₂), at the core's triangle points for `grid` points per side: (1 − a − b)·W₀ + a·W₁ + b·W₂.
 */
export interface ErrorPlane {
  readonly grid: number;
  readonly testErrors: readonly number[];
}

/** Instability at one (kind, level, k) over every pair (mean ± sample std, percentage points). */
export interface KSummary {
  readonly kind: SubnetKind;
  readonly level: number;
  readonly density: number;
  readonly k: number;
  readonly test: MeanStd;
  readonly train?: MeanStd;
  /** Mean test instability < 2 points. */
  readonly stable: boolean;
}

/** Work and wall time split between training and evaluation. */
export interface RunTiming {
  readonly trainingExamples: number;
  readonly trainingSeconds: number;
  readonly evaluatedExamples: number;
  readonly evaluationSeconds: number;
}

/** Test (and train) error of one trained network, in percent. */
export interface TrainedAccuracy {
  readonly kind: SubnetKind;
  readonly level: number;
  readonly density: number;
  /** Rewind step the subnetwork was trained from (T for the dense network's own run). */
  readonly k: number;
  readonly init: number;
  readonly testError: number;
  readonly trainError?: number;
}

/** Table 2's columns for one density and rewind step: accuracies in percent, means over inits. */
export interface Table2Row {
  readonly level: number;
  readonly density: number;
  readonly k: number;
  readonly full: number;
  readonly imp: number;
  readonly randomPrune: number | null;
  readonly randomReinit: number | null;
  /** full − imp, percentage points. */
  readonly delta: number;
  readonly matching: boolean;
}

/** Figure 9's summary for one density: median (over inits) first k that is stable / matching. */
export interface Figure9Row {
  readonly level: number;
  readonly density: number;
  readonly kind: SubnetKind;
  readonly stableFromK: number | null;
  readonly matchingFromK: number | null;
}

/** `T` as a zod schema outputs it: an optional property may also hold `undefined`. */
type Parsed<T> = { [K in keyof T]: T[K] | (K extends OptionalKeys<T> ? undefined : never) };
type OptionalKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T];

/** The most α values a pair may have in a file (the configuration allows fewer). */
const MAX_ALPHAS = 1000;
/** Most trace points a pair can hold (the setting's own limit). */
const MAX_TRACE_POINTS = 50;
/** Most points a pair's error plane can hold: a triangle of 31 points per side. */
const MAX_PLANE_POINTS = (31 * 32) / 2;

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
/** An error rate or accuracy in percent. */
const percent = finite.min(0, 'must be a percentage from 0 to 100').max(100, 'must be a percentage from 0 to 100');
const nonNegative = finite.min(0, 'must not be negative');
const count = z.number().int().min(0);
const density = z.number().gt(0).max(1);
const nullable = finite.nullable();
const kind = z.enum(SUBNET_KINDS) satisfies z.ZodType<SubnetKind>;
const meanStd = z.object({ mean: finite, std: nonNegative, n: z.number().int().min(1) }) satisfies z.ZodType<MeanStd>;

/** The schemas of the records as results files hold them, each pinned to its type. */
export const RECORD_SCHEMAS = {
  pair: z.object({
    kind,
    level: count,
    k: count,
    init: count,
    pair: count,
    density,
    alphas: z.array(finite.min(0).max(1)).min(2).max(MAX_ALPHAS),
    testErrors: z.array(percent).min(2).max(MAX_ALPHAS),
    trainErrors: z.array(percent).max(MAX_ALPHAS).optional(),
    testBarrier: finite,
    trainBarrier: finite.optional(),
    distances: z.object({
      l2: nonNegative,
      cosine: finite.min(0).max(2),
      initToK: nonNegative,
      kToT: nonNegative,
      classifiedDifferently: count,
      lossL2: nonNegative,
    }),
    trace: z
      .array(z.object({ step: count, testErrors: z.array(percent).min(2).max(MAX_ALPHAS), trainErrors: z.array(percent).max(MAX_ALPHAS).optional() }))
      .max(MAX_TRACE_POINTS)
      .optional(),
    aligned: z
      .object({
        testErrors: z.array(percent).min(2).max(MAX_ALPHAS),
        trainErrors: z.array(percent).max(MAX_ALPHAS).optional(),
        moved: count.optional(),
        units: count.optional(),
      })
      .refine(
        (a) => (a.moved === undefined) === (a.units === undefined) && (a.moved ?? 0) <= (a.units ?? 0),
        'moved units must come with the unit count and not exceed it',
      )
      .optional(),
    plane: z.object({ grid: z.number().int().min(2).max(31), testErrors: z.array(percent).max(MAX_PLANE_POINTS) }).optional(),
  }) satisfies z.ZodType<Parsed<PairResult>>,
  summary: z.object({ kind, level: count, density, k: count, test: meanStd, train: meanStd.optional(), stable: z.boolean() }) satisfies z.ZodType<
    Parsed<KSummary>
  >,
  timing: z.object({ trainingExamples: finite, trainingSeconds: finite, evaluatedExamples: finite, evaluationSeconds: finite }) satisfies z.ZodType<RunTiming>,
  accuracy: z.object({ kind, level: count, density, k: count, init: count, testError: percent, trainError: percent.optional() }) satisfies z.ZodType<
    Parsed<TrainedAccuracy>
  >,
  table2Row: z.object({
    level: z.number().int(),
    density: finite,
    k: z.number().int(),
    full: finite,
    imp: finite,
    randomPrune: nullable,
    randomReinit: nullable,
    delta: finite,
    matching: z.boolean(),
  }) satisfies z.ZodType<Table2Row>,
  figure9Row: z.object({ level: z.number().int(), density: finite, kind, stableFromK: nullable, matchingFromK: nullable }) satisfies z.ZodType<Figure9Row>,
  /** A nullable finite number (Appendix A's extreme matching density). */
  nullableNumber: nullable,
  finite,
};
