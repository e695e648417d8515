import type { ExperimentEvent, ProgressEvent } from '../core/experiments/events.ts';
import type { TraceEvent } from '../core/experiments/trace.ts';
import { type ExperimentResults } from '../core/experiments/results.ts';
import { type KSummary, type PairKey, type PairResult, type SubnetKind, type TrainedAccuracy, pairId } from '../core/records.ts';
import type { ExperimentConfig } from '../core/experiments/config.ts';
import type { BackendReport } from '../protocol/messages.ts';
import type { ProgressContext } from './progress-words.ts';

/** Where a run is in its life. */
export type RunPhase = 'idle' | 'preparing' | 'running' | 'done' | 'cancelling' | 'cancelled' | 'error';

/** True while the worker is busy with a run (settings, imports and Start are locked). */
export function isBusy(phase: RunPhase): boolean {
  return phase === 'running' || phase === 'preparing' || phase === 'cancelling';
}

/** A pair's curve as it streams in: errors by alpha index (undefined until evaluated). */
export interface StreamingPair extends PairKey {
  readonly alphas: (number | undefined)[];
  readonly testErrors: (number | undefined)[];
  readonly trainErrors: (number | undefined)[];
  /** Set when the pair has finished. */
  readonly result?: PairResult;
}

/** Everything the UI shows about the current run; replaced wholesale by {@link applyEvent}. */
export interface RunState {
  readonly runId: string | null;
  /** The settings the shown results come from (null before any run): charts and tables follow these, not the form. */
  readonly config: ExperimentConfig | null;
  readonly phase: RunPhase;
  readonly statusMessage: string | null;
  readonly error: string | null;
  readonly backend: BackendReport | null;
  readonly progress: ProgressEvent | null;
  /** Keyed by {@link pairKey}. */
  readonly pairs: Readonly<Record<string, StreamingPair>>;
  /** Trained networks' accuracies (IMP: dense runs and every subnetwork). */
  readonly accuracies: readonly TrainedAccuracy[];
  readonly summaries: readonly KSummary[];
  /** Barriers measured while copies train (runs that trace), keyed by {@link pairKey}, until the pair finishes and carries its trace. */
  readonly traces: Readonly<Record<string, readonly TraceEvent[]>>;
  readonly results: ExperimentResults | null;
  /** Tensors left in the worker after the run ended (leak check). */
  readonly tensorsAfterRun: number | null;
  /** What happened during the run that the user should know (a backend that fell back). */
  readonly notices: readonly string[];
}

/** The state before any run. */
export const EMPTY_RUN: RunState = {
  runId: null,
  config: null,
  phase: 'idle',
  statusMessage: null,
  error: null,
  backend: null,
  progress: null,
  pairs: {},
  accuracies: [],
  summaries: [],
  traces: {},
  results: null,
  tensorsAfterRun: null,
  notices: [],
};

/** Key of a pair in {@link RunState.pairs}: the core's {@link pairId}. */
export const pairKey = pairId;

/** Key of a summary: one per (kind, level, k). */
function summaryKey(s: { kind: SubnetKind; level: number; k: number }): string {
  return `${s.kind}/${s.level}/${s.k}`;
}

/** Key of a trained network's accuracy: one per (kind, level, k, init). */
function accuracyKey(a: TrainedAccuracy): string {
  return `${a.kind}/${a.level}/${a.k}/${a.init}`;
}

/** A pair's streaming curve with one more point. */
function withPointOf(old: StreamingPair | undefined, e: Extract<ExperimentEvent, { type: 'point' }>): StreamingPair {
  const pair = old ?? { kind: e.kind, level: e.level, k: e.k, init: e.init, pair: e.pair, alphas: [], testErrors: [], trainErrors: [] };
  const alphas = [...pair.alphas];
  const testErrors = [...pair.testErrors];
  const trainErrors = [...pair.trainErrors];
  alphas[e.alphaIndex] = e.alpha;
  testErrors[e.alphaIndex] = e.testError;
  if (e.trainError !== undefined) trainErrors[e.alphaIndex] = e.trainError;
  return { ...pair, alphas, testErrors, trainErrors };
}

/** A pair's trace with one more point (a point at a step it has already replaces it: a resumed run measures again). */
function withTracePoint(old: readonly TraceEvent[] | undefined, e: TraceEvent): TraceEvent[] {
  return [...(old ?? []).filter((t) => t.step !== e.step), e].sort((a, b) => a.step - b.step);
}

/** A finished pair as the run state holds it. */
function streamedPair(r: PairResult): StreamingPair {
  return {
    kind: r.kind,
    level: r.level,
    k: r.k,
    init: r.init,
    pair: r.pair,
    alphas: [...r.alphas],
    testErrors: [...r.testErrors],
    trainErrors: [...(r.trainErrors ?? [])],
    result: r,
  };
}

