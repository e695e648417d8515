import { STABILITY_THRESHOLD_POINTS } from '../../core/analysis/barrier.ts';
import { type ExperimentConfig, sortedRewindSteps } from '../../core/experiments/config.ts';
import type { RunState } from '../run-state.ts';
import { ChapterFrame, DemoFigure, type Finding, PaperVsRun } from './ChapterFrame.tsx';
import { ChapterRun } from './ChapterRun.tsx';
import { BatchNormModesFigure } from './bn-modes-figure.tsx';
import { ExperimentDiagram } from './ExperimentDiagram.tsx';
import { DenseFigure, PathAtK, TraceFigure } from './figures.tsx';
import { stableFromK, summariesOf } from './lesson-numbers.ts';
import { Term } from './Term.tsx';

/** Where the paper found ResNet-20 stable: k = 2,000 of T = 63,000 steps (Figure 3). */
const PAPER_RESNET_STABLE_SHARE = 2000 / 63000;

/** "16.7 ± 3.4 points" for the dense summary at k, or "not measured". */
function barrierAt(run: RunState, k: number): string {
  const s = summariesOf(run.summaries, 'dense', 0).find((x) => x.k === k);
  return s ? `${s.test.mean.toFixed(1)} ± ${s.test.std.toFixed(1)} points (${s.stable ? 'stable' : 'unstable'})` : 'not measured';
}

/** Chapter 1: what instability analysis is, drawn, with its terms defined. */
export function ChapterExperiment() {
  return (
    <ChapterFrame
      id="experiment"
      number={1}
      title="The experiment: two copies, one straight line"
      prose={
        <>
          <p>
            Train a neural network twice from the same starting weights, changing only the <Term name="sgd-noise" /> — the order in which it sees the examples.
            Do the two results end up in the same valley of low error, or in different valleys with a ridge between them? The paper answers with a simple test:
            walk the straight line between the two trained networks and watch the error.
          </p>
          <p>
            Train one network for <Term name="k">k</Term> steps. Copy it. Train each copy on to step <Term name="T">T</Term> with its own data order. Then for
            every <Term name="alpha">α</Term> between 0 and 1, mix the two sets of weights as (1 − α)·W¹ + α·W² and measure the test error. That is the{' '}
            <Term name="path" />.
          </p>
          <p>
            The <Term name="barrier" /> is the hump on that line: its highest error minus the average of the two ends. The paper calls this number the network’s{' '}
            <Term name="instability" />, and calls a network <Term name="stable">stable</Term> when it is below {STABILITY_THRESHOLD_POINTS} percentage points:
            then the two copies are <Term name="lmc">linearly mode connected</Term>, whatever the noise.
          </p>
          <p>
            <strong>What to look for:</strong> on the right, the error at α = 0 and α = 1 (the two copies) and in between. A flat line means no barrier.
          </p>
        </>
      }
      figure={
        <>
          <ExperimentDiagram />
          <DemoFigure name="lenet-dense">{(run, config) => <PathAtK run={run} config={config} k={0} who="Bundled LeNet run" />}</DemoFigure>
        </>
      }
      after={<ChapterRun preset="lenet-one-pair" figure={(run, config) => <DenseFigure run={run} config={config} who="Your run" />} />}
    />
  );
}

/** Chapter 2: LeNet is stable from initialisation (Figures 2 and 3, LeNet). */
export function ChapterLenet() {
  return (
    <ChapterFrame
      id="lenet"
      number={2}
      title="LeNet is stable from the start"
      prose={
        <>
          <p>
            LeNet-300-100 is a small fully connected network for MNIST’s handwritten digits (300 and 100 hidden units). The paper ran the experiment from
            initialisation (k = 0) and from later steps, and found LeNet stable at every one: along the path, the error rises by less than one percentage point
            (Figure 2), far under the {STABILITY_THRESHOLD_POINTS}-point line (Figure 3).
          </p>
          <p>
            So for LeNet, SGD noise does not matter in this sense: from the very first step, every data order leads to the same linearly connected valley. This
            is the paper’s least surprising result, and that is its point. It is the baseline: the next chapter shows a network where it is not so.
          </p>
          <p>
            <strong>What to look for:</strong> the path stays flat (the band shows ± one standard deviation over pairs), and the instability against k stays
            under the dashed 2-point line at every k.
          </p>
        </>
      }
      figure={
        <DemoFigure name="lenet-dense">
          {(run, config) => (
            <>
              <DenseFigure run={run} config={config} who="Bundled LeNet run" />
              <PaperVsRun rows={lenetFindings(run, config)} />
            </>
          )}
        </DemoFigure>
      }
      after={<ChapterRun preset="lenet-quick" figure={(run, config) => <DenseFigure run={run} config={config} who="Your run" />} />}
    />
  );
}

