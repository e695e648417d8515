import { type ConfigField, type ExperimentConfig } from './config.ts';
import { PRESETS, type PresetName } from './presets.ts';
import { workPlan } from './work.ts';

/** A preset in words a student understands: a short title and one line on what it shows. */
export interface PresetInfo {
  readonly title: string;
  readonly description: string;
}

/** Every preset's title and description (the settings panel, the CLI's help and the lesson show them). */
export const PRESET_INFO: Readonly<Record<PresetName, PresetInfo>> = {
  'lenet-quick': {
    title: 'LeNet, quick look',
    description: 'A small LeNet run (T = 600, k = 0, 100, 300, 2 pairs): a first path and instability curve in about a minute.',
  },
  'lenet-paper': {
    title: 'LeNet, as in the paper',
    description: 'The paper’s LeNet-300-100 setup (T = 24,000, 3 initialisations × 3 pairs, full test and train sets): Figures 2 and 3 for LeNet.',
  },
  'lenet-imp-quick': {
    title: 'LeNet lottery ticket, quick look',
    description: 'IMP on short LeNet runs: 5 rounds of 50% pruning (3.1% of the weights left), with random pruning and reinitialisation.',
  },
  'lenet-imp-paper': {
    title: 'LeNet lottery ticket, as in the paper',
    description: 'IMP with rewinding to 3.5% of the weights (15 rounds of 20%), both random baselines, instability of every subnetwork.',
  },
  'resnet20-standard': {
    title: 'ResNet-20, as in the paper',
    description: 'The paper’s ResNet-20 on CIFAR-10 (T = 63,000, batch 128, learning rate 0.1 dropped at 32K and 48K): many GPU-hours.',
  },
  'resnet20-low': {
    title: 'ResNet-20, low learning rate',
    description: 'The paper’s “low” variant (learning rate 0.01): stable from initialisation, less accurate.',
  },
  'resnet20-warmup': {
    title: 'ResNet-20, warmup',
    description: 'The paper’s “warmup” variant (learning rate 0.03 reached over 30,000 steps): stable from initialisation at full accuracy.',
  },
  'lenet-one-pair': {
    title: 'One pair of LeNet copies',
    description: 'The experiment once: two copies from k = 0 trained 300 steps with different data orders, and the path between them. Seconds.',
  },
  'resnet20-teach': {
    title: 'ResNet-20, lesson scale',
    description: 'A narrow ResNet-20 (width 4) trained 800 steps, 3 pairs at k = 0, 50, 150, 300: unstable at k = 0, stable after a little training.',
  },
  'resnet20-imp-teach': {
    title: 'ResNet-20 lottery ticket, lesson scale',
    description: 'IMP on the lesson-scale ResNet-20: 75% of the weights pruned at once (25% left), rewound to k = 0, 50 and 150, with both random baselines.',
  },
  'vgg16-standard': {
    title: 'VGG-16, as in the paper',
    description:
      'The paper’s third network: VGG-16 (14.7M weights) on CIFAR-10, T = 63,000, batch 128, learning rate 0.1 dropped at 32K and 48K; IMP to 1.5%. Many GPU-hours.',
  },
  'vgg16-low': {
    title: 'VGG-16, low learning rate',
    description: 'The paper’s “low” VGG-16 (learning rate 0.01; IMP to 5.5%): its lottery tickets match from initialisation.',
  },
  'vgg16-warmup': {
    title: 'VGG-16, warmup',
    description: 'The paper’s “warmup” VGG-16 (learning rate 0.1 reached over 30,000 steps; IMP to 1.5%): its lottery tickets match from initialisation.',
  },
  'vgg16-teach': {
    title: 'VGG-16, lesson scale',
    description: 'A narrow VGG-16 (width 8: 8 to 64 channels) on the lesson-scale ResNet-20’s schedule: 800 steps, 3 pairs at k = 0, 50, 150, 300.',
  },
  'resnet20-trace': {
    title: 'ResNet-20 while it trains',
    description:
      'The lesson-scale ResNet-20 with copies from k = 0 and k = 300 (2 pairs each): the barrier at 8 steps as they train (Appendix C), and the error plane around the path.',
  },
  'resnet20-quick': {
    title: 'ResNet-20, constant learning rate',
    description: 'The earlier teaching run (width 4, batch 32, T = 800, no learning-rate drop, 2 pairs): its late-k values wander by a few points.',
  },
};

/** Settings that say where a run happens, not what it computes: a preset is still itself with other values. */
const PLACE_FIELDS: readonly ConfigField[] = ['backend', 'cifarUrl'];

/** True when `config` is `preset`'s own configuration (where it runs aside). */
export function matchesPreset(config: ExperimentConfig, preset: PresetName): boolean {
  const own = PRESETS[preset];
  return (Object.keys(own) as ConfigField[]).every((f) => PLACE_FIELDS.includes(f) || JSON.stringify(config[f]) === JSON.stringify(own[f]));
}

/** The work a configuration asks for, in training steps of networks and copies (what its cost grows with). */
export function trainingStepsOf(config: ExperimentConfig): number {
  const plan = workPlan(config);
  return plan.steps + plan.subnetSteps + plan.copySteps;
}

/** A preset's title, description and the training steps it runs, as one line (for lists and the CLI). */
export function presetLine(name: PresetName): string {
  const { title, description } = PRESET_INFO[name];
  return `${title}: ${description} (${trainingStepsOf(PRESETS[name]).toLocaleString('en-US')} training steps)`;
}