/** Summaries in the order the tables and charts list them: level, then k, then kind. */
function sortedSummaries(summaries: Iterable<KSummary>): KSummary[] {
  return [...summaries].sort((a, b) => a.level - b.level || a.k - b.k || a.kind.localeCompare(b.kind));
}

/** The state after one experiment event (a pure reducer; the store calls it). */
export function applyEvent(state: RunState, event: ExperimentEvent): RunState {
  switch (event.type) {
    case 'progress':
      return { ...state, phase: state.phase === 'cancelling' ? state.phase : 'running', progress: event, statusMessage: null };
    case 'point':
      return { ...state, pairs: { ...state.pairs, [pairKey(event)]: withPointOf(state.pairs[pairKey(event)], event) } };
    case 'trace':
      return { ...state, traces: { ...state.traces, [pairKey(event)]: withTracePoint(state.traces[pairKey(event)], event) } };
    case 'accuracy': {
      // A run that continues from a checkpoint emits its stored results again: keep one of each.
      const key = accuracyKey(event.result);
      return { ...state, accuracies: [...state.accuracies.filter((a) => accuracyKey(a) !== key), event.result] };
    }
    case 'pair':
      return { ...state, pairs: { ...state.pairs, [pairKey(event.result)]: streamedPair(event.result) } };
    case 'summary': {
      const key = summaryKey(event.summary);
      return { ...state, summaries: sortedSummaries([...state.summaries.filter((s) => summaryKey(s) !== key), event.summary]) };
    }
    case 'done':
      return { ...state, phase: 'done', results: event.results };
  }
}

/**
 * The state after many events, built in one pass: the same state as folding {@link applyEvent}
 * over them, without copying the whole state per event (a results file with 10,000 pairs took
 * 88 s that way).
 */
export function applyEvents(state: RunState, events: Iterable<ExperimentEvent>): RunState {
  const pairs: Record<string, StreamingPair> = { ...state.pairs };
  const accuracies = new Map(state.accuracies.map((a) => [accuracyKey(a), a]));
  const summaries = new Map(state.summaries.map((s) => [summaryKey(s), s]));
  let rest: RunState = state;
  for (const event of events) {
    switch (event.type) {
      case 'point':
        pairs[pairKey(event)] = withPointOf(pairs[pairKey(event)], event);
        break;
      case 'pair':
        pairs[pairKey(event.result)] = streamedPair(event.result);
        break;
      case 'accuracy': {
        const key = accuracyKey(event.result);
        accuracies.delete(key);
        accuracies.set(key, event.result);
        break;
      }
      case 'summary':
        summaries.set(summaryKey(event.summary), event.summary);
        break;
      default:
        rest = applyEvent(rest, event);
    }
  }
  return { ...rest, pairs, accuracies: [...accuracies.values()], summaries: sortedSummaries(summaries.values()) };
}

/** What the charts draw: the parts of a run that change when a result arrives, not on progress. */
export type ChartData = Pick<RunState, 'pairs' | 'accuracies' | 'summaries' | 'traces'>;

/** The finished pairs of a run. */
export function finishedPairs(run: Pick<RunState, 'pairs'>): PairResult[] {
  return Object.values(run.pairs).flatMap((p) => (p.result ? [p.result] : []));
}

/** The state that shows a stored run's results so far (an unfinished run opened from the history). */
export function runFromEvents(runId: string, events: readonly ExperimentEvent[], statusMessage: string): RunState {
  return { ...applyEvents({ ...EMPTY_RUN, runId }, events), phase: 'cancelled', statusMessage };
}

/** The state that shows a finished run from its results (an imported file, or a demo). */
export function runFromResults(results: ExperimentResults): RunState {
  return applyEvents({ ...EMPTY_RUN, runId: `imported-${results.startedAt}`, config: results.config, phase: 'done', backend: null }, resultEvents(results));
}

/** A finished run's results as the events that carry them, ending with `done`. */
function* resultEvents(results: ExperimentResults): Generator<ExperimentEvent> {
  if (results.format === 'lmc-lab/imp') for (const result of results.accuracies) yield { type: 'accuracy', result };
  for (const result of results.pairs) yield { type: 'pair', result };
  for (const summary of results.summaries) yield { type: 'summary', summary };
  yield { type: 'done', results };
}

/** What the progress line needs besides the event: points done on the current pair's path, and each level's density. */
export function progressContext(run: Pick<RunState, 'progress' | 'pairs' | 'accuracies' | 'summaries'>): ProgressContext {
  const p = run.progress;
  const key = p ? pairKey({ kind: p.kind ?? 'dense', level: p.level ?? 0, k: p.k, init: p.init, pair: p.pair ?? 0 }) : null;
  const current = key ? run.pairs[key] : undefined;
  return {
    pointsDone: current ? current.testErrors.filter((v) => v !== undefined).length : 0,
    densityOf: (level) =>
      level === 0 ? 1 : (run.accuracies.find((a) => a.level === level)?.density ?? run.summaries.find((s) => s.level === level)?.density ?? null),
  };
}
