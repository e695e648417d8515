import { useState } from 'react';
import { STABILITY_THRESHOLD_POINTS } from '../core/analysis/barrier.ts';
import { type ExperimentConfig, sortedRewindSteps } from '../core/experiments/config.ts';
import { barrierPoints, instabilityRows, kToX, xToK } from './chart-data.ts';
import { KIND_COLOR, KIND_DASH, KIND_LABEL, TRAIN_COLOR, bnNote } from './kinds.ts';
import { PathChart } from './PathChart.tsx';
import { Picker, pick } from './Picker.tsx';
import { type ChartData, finishedPairs } from './run-state.ts';
import { SeriesChart, type SeriesChartProps } from './SeriesChart.tsx';
import { DistanceTable, SummaryTable } from './tables.tsx';
import { TraceChart } from './TraceChart.tsx';
import { PlaneChart } from './PlaneChart.tsx';
import { AlignedPathChart } from './AlignedPathChart.tsx';

/**
 * The axes of every instability-against-k chart: k on a log scale with a tick at each rewind step
 * in `ks`, instability in points from 0, and the 2-point stability line.
 */
export function instabilityAxes(ks: readonly number[]): Pick<SeriesChartProps, 'xTicks' | 'xFormat' | 'xLabel' | 'y' | 'threshold'> {
  return {
    xTicks: ks.map(kToX),
    xFormat: (x) => String(xToK(x)),
    xLabel: 'rewind step k (log scale)',
    y: { title: 'instability (percentage points)', unit: 'points', floor: 0, include: [STABILITY_THRESHOLD_POINTS] },
    threshold: { y: STABILITY_THRESHOLD_POINTS, label: 'stable below 2 points' },
  };
}

/** The instability vs k chart shared by the dense and IMP views. */
export function InstabilityVsK({
  run,
  config,
  level,
  kinds,
  paperMarker,
}: {
  run: ChartData;
  config: ExperimentConfig;
  level: number;
  kinds: readonly ('dense' | 'imp' | 'random-prune' | 'random-reinit')[];
  /** Where the paper found the network stable, as a k of this run (its share of training scaled to this T). */
  paperMarker?: { readonly k: number; readonly label: string; readonly note: string };
}) {
  const summaries = run.summaries.filter((s) => s.level === level);
  const hasTrain = summaries.some((s) => s.train);
  const series = kinds.flatMap((kind) => [
    { key: kind, name: kinds.length === 1 ? 'test instability' : `${KIND_LABEL[kind]} (test)`, color: KIND_COLOR[kind], dash: KIND_DASH[kind] },
    ...(hasTrain
      ? [
          {
            key: `${kind}:train`,
            name: `${kinds.length === 1 ? '' : `${KIND_LABEL[kind]} `}train instability`,
            color: kinds.length === 1 ? TRAIN_COLOR : KIND_COLOR[kind],
            dashed: true,
          },
        ]
      : []),
  ]);
  const pairs = finishedPairs(run).filter((p) => p.level === level);
  return (
    <SeriesChart
      title={`Instability (error barrier) against the step k the copies were made at${bnNote(config)}`}
      testId="instability-chart"
      rows={instabilityRows(summaries)}
      series={series}
      {...instabilityAxes(sortedRewindSteps(config))}
      scatter={{ name: 'each pair (test)', color: '#555', points: barrierPoints(pairs).map((p) => ({ x: p.x, y: p.barrier })) }}
      {...(paperMarker ? { xMarker: { x: kToX(paperMarker.k), label: paperMarker.label, note: paperMarker.note } } : {})}
    />
  );
}

/** Dense instability analysis: the path for a chosen k, instability against k, and verdicts. */
export function InstabilityView({ run, config }: { run: ChartData; config: ExperimentConfig }) {
  const [chosenK, setChosenK] = useState<number | null>(null);
  const pairs = Object.values(run.pairs);
  const ks = sortedRewindSteps(config);
  const k = pick(chosenK, ks, pairs.length > 0 ? Math.max(...pairs.map((p) => p.k)) : (ks[0] ?? 0));
  const planePair = finishedPairs(run).find((p) => p.k === k && p.plane);
  return (
    <>
      <Picker label="Path for k =" options={ks} value={k} onChange={setChosenK} />
      {config.copyStart === 'two-inits' && (
        <p className="chart-note" data-testid="two-inits-note">
          <strong>Copies from two initialisations.</strong> In this run copy 2 of each pair does not start from the same network as copy 1: it starts from the
          next initialisation’s network at step k, so the two copies share nothing but their architecture. At k = 0 they are two networks trained from scratch
          from different random weights. This is a baseline beside the paper’s experiment, whose copies always share the network at k.
        </p>
      )}
      <PathChart
        pairs={pairs.filter((p) => p.k === k)}
        alphaCount={config.alphas}
        title={`Error along the linear path between the two copies trained from step k = ${k}${bnNote(config)}`}
      />
      <AlignedPathChart pairs={finishedPairs(run)} config={config} k={k} />
      {planePair && <PlaneChart pair={planePair} config={config} />}
      <InstabilityVsK run={run} config={config} level={0} kinds={['dense']} />
      <TraceChart run={run} config={config} kind="dense" level={0} />
      <SummaryTable summaries={run.summaries} showSubnet={false} />
      <DistanceTable pairs={finishedPairs(run)} />
    </>
  );
}
