import { STABILITY_THRESHOLD_POINTS } from '../../core/analysis/barrier.ts';
import { table2Rows } from '../../core/analysis/verdicts.ts';
import { type ExperimentConfig, subnetKinds } from '../../core/experiments/config.ts';
import { densityRows, densityToX, denseErrorBand, instabilityByDensityRows } from '../chart-data.ts';
import { KIND_COLOR, KIND_DASH, KIND_LABEL, formatDensity } from '../kinds.ts';
import type { RunState } from '../run-state.ts';
import { SeriesChart } from '../SeriesChart.tsx';
import { ChapterFrame, DemoFigure, type Finding, PaperVsRun } from './ChapterFrame.tsx';
import { ChapterRun } from './ChapterRun.tsx';
import { table2Sentence } from './lesson-numbers.ts';
import { Term } from './Term.tsx';

/** The paper's Table 2 row for LeNet at 3.5% (k = 0): test accuracy in percent. */
const LENET_TABLE2 = { density: 0.035, full: 98.3, imp: 98.2, 'random-prune': 96.7, 'random-reinit': 97.5 } as const;

const densityLabel = (x: number): string => formatDensity(10 ** x / 100);

/** The two charts of an IMP run at k: error against density (Figure 7/10 form) and subnetwork instability against density. */
export function TicketFigure({ run, config, who, paperPoints }: { run: RunState; config: ExperimentConfig; who: string; paperPoints: boolean }) {
  const kinds = subnetKinds(config);
  const k = config.rewindSteps[0] ?? 0;
  const series = kinds.map((kd) => ({ key: kd, name: KIND_LABEL[kd], color: KIND_COLOR[kd], dash: KIND_DASH[kd] }));
  const densities = [...new Set(run.accuracies.filter((a) => a.kind !== 'dense').map((a) => a.density))];
  const ticks = [densityToX(1), ...densities.filter((_, i) => i % 3 === 0 || i === densities.length - 1).map(densityToX)];
  const band = denseErrorBand(run.accuracies);
  const paper = paperPoints
    ? (['imp', 'random-prune', 'random-reinit'] as const).map((kd) => ({ x: densityToX(LENET_TABLE2.density), y: 100 - LENET_TABLE2[kd] }))
    : [];
  return (
    <>
      <SeriesChart
        title={`${who}: test error of subnetworks against the weights they keep, rewound to k = ${k}`}
        testId="lesson-density-chart"
        rows={densityRows(run.accuracies, k)}
        series={series}
        xTicks={ticks}
        xFormat={densityLabel}
        xLabel="weights remaining (log scale)"
        xReversed
        y={{ title: 'test error (%)', unit: '%', floor: 0 }}
        band={band ? { stats: band, label: 'the full network’s test error' } : null}
        {...(paperPoints ? { scatter: { name: 'the paper at 3.5% (Table 2: IMP, random pruning, reinit)', color: '#888888', points: paper } } : {})}
      />
      <SeriesChart
        title={`${who}: instability of each kind of subnetwork against the weights it keeps, copies made at k = ${k}`}
        testId="lesson-subnet-instability-chart"
        rows={instabilityByDensityRows(run.summaries, k)}
        series={series}
        xTicks={ticks}
        xFormat={densityLabel}
        xLabel="weights remaining (log scale)"
        xReversed
        y={{ title: 'instability (percentage points)', unit: 'points', floor: 0, include: [STABILITY_THRESHOLD_POINTS] }}
        threshold={{ y: STABILITY_THRESHOLD_POINTS, label: 'stable below 2 points' }}
      />
      <TicketWords run={run} config={config} who={who} />
    </>
  );
}

