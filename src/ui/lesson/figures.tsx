import { type ExperimentConfig, sortedRewindSteps } from '../../core/experiments/config.ts';
import type { SubnetKind } from '../../core/records.ts';
import { InstabilityVsK } from '../InstabilityView.tsx';
import { bnNote } from '../kinds.ts';
import { PathChart } from '../PathChart.tsx';
import type { RunState } from '../run-state.ts';
import { instabilitySentence, stableFromK, summariesOf, traceSentence } from './lesson-numbers.ts';
import { traceRows } from '../chart-data.ts';
import { TraceChart } from '../TraceChart.tsx';

/** Error along the path between the copies made at step k (each pair faint, mean ± std bold). */
export function PathAtK({ run, config, k, who }: { run: RunState; config: ExperimentConfig; k: number; who: string }) {
  return (
    <PathChart
      pairs={Object.values(run.pairs).filter((p) => p.kind === 'dense' && p.level === 0 && p.k === k)}
      alphaCount={config.alphas}
      title={`${who}: test error along the straight line between the two copies made at k = ${k}${bnNote(config)}`}
    />
  );
}

/** A dense run's figure: the path at the first k, and instability against k when there are several (with the paper's stable point, where given). */
export function DenseFigure({
  run,
  config,
  who,
  paperStableShare,
}: {
  run: RunState;
  config: ExperimentConfig;
  who: string;
  /** The share of training after which the paper found this network stable. */
  paperStableShare?: number;
}) {
  const ks = sortedRewindSteps(config);
  const marker =
    paperStableShare === undefined
      ? undefined
      : {
          k: Math.round(paperStableShare * config.trainingSteps),
          label: 'paper',
          note: `the paper: stable from ${(100 * paperStableShare).toFixed(0)}% of training (k = ${Math.round(paperStableShare * config.trainingSteps)} here)`,
        };
  return (
    <>
      <PathAtK run={run} config={config} k={ks[0] ?? 0} who={who} />
      {ks.length > 1 && <InstabilityVsK run={run} config={config} level={0} kinds={['dense']} {...(marker ? { paperMarker: marker } : {})} />}
      <InstabilityWords run={run} kind="dense" level={0} who={who} />
    </>
  );
}

/** A run's instability in words, one line per k, and from which k it is stable. */
export function InstabilityWords({ run, kind, level, who }: { run: RunState; kind: SubnetKind; level: number; who: string }) {
  const ordered = summariesOf(run.summaries, kind, level);
  if (ordered.length === 0) return null;
  const from = stableFromK(ordered);
  return (
    <div className="run-words" data-testid="run-words">
      <p>
        {who}, instability (the error barrier):{' '}
        {from === null ? 'not stable at the last k measured.' : from === ordered[0]?.k ? 'stable at every k measured.' : `stable from k = ${from}.`}
      </p>
      <ul>
        {ordered.map((s) => (
          <li key={s.k}>{instabilitySentence(s)}</li>
        ))}
      </ul>
    </div>
  );
}

/** Instability while the copies trained (Appendix C): the chart, and each k's line in words. */
export function TraceFigure({ run, config, who }: { run: RunState; config: ExperimentConfig; who: string }) {
  const { rows, ks } = traceRows(run, 'dense', 0);
  return (
    <>
      <TraceChart run={run} config={config} kind="dense" level={0} />
      <p className="run-words" data-testid="trace-words">
        {who}: {traceSentence(rows, ks)}.
      </p>
    </>
  );
}
