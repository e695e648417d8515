import { type ExperimentConfig, PRESETS, type PresetName } from '../../core/experiments/config.ts';
import { trainingStepsOf } from '../../core/experiments/preset-info.ts';
import { labHash } from '../url-sync.ts';
import { ChapterFrame, PaperVsRun } from './ChapterFrame.tsx';
import { ChapterRun } from './ChapterRun.tsx';
import { TicketFigure } from './chapters-tickets.tsx';

/** Chapter 5: rewinding is what makes tickets of larger networks work (Figures 6, 7, 9; Table 2, ResNet-20). */
export function ChapterRewinding() {
  const steps = trainingStepsOf(PRESETS['resnet20-imp-teach']).toLocaleString('en-US');
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
            <strong>What to look for</strong> in a run: at k = 0 the IMP line above the full network’s band and above the 2-point line; at the later k, both
            fall together.
          </p>
        </>
      }
      figure={
        <>
          <PaperVsRun
            oursLabel="a bundled run here"
            rows={[
              {
                what: 'IMP at 16.8%, k = 0',
                paper: '88.5% vs full 91.7%: not matching, unstable',
                source: 'Table 2, Figure 5',
                ours: 'not bundled yet (see below)',
              },
              { what: 'random pruning / reinit at 16.8%, k = 0', paper: '88.6% / 88.8%', source: 'Table 2', ours: 'not bundled yet' },
              { what: 'IMP becomes stable at', paper: 'k = 500 (0.8% of training)', source: 'Figure 6', ours: 'not bundled yet' },
              { what: 'IMP becomes matching at', paper: 'about the same k as stable', source: 'Figures 7 and 9', ours: 'not bundled yet' },
            ]}
          />
          <p className="notice" data-testid="no-bundled-run">
            No reduced run bundled yet shows this chapter’s finding. Even at lesson scale (width 4, T = 800), IMP with 4 rounds of pruning, both baselines and
            instability at three k is {steps} training steps: hours on a laptop’s processor. The numbers above are the paper’s; “Run it yourself” runs that
            reduced experiment here, and the CLI runs it headless (<code>npm run experiment -- --preset resnet20-imp-teach</code>).
          </p>
        </>
      }
      after={<ChapterRun preset="resnet20-imp-teach" figure={(run, config) => <TicketFigure run={run} config={config} who="Your run" paperPoints={false} />} />}
    />
  );
}

/** A question for chapter 6: what to try (settings in the lab) and what the paper says happens. */
interface Question {
  readonly ask: string;
  readonly preset: PresetName;
  readonly change: Partial<ExperimentConfig>;
  readonly tryWhat: string;
  readonly paper: string;
}

const QUESTIONS: readonly Question[] = [
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