function lenetFindings(run: RunState, config: ExperimentConfig): Finding[] {
  const ks = sortedRewindSteps(config);
  return [
    { what: 'instability at k = 0', paper: 'under 1 point: stable', source: 'Figure 2, Section 3', ours: barrierAt(run, 0) },
    {
      what: 'instability at later k',
      paper: 'stable at every k',
      source: 'Figure 3',
      ours: ks
        .slice(1)
        .map((k) => `k = ${k}: ${barrierAt(run, k)}`)
        .join('; '),
    },
  ];
}

/** Chapter 3: ResNet-20 is unstable at k = 0 and becomes stable early (Figures 2 and 3, ResNet-20). */
export function ChapterResnet() {
  return (
    <ChapterFrame
      id="resnet"
      number={3}
      title="ResNet-20 is not, until a little training"
      prose={
        <>
          <p>
            ResNet-20 is a convolutional network for CIFAR-10’s small colour photos (10 classes). From initialisation it is unstable: in the paper, the error
            along the path rises all the way to random guessing (90% error) between two copies that each reach about 8%. Yet after only 2,000 of 63,000 steps
            (3% of training), copies made there end up linearly connected: the network has become stable (Figure 3).
          </p>
          <p>
            Training thus has two phases: a short early phase where SGD noise decides which valley the network ends in, and a long phase where the valley is
            already determined. The bundled run is a reduced scale that a laptop can train: a narrower ResNet-20 (width 4 instead of 16) trained for 800 steps
            of 64 images, with the learning rate divided by 10 at steps 600 and 700 (the paper’s schedule drops it at 50% and 75%), 3 pairs per k, 1,000 test
            images. Its error is far higher than the paper’s (about 54% against 8%), and “a little training” is longer in proportion: the copies become stable
            at k = 300, 37% of this short run but still before the first drop of the learning rate, where the paper’s network needed 3%.
          </p>
          <p>
            ResNet-20 has <Term name="batchnorm" />. Along the path, the paper averages them with the weights, like every other part of the network (what the
            bundled run does). But an average of two networks’ weights does not produce activations with the average of their statistics, so part of the hump
            can come only from mismatched statistics. Recomputing them at each α from a few training batches removes that part. The third chart evaluates the
            very same trained copies both ways: recomputed barriers are lower, yet k = 0 stays far above the 2-point line and the barriers still fall with k. So
            the early instability is not an artefact of BatchNorm; the BatchNorm setting in the lab switches between the two.
          </p>
          <p>
            When do the copies part? The paper’s Appendix C measures the barrier not only at the end but all along the copies’ training. The last chart does
            that for copies made at k = 0 and at k = 300 (2 pairs each, 8 measurements): from k = 0 the barrier climbs as the copies learn, to about 28 points;
            from k = 300 it stays within about 3 points of zero at every step, near the 2-point line rather than anywhere near the k = 0 line. The copies made
            later follow nearly the same linearly connected trajectory the whole way, as the paper found for its stable networks (Figure 14).
          </p>
          <p>
            <strong>What to look for:</strong> a tall hump at k = 0, then barriers falling with k until they cross under the 2-point line. The dotted vertical
            line marks 3% of this run’s T, where the paper’s network became stable if stability came at the same share of training; it need not, since a
            narrower and shorter run is a different network. Then the two BatchNorm lines, dashed below solid, and the two lines over training, one climbing and
            one flat.
          </p>
        </>
      }
      figure={
        <>
          <DemoFigure name="resnet20-teach">
            {(run, config) => (
              <>
                <DenseFigure run={run} config={config} who="Bundled ResNet-20 run" paperStableShare={PAPER_RESNET_STABLE_SHARE} />
                <PaperVsRun
                  rows={[
                    { what: 'instability at k = 0', paper: 'error rises to chance (about 90%): unstable', source: 'Figure 2', ours: barrierAt(run, 0) },
                    {
                      what: 'becomes stable at',
                      paper: 'k = 2,000 of 63,000 (3% of training)',
                      source: 'Figure 3, Section 3',
                      ours: stableWords(run, config),
                    },
                  ]}
                />
              </>
            )}
          </DemoFigure>
          <BatchNormModesFigure interpolated="resnet20-teach" recomputed="resnet20-teach-recompute" />
          <DemoFigure name="resnet20-trace">{(run, config) => <TraceFigure run={run} config={config} who="Bundled run" />}</DemoFigure>
        </>
      }
      after={<ChapterRun preset="resnet20-teach" figure={(run, config) => <DenseFigure run={run} config={config} who="Your run" />} />}
    />
  );
}

function stableWords(run: RunState, config: ExperimentConfig): string {
  const from = stableFromK(summariesOf(run.summaries, 'dense', 0));
  const T = config.trainingSteps;
  return from === null ? 'not stable at any k measured' : `k = ${from} of ${T} (${((100 * from) / T).toFixed(0)}% of training)`;
}