/** Table 2's row at the sparsest level in words, and each kind's instability there. */
function TicketWords({ run, config, who }: { run: RunState; config: ExperimentConfig; who: string }) {
  const last = table2Rows(run.accuracies, config.matchingThreshold).at(-1);
  if (!last) return null;
  const there = run.summaries.filter((s) => s.level === last.level && s.k === last.k && s.kind !== 'dense');
  return (
    <div className="run-words" data-testid="run-words">
      <p>
        {who}: {table2Sentence(last)}
      </p>
      {there.length > 0 && (
        <ul>
          {there.map((s) => (
            <li key={s.kind}>
              {KIND_LABEL[s.kind]}: instability {s.test.mean.toFixed(1)} ± {s.test.std.toFixed(1)} points ({s.test.n} {s.test.n === 1 ? 'pair' : 'pairs'}):{' '}
              {s.stable ? 'stable' : 'unstable'}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function lenetTicketFindings(run: RunState, config: ExperimentConfig): Finding[] {
  const last = table2Rows(run.accuracies, config.matchingThreshold).at(-1);
  const acc = (v: number | null | undefined): string => (v === null || v === undefined ? 'not trained' : `${v.toFixed(1)}%`);
  const inst = (kind: string): string => {
    const s = last && run.summaries.find((x) => x.level === last.level && x.k === last.k && x.kind === kind);
    return s ? `${s.test.mean.toFixed(1)} points (${s.stable ? 'stable' : 'unstable'})` : 'not measured';
  };
  const where = last ? ` at ${formatDensity(last.density)}` : '';
  return [
    { what: 'full network accuracy', paper: '98.3%', source: 'Table 2', ours: acc(last?.full) },
    {
      what: `IMP accuracy${where}`,
      paper: '98.2% at 3.5%: matching',
      source: 'Table 2',
      ours: `${acc(last?.imp)}${last ? (last.matching ? ': matching' : ': not matching') : ''}`,
    },
    { what: 'random pruning accuracy', paper: '96.7%', source: 'Table 2', ours: acc(last?.randomPrune) },
    { what: 'random reinitialisation accuracy', paper: '97.5%', source: 'Table 2', ours: acc(last?.randomReinit) },
    { what: 'IMP instability', paper: 'stable', source: 'Figure 5', ours: inst('imp') },
    {
      what: 'random subnetworks’ instability',
      paper: 'error rises slightly (LeNet excepted from “chance”)',
      source: 'Figure 5, Section 4.3',
      ours: `${inst('random-prune')}; ${inst('random-reinit')}`,
    },
  ];
}

/** Chapter 4: lottery tickets of LeNet (Figures 5 and 7, Table 2). */
export function ChapterTickets() {
  return (
    <ChapterFrame
      id="tickets"
      number={4}
      title="Lottery tickets: sparse subnetworks that train as well"
      prose={
        <>
          <p>
            <Term name="pruning">Pruning</Term> removes weights. <Term name="imp" /> finds which to remove: train, drop the smallest 20% of the remaining
            weights, set the survivors back to their values at step k (<Term name="rewinding" />
            ), and repeat. Fifteen rounds leave 3.5% of LeNet’s weights: the <Term name="density" />.
          </p>
          <p>
            Trained on its own from k = 0, the IMP subnetwork reaches the full network’s accuracy: it is <Term name="matching" />, a{' '}
            <Term name="ticket">winning ticket</Term>. Two baselines at the same density are not: <Term name="random-prune" /> and <Term name="random-reinit" />
            . So both the mask IMP found and the starting weights it kept matter.
          </p>
          <p>
            Now run the experiment of chapter 1 on each subnetwork. The paper found LeNet’s IMP subnetworks stable, like the full network (Figure 5). LeNet is
            the exception among the paper’s networks: its random subnetworks are nearly stable too, their error rising only slightly along the path. So for
            LeNet it is accuracy, not stability, that tells a ticket from a random subnetwork; the next chapter shows a network where stability decides.
          </p>
          <p>
            <strong>What to look for:</strong> in the top chart the blue IMP line stays at or below the full network’s band as the weights go (read right to
            left), while orange and green rise above it; in the bottom chart every kind stays under the 2-point line. The grey points are the paper’s Table 2 at
            3.5%.
          </p>
        </>
      }
      figure={
        <DemoFigure name="lenet-imp">
          {(run, config) => (
            <>
              <TicketFigure run={run} config={config} who="Bundled LeNet IMP run" paperPoints />
              <PaperVsRun rows={lenetTicketFindings(run, config)} />
            </>
          )}
        </DemoFigure>
      }
      after={<ChapterRun preset="lenet-imp-quick" figure={(run, config) => <TicketFigure run={run} config={config} who="Your run" paperPoints={false} />} />}
    />
  );
}
