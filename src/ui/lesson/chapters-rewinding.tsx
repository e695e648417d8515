import { type ExperimentConfig } from '../../core/experiments/config.ts';
import { PRESETS, type PresetName } from '../../core/experiments/presets.ts';
import { trainingStepsOf } from '../../core/experiments/preset-info.ts';
import { labHash } from '../url-sync.ts';
import { table2Rows } from '../../core/analysis/verdicts.ts';
import type { RunState } from '../run-state.ts';
import { ChapterFrame, DemoFigure, type Finding, PaperVsRun } from './ChapterFrame.tsx';
import { ChapterRun } from './ChapterRun.tsx';
import { RewindFigure, claimSentence } from './rewind-figure.tsx';

/** Test images a configuration evaluates on (0 means all 10,000 of CIFAR-10's and MNIST's test sets). */
function testCount(config: ExperimentConfig): number {
  return config.testExamples > 0 ? Math.min(config.testExamples, 10_000) : 10_000;
}

/** The full network's test error in the run, percent (50 when it is not there). */
function fullError(run: RunState): number {
  return run.accuracies.find((a) => a.kind === 'dense')?.testError ?? 50;
}

/** One standard error, in points, of the full network's test accuracy measured on the run's test images. */
function standardErrorPoints(run: RunState, config: ExperimentConfig): number {
  const p = fullError(run) / 100;
  return 100 * Math.sqrt((p * (1 - p)) / testCount(config));
}

function rewindFindings(run: RunState, config: ExperimentConfig): Finding[] {
  const rows = table2Rows(run.accuracies, config.matchingThreshold);
  const level = Math.max(0, ...rows.map((r) => r.level));
  const first = rows.filter((r) => r.level === level).sort((a, b) => a.k - b.k)[0];
  const imp0 = run.summaries.find((x) => x.kind === 'imp' && x.level === level && x.k === 0);
  const pct = (v: number | null | undefined): string => (v === null || v === undefined ? 'not trained' : `${v.toFixed(1)}%`);
  return [
    {
      what: 'IMP at k = 0',
      paper: '88.5% vs full 91.7% at 16.8%: not matching; unstable',
      source: 'Table 2, Figure 5',
      ours: first
        ? `${pct(first.imp)} vs full ${pct(first.full)} at ${(100 * first.density).toFixed(0)}%: ${first.matching ? 'matching' : 'not matching'}; ${imp0 ? `${imp0.test.mean.toFixed(1)} points, ${imp0.stable ? 'stable' : 'unstable'}` : 'instability not measured'}`
        : 'not measured',
    },
    {
      what: 'random pruning / reinit, k = 0',
      paper: '88.6% / 88.8%',
      source: 'Table 2',
      ours: first ? `${pct(first.randomPrune)} / ${pct(first.randomReinit)}` : 'not measured',
    },
    {
      what: 'IMP with rewinding',
      paper: 'stable from k = 500 (0.8% of training), matching from about the same k',
      source: 'Figures 6, 7 and 9',
      ours: claimSentence(run, config) ?? 'not measured',
    },
  ];
}

