import type * as tf from '@tensorflow/tfjs';
import { type DenseActivation, dense } from './dense.ts';
import type { Model, UnitGroup } from './model.ts';
import type { ParamMap, ParamSpec } from './params.ts';

function linear(name: string, fanIn: number, fanOut: number, prunable: boolean): ParamSpec[] {
  return [
    // Stored [in, out] so that x·W needs no transpose (PyTorch stores [out, in]).
    { name: `${name}.weight`, shape: [fanIn, fanOut], init: { kind: 'kaiming-normal', fanIn }, prunable },
    { name: `${name}.bias`, shape: [fanOut], init: { kind: 'uniform-fan-in', fanIn }, prunable: false },
  ];
}

/** The hidden units that layer `name` computes and layer `next` reads: columns of one weight, rows of the next. */
function hiddenUnits(name: string, size: number, next: string): UnitGroup {
  return {
    name,
    size,
    axes: [
      { param: `${name}.weight`, axis: 1 },
      { param: `${name}.bias`, axis: 0 },
      { param: `${next}.weight`, axis: 0 },
    ],
  };
}

function param(params: ParamMap, name: string): tf.Tensor {
  const t = params.get(name);
  if (!t) throw new Error(`LeNet-300-100: missing parameter ${name}`);
  return t;
}

/** LeNet-300-100 with `copies` independent copies side by side (one for the network itself). */
function lenet(copies: number): Model {
  return {
    name: 'lenet-300-100',
    inputSize: 784 * copies,
    inputChannels: 784 * copies,
    numClasses: 10 * copies,
    outputLayer: 'out.weight',
    evalBatchSize: 1000,
    bnMomentum: 0,
    specs: [
      ...linear('fc1', 784 * copies, 300 * copies, true),
      ...linear('fc2', 300 * copies, 100 * copies, true),
      ...linear('out', 100 * copies, 10 * copies, true),
    ],
    // Copies side by side train as one network; their units are never aligned.
    unitGroups: copies === 1 ? [hiddenUnits('fc1', 300, 'fc2'), hiddenUnits('fc2', 100, 'out')] : [],
    ...(copies === 1 ? { sideBySide: lenet } : {}),
    forward(params, x) {
      const layer = (input: tf.Tensor2D, name: string, activation: DenseActivation, onInput = false): tf.Tensor2D =>
        dense(input, param(params, `${name}.weight`) as tf.Tensor2D, param(params, `${name}.bias`), activation, onInput);
      return layer(layer(layer(x, 'fc1', 'relu', true), 'fc2', 'relu'), 'out', 'linear');
    },
  };
}

/**
 * LeNet-300-100 as open_lth's `mnist_lenet_300_100`: 784→300→100→10 fully connected with ReLU,
 * biases, no BatchNorm; 266,610 parameters. Weights Kaiming-normal, biases PyTorch-default.
 */
export const lenet300100: Model = lenet(1);
