import { useState } from 'react';
import { extremeMatchingDensity, figure9Rows, table2Rows } from '../core/analysis/verdicts.ts';
import { type ExperimentConfig, analysedKinds, sortedRewindSteps, subnetKinds } from '../core/experiments/config.ts';
import type { SubnetKind } from '../core/records.ts';
import { type SeriesRow, denseErrorBand, densityRows, densityToX, errorVsKRows, kToX, xToK } from './chart-data.ts';
import { InstabilityVsK } from './InstabilityView.tsx';
import { KIND_COLOR, KIND_DASH, KIND_LABEL, bnNote, formatDensity } from './kinds.ts';
import { PathChart } from './PathChart.tsx';
import { Picker, pick } from './Picker.tsx';
import { type ChartData, finishedPairs } from './run-state.ts';
import { SeriesChart } from './SeriesChart.tsx';
import { DistanceTable, SummaryTable, Table2 } from './tables.tsx';
import { TraceChart } from './TraceChart.tsx';

const densityLabel = (x: number): string => formatDensity(10 ** x / 100);

/** IMP with rewinding: error vs density, subnetwork paths and instability, Figure 9 and Table 2. */
export function ImpView({ run, config }: { run: ChartData; config: ExperimentConfig }) {
  const [chosenLevel, setLevel] = useState<number | null>(null);
  const [chosenK, setK] = useState<number | null>(null);
  const [chosenKind, setKind] = useState<SubnetKind | null>(null);
  const ks = sortedRewindSteps(config);
  const kinds = subnetKinds(config);
  const analysed = analysedKinds(config);
  const subnets = run.accuracies.filter((a) => a.kind !== 'dense');
  const levels = [...new Set(subnets.map((a) => a.level))].sort((a, b) => a - b);
  const densityOf = new Map(subnets.map((a) => [a.level, a.density]));
  const level = pick(chosenLevel, levels, levels.at(-1) ?? 1);
  const k = pick(chosenK, ks, subnets.filter((a) => a.level === level).at(-1)?.k ?? ks[0] ?? 0);
  const kind = pick(chosenKind, analysed, analysed[0] ?? 'imp');
  const band = denseErrorBand(run.accuracies);
  const denseBand = band ? { stats: band, label: 'the full network’s test error' } : null;
  const pairs = finishedPairs(run);
  const table = table2Rows(run.accuracies, config.matchingThreshold);
  const extreme = extremeMatchingDensity(table);
  const fig9 = figure9Rows(run.accuracies, pairs, config.matchingThreshold);
  const fig9Rows: SeriesRow[] = [];
  for (const r of fig9) {
    const row = fig9Rows.find((x) => x.x === densityToX(r.density)) ?? { x: densityToX(r.density) };
    if (r.stableFromK !== null) row[`${r.kind}:stable`] = r.stableFromK;
    if (r.matchingFromK !== null) row[`${r.kind}:matching`] = r.matchingFromK;
    if (!fig9Rows.includes(row)) fig9Rows.push(row);
  }
  const densityTicks = levels.map((l) => densityToX(densityOf.get(l) ?? 1));
  const kindSeries = kinds.map((kd) => ({ key: kd, name: KIND_LABEL[kd], color: KIND_COLOR[kd], dash: KIND_DASH[kd] }));
  return (
    <>
      <SeriesChart
        title={`Test error against density, subnetworks rewound to k = ${k} (Figure 10)`}
        testId="density-chart"
        rows={densityRows(run.accuracies, k)}
        series={kindSeries}
        xTicks={[densityToX(1), ...densityTicks]}
        xFormat={densityLabel}
        xLabel="weights remaining (log scale)"
        xReversed
        y={{ title: 'test error (%)', unit: '%', floor: 0 }}
        band={denseBand}
      />
      <div className="pickers">
        {levels.length > 0 && (
          <Picker
            label="Density"
            options={levels}
            value={level}
            onChange={setLevel}
            format={(l) => formatDensity(densityOf.get(l) ?? 1)}
            testId="level-picker"
          />
        )}
        <Picker label="k =" options={ks} value={k} onChange={setK} />
        {analysed.length > 1 && <Picker label="Path of" options={analysed} value={kind} onChange={setKind} format={(kd) => KIND_LABEL[kd]} />}
      </div>
      {analysed.length > 0 && (
        <>
          <PathChart
            pairs={Object.values(run.pairs).filter((p) => p.kind === kind && p.level === level && p.k === k)}
            alphaCount={config.alphas}
            title={`Error along the linear path: ${KIND_LABEL[kind]} subnetwork at ${formatDensity(densityOf.get(level) ?? 1)}, copies from k = ${k} (Figure 5)${bnNote(config)}`}
          />
          <InstabilityVsK run={run} config={config} level={level} kinds={analysed} />
          <TraceChart run={run} config={config} kind={kind} level={level} />
        </>
      )}
      <SeriesChart
        title={`Test error against k at ${formatDensity(densityOf.get(level) ?? 1)} (Figure 7)`}
        testId="error-vs-k-chart"
        rows={errorVsKRows(run.accuracies, level)}
        series={kindSeries}
        xTicks={ks.map(kToX)}
        xFormat={(x) => String(xToK(x))}
        xLabel="rewind step k (log scale)"
        y={{ title: 'test error (%)', unit: '%', floor: 0 }}
        band={denseBand}
      />
      {analysed.length > 0 && (
        <SeriesChart
          title="Median rewind step at which subnetworks become stable and matching (Figure 9)"
          testId="figure9-chart"
          rows={fig9Rows}
          series={kinds.flatMap((kd) => [
            { key: `${kd}:stable`, name: `${KIND_LABEL[kd]} stable`, color: KIND_COLOR[kd], dash: KIND_DASH[kd], errorBars: false },
            { key: `${kd}:matching`, name: `${KIND_LABEL[kd]} matching`, color: KIND_COLOR[kd], dashed: true, errorBars: false },
          ])}
          xTicks={[densityToX(1), ...densityTicks]}
          xFormat={densityLabel}
          xLabel="weights remaining (log scale)"
          xReversed
          y={{ title: 'rewind step k', unit: 'step', floor: 0 }}
        />
      )}
      <Table2 rows={table} />
      <p data-testid="extreme-density">
        Most extreme density at which IMP is matching at some k (Appendix A): <strong>{extreme === null ? 'none yet' : formatDensity(extreme)}</strong>
      </p>
      <SummaryTable summaries={run.summaries} showSubnet />
      <DistanceTable pairs={pairs} />
    </>
  );
}