/** Chapter 5: rewinding is what makes tickets of larger networks work (Figures 6, 7, 9; Table 2, ResNet-20). */
export function ChapterRewinding() {
  const steps = trainingStepsOf(PRESETS['resnet20-imp-teach']).toLocaleString('en-US');
  // The bundled run is the preset's own experiment (test/lesson.test.ts checks it).
  return (
    <ChapterFrame
      id="rewinding"
      number={5}
      title="Rewinding: tickets of larger networks match where they are stable"
      prose={
        <>
          <p>
            For ResNet-20 the lottery ticket experiment fails at k = 0. At 16.8% of the weights, the IMP subnetwork rewound to initialisation reaches 88.5%
            accuracy against the full network’s 91.7%: no better than random pruning (88.6%) or reinitialisation (88.8%) (Table 2). And it is unstable: its two
            copies end in different valleys (Figure 5).
          </p>
          <p>
            Chapter 3 showed that the full ResNet-20 becomes stable after a little training. So rewind the subnetwork not to k = 0 but to a small k &gt; 0. The
            paper found that its IMP subnetworks become stable at k = 500 (0.8% of training), and that from the same k they become matching (Figures 6 and 7).
            The random baselines stay unstable and not matching at every k. Across sparsities, the k at which IMP subnetworks become stable and the k at which
            they become matching coincide over a wide range (Figure 9).
          </p>
          <p>
            This is the paper’s main claim: <strong>IMP subnetworks match the full network only when they are stable to SGD noise</strong>, and rewinding to a
            point where they are stable is what makes tickets of larger networks work.
          </p>
          <p>
            The bundled run is a reduced version of this experiment: the lesson-scale ResNet-20 of chapter 3, pruned once by 75% (25% of its weights left; the
            paper’s 16.8% is for a network four times wider), rewound to k = 0, 50 and 150, with both random baselines, one initialisation and one pair per k,
            evaluated on all 10,000 test images.
          </p>
          <p>
            <strong>What to look for:</strong> in the instability chart, IMP’s barrier falling from far above the 2-point line at k = 0 to under it at a later
            k. In the paper, IMP’s error falls into the full network’s band at that same k; in the bundled run it is below the band at every k, and the note
            under the figure says why.
          </p>
        </>
      }
      figure={
        <DemoFigure name="resnet20-imp-teach">
          {(run, config) => (
            <>
              <RewindFigure run={run} config={config} who="Bundled ResNet-20 IMP run" />
              <PaperVsRun rows={rewindFindings(run, config)} />
              <p className="notice" data-testid="noise-note">
                What this reduced run can and cannot show. Its instability is the robust part: tens of points at k = 0 against a few later, far beyond the
                noise. Its “matching” is not: the full network here is far from trained ({fullError(run).toFixed(0)}% test error, against the paper’s 8%), so a
                subnetwork can match it without being a good network, and with one initialisation the full network’s accuracy alone is uncertain by about{' '}
                {standardErrorPoints(run, config).toFixed(1)} points (one standard error on {testCount(config).toLocaleString('en-US')} test images), more than
                the 0.2-point margin. Showing the accuracy half of the claim needs the paper’s scale: a full-width ResNet-20 trained to about 8% error, three
                initialisations (each about {steps} training steps even at this reduced scale, and some 60,000 steps per network at the paper’s).
              </p>
            </>
          )}
        </DemoFigure>
      }
      after={<ChapterRun preset="resnet20-imp-teach" figure={(run, config) => <RewindFigure run={run} config={config} who="Your run" />} />}
    />
  );
}

/** A question for chapter 6: what to try (settings in the lab) and what the paper says happens. */
export interface Question {
  readonly ask: string;
  readonly preset: PresetName;
  readonly change: Partial<ExperimentConfig>;
  readonly tryWhat: string;
  readonly paper: string;
}

