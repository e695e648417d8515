import type { Model } from './model.ts';

/**
 * What the CIFAR-10 models share whatever their width: 32 × 32 × 3 inputs, 10 classes, a
 * classifier named `fc`, BatchNorm momentum 0.1 (PyTorch's), and an evaluation batch that keeps
 * the activations of the widest (first) stage, n × 32 × 32 × width floats held several dozen
 * times over in one forward pass, near 1 GB. With `copies` side by side (see
 * `Model.sideBySide`), the input, the channels and the classes are `copies` times as many.
 */
export function cifarModelBasics(
  width: number,
  copies = 1,
): Pick<Model, 'inputSize' | 'inputChannels' | 'numClasses' | 'outputLayer' | 'evalBatchSize' | 'bnMomentum'> {
  return {
    inputSize: 32 * 32 * 3 * copies,
    inputChannels: 3 * copies,
    numClasses: 10 * copies,
    outputLayer: 'fc.weight',
    evalBatchSize: Math.max(25, Math.floor(3200 / (width * copies))),
    bnMomentum: 0.1,
  };
}
