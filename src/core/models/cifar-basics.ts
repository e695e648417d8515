import type { Model } from './model.ts';

/**
 * What the CIFAR-10 models share whatever their width: 32 × 32 × 3 inputs, 10 classes, a
 * classifier named `fc`, BatchNorm momentum 0.1 (PyTorch's), and an evaluation batch that keeps
 * the activations of the widest (first) stage, n × 32 × 32 × width floats held several dozen
 * times over in one forward pass, near 1 GB.
 */
export function cifarModelBasics(width: number): Pick<Model, 'inputSize' | 'numClasses' | 'outputLayer' | 'evalBatchSize' | 'bnMomentum'> {
  return { inputSize: 32 * 32 * 3, numClasses: 10, outputLayer: 'fc.weight', evalBatchSize: Math.max(25, Math.floor(3200 / width)), bnMomentum: 0.1 };
}
