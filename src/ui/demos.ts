import { parseResultsFile } from '../core/experiments/results-file.ts';
import type { ExperimentResults } from '../core/experiments/results.ts';

/**
 * Bundled results a link can name (`#demo=NAME`) and the lesson draws: finished runs in
 * `public/demos/NAME.json`, each made with the CLI command in `public/demos/README.md`, shown at
 * once without training.
 */
export const DEMOS = {
  'lenet-dense': 'Dense LeNet-300-100 on MNIST: stable at k = 0',
  'lenet-plane': 'Dense LeNet-300-100 with the test error over the triangle through the network at k and its two copies',
  'lenet-align': 'Dense LeNet-300-100 with the path walked again after aligning copy 2’s hidden units to copy 1’s (weight matching)',
  'lenet-align-inits': 'Dense LeNet-300-100 with copy 2 started from another initialisation’s network: the barrier before and after aligning the hidden units',
  'lenet-imp': 'IMP on LeNet-300-100 down to 3.5% of the weights, with random baselines',
  'resnet20-quick': 'Dense ResNet-20 (earlier teaching preset, constant learning rate) on CIFAR-10: unstable at k = 0',
  'resnet20-teach': 'Dense ResNet-20 at lesson scale on CIFAR-10: unstable at k = 0, stable from k = 300',
  'resnet20-teach-recompute': 'The same lesson-scale ResNet-20 runs with BatchNorm statistics recomputed along the path instead of interpolated',
  'resnet20-trace': 'The lesson-scale ResNet-20 with the barrier between copies from k = 0 and k = 300 measured while they train (Appendix C)',
  'resnet20-align':
    'The lesson-scale ResNet-20 with every path walked again after aligning copy 2’s channels to copy 1’s (one permutation per residual stream)',
  'resnet20-align-inits': 'The lesson-scale ResNet-20 with copies from two initialisations, before and after aligning copy 2’s channels',
  'vgg16-teach': 'Dense VGG-16 at lesson scale (width 8) on CIFAR-10: copies from k = 0 and k = 300',
  'resnet20-imp-teach': 'IMP on the lesson-scale ResNet-20 at 25% of the weights, rewound to k = 0, 50 and 150, with random baselines',
} as const;

/** A bundled demo's name. */
export type DemoName = keyof typeof DEMOS;

/** True if `name` names a bundled demo. */
export function isDemoName(name: string): name is DemoName {
  return Object.hasOwn(DEMOS, name);
}

const loaded = new Map<DemoName, Promise<ExperimentResults>>();

/**
 * A bundled demo's results, fetched from this app's own origin and checked like any results file
 * (fetched once per page; a failed fetch is tried again next time). Rejects with a message naming the file.
 */
export function fetchDemo(name: DemoName): Promise<ExperimentResults> {
  const known = loaded.get(name);
  if (known) return known;
  const file = `demos/${name}.json`;
  const promise = fetch(new URL(file, document.baseURI)).then(async (response) => {
    if (!response.ok) throw new Error(`${file}: the server answered ${response.status}`);
    return parseResultsFile(await response.text(), file);
  });
  promise.catch(() => loaded.delete(name));
  loaded.set(name, promise);
  return promise;
}