/** Chapter 6's questions, in order (the last two quote bundled runs: test/lesson.test.ts checks their numbers against the files). */
export const QUESTIONS: readonly Question[] = [
  {
    ask: 'Does a smaller learning rate make ResNet-20 stable from the start?',
    preset: 'resnet20-teach',
    change: { learningRate: 0.01 },
    tryWhat: 'ResNet-20 at lesson scale with learning rate 0.01 instead of 0.1.',
    paper:
      'Yes: the “low” variant (0.01) is stable at k = 0 and its IMP subnetworks match at k = 0 (Table 2: 89.0% vs 88.8%), but the network is less accurate than with 0.1 (88.8% vs 91.7%).',
  },
  {
    ask: 'And learning-rate warmup?',
    preset: 'resnet20-teach',
    change: { learningRate: 0.03, warmupSteps: 400 },
    tryWhat: 'The rate rises linearly from 0 to 0.03 over the first 400 steps.',
    paper:
      'Warmup (0.03 reached over 30,000 steps) also makes ResNet-20 stable at k = 0, with matching IMP subnetworks at nearly full accuracy (Table 2: 89.6% vs 89.7%).',
  },
  {
    ask: 'Is stability at larger k only because the copies train for fewer steps (T − k)?',
    preset: 'resnet20-teach',
    change: { resetSchedule: true },
    tryWhat: 'Each copy trains for the full T steps, with the learning-rate schedule started again at the copy (Figure 4).',
    paper: 'No: with the schedule reset, instability is indistinguishable from the usual experiment (Figure 4).',
  },
  {
    ask: 'How much do the numbers move between pairs?',
    preset: 'lenet-quick',
    change: { pairsPerInit: 5 },
    tryWhat: 'Five pairs of copies per k instead of two; compare the ± spread with fewer pairs.',
    paper: 'The paper averages 3 initialisations × 3 data orders (nine pairs) and draws mean ± standard deviation.',
  },
  {
    ask: 'What if the two copies get the same SGD noise?',
    preset: 'lenet-quick',
    change: { copyNoise: 'same' },
    tryWhat: 'Both copies see the same data order: the control experiment.',
    paper: 'Not in the paper, but it follows from it: identical copies stay identical, so the path is flat and the instability exactly 0.',
  },
  {
    ask: 'Does the paper’s third network, VGG-16, behave like ResNet-20?',
    preset: 'vgg16-teach',
    change: {},
    tryWhat: 'A narrow VGG-16 (8 to 64 channels) on the lesson’s ResNet-20 schedule, copies made at k = 0, 50, 150 and 300.',
    paper:
      'Yes: VGG-16 is unstable at k = 0 and stable from k = 1,000 of 63,000 steps, 1.6% of training (Figure 3). The bundled lesson-scale run (2 pairs at k = 0 and 300) measured 40.6 points at k = 0 and 1.15 at k = 300.',
  },
  {
    ask: 'Is the ridge between two networks only a matter of how their hidden units are numbered?',
    preset: 'lenet-quick',
    change: { inits: 2, copyStart: 'two-inits', align: true },
    tryWhat:
      'Start copy 2 from a different initialisation, then line its hidden units up with copy 1’s (weight matching, Ainsworth et al., 2023) and walk the path again.',
    paper:
      'Not in the paper, whose copies share their initialisation. In the bundled runs here, two LeNets from different initialisations have a 27.5-point barrier that alignment cuts to 5.2 points; copies that share their initialisation, LeNet’s and ResNet-20’s alike, have nothing to line up: the matching moves no unit.',
  },
];

/** Chapter 6: questions to try in the lab, each with what the paper says. */
export function ChapterYourTurn() {
  return (
    <ChapterFrame
      id="your-turn"
      number={6}
      title="Your turn"
      prose={
        <>
          <p>
            What you have seen: instability measures whether SGD noise can send two copies of a network to places with a ridge of high error between them. LeNet
            is stable from its first step; ResNet-20 becomes stable only after a little training. Lottery tickets match the full network exactly where they are
            stable, and rewinding to that early point is what makes them work for larger networks.
          </p>
          <p>
            Each question opens the lab with its settings. Guess first, run it, then open “What the paper found”. Runs are stored in this browser, and the lab’s
            comparison chart draws two runs together.
          </p>
          <p>
            In the lab, every setting has a “?” that explains it; “Copy link” shares exactly what you ran, and a finished run’s results travel in the link too.
          </p>
        </>
      }
      figure={
        <ol className="questions" data-testid="questions">
          {QUESTIONS.map((q) => (
            <li key={q.ask}>
              <strong>{q.ask}</strong> Try: {q.tryWhat} <a href={labHash({ ...PRESETS[q.preset], ...q.change }, q.preset)}>Open in the lab</a>
              <details>
                <summary>What the paper found</summary>
                <p>{q.paper}</p>
              </details>
            </li>
          ))}
        </ol>
      }
    />
  );
}
