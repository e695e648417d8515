/**
 * Bundled results a link can name (`#demo=NAME`): finished runs in `public/demos/NAME.json`,
 * made with the CLI command given here, shown at once without training.
 */
export const DEMOS = {
  'lenet-dense': 'Dense LeNet-300-100 on MNIST: stable at k = 0',
  'lenet-imp': 'IMP on LeNet-300-100 down to 3.5% of the weights, with random baselines',
  'resnet20-quick': 'Dense ResNet-20 (teaching preset) on CIFAR-10: unstable at k = 0',
} as const;

/** A bundled demo's name. */
export type DemoName = keyof typeof DEMOS;

/** True if `name` names a bundled demo. */
export function isDemoName(name: string): name is DemoName {
  return Object.hasOwn(DEMOS, name);
}
