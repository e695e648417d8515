import * as tf from '@tensorflow/tfjs';
import { batchNormRelu, batchNormSpecs, batchNormUnitAxes } from './batchnorm.ts';
import { cifarModelBasics } from './cifar-basics.ts';
import { conv2dPadded } from './conv.ts';
import { dense } from './dense.ts';
import type { Model, UnitGroup } from './model.ts';
import type { ParamMap, ParamSpec } from './params.ts';

/** One convolution of the plan: its name and channels in and out, and whether a 2×2 max-pool follows it. */
interface ConvPlan {
  readonly name: string;
  readonly cin: number;
  readonly cout: number;
  readonly poolAfter: boolean;
}

/** open_lth's VGG-16 plan in multiples of the width: [1, 1, M, 2, 2, M, 4, 4, 4, M, 8, 8, 8, M, 8, 8, 8] (64 standard). */
const VGG16_PLAN: readonly (number | 'M')[] = [1, 1, 'M', 2, 2, 'M', 4, 4, 4, 'M', 8, 8, 8, 'M', 8, 8, 8];

function plan(width: number, copies = 1): ConvPlan[] {
  const convs: ConvPlan[] = [];
  let cin = 3 * copies;
  for (const [i, step] of VGG16_PLAN.entries()) {
    if (step === 'M') continue;
    convs.push({ name: `convs.${convs.length}`, cin, cout: step * width, poolAfter: VGG16_PLAN[i + 1] === 'M' });
    cin = step * width;
  }
  return convs;
}

function specsFor(width: number, copies = 1): ParamSpec[] {
  const specs: ParamSpec[] = [];
  for (const c of plan(width * copies, copies)) {
    const fanIn = 9 * c.cin;
    specs.push(
      // HWIO weights, Kaiming-normal; the bias keeps PyTorch's default, as open_lth leaves it.
      { name: `${c.name}.conv.weight`, shape: [3, 3, c.cin, c.cout], init: { kind: 'kaiming-normal', fanIn }, prunable: true },
      { name: `${c.name}.conv.bias`, shape: [c.cout], init: { kind: 'uniform-fan-in', fanIn }, prunable: false },
      ...batchNormSpecs(`${c.name}.bn`, c.cout),
    );
  }
  const out = 8 * width * copies;
  specs.push(
    { name: 'fc.weight', shape: [out, 10 * copies], init: { kind: 'kaiming-normal', fanIn: out }, prunable: true },
    { name: 'fc.bias', shape: [10 * copies], init: { kind: 'uniform-fan-in', fanIn: out }, prunable: false },
  );
  return specs;
}

/** Each convolution's output channels: its filters and bias, its BatchNorm, and the next layer's inputs (the classifier's rows after the last). */
function unitGroupsFor(width: number): UnitGroup[] {
  const convs = plan(width);
  return convs.map((c, i) => {
    const next = convs[i + 1];
    return {
      name: c.name,
      size: c.cout,
      axes: [
        { param: `${c.name}.conv.weight`, axis: 3 },
        { param: `${c.name}.conv.bias`, axis: 0 },
        ...batchNormUnitAxes(`${c.name}.bn`),
        next ? { param: `${next.name}.conv.weight`, axis: 2 } : { param: 'fc.weight', axis: 0 },
      ],
    };
  });
}

function get(params: ParamMap, name: string): tf.Tensor {
  const t = params.get(name);
  if (!t) throw new Error(`VGG-16: missing ${name}`);
  return t;
}

/**
 * VGG-16 as open_lth's `cifar_vgg_16` builds it, with `width` channels in the first stage (64
 * standard): thirteen 3×3 convolutions (with biases), each followed by BatchNorm and ReLU, in
 * stages of w, w | 2w, 2w | 4w × 3 | 8w × 3 | 8w × 3 channels with a 2×2 max-pool between
 * stages; a 2×2 average pool of the last 2×2 map; linear 8w → 10. At width 64: 14,728,266
 * trainable parameters (the paper's 14.7M), 14,736,714 with the BatchNorm running statistics.
 * With `copies` above 1, that many independent copies side by side (see `Model.sideBySide`).
 */
export function vgg16(width = 64, copies = 1): Model {
  const convs = plan(width * copies, copies);
  return {
    name: 'vgg-16',
    ...cifarModelBasics(width, copies),
    specs: specsFor(width, copies),
    // Copies side by side train as one network; their channels are never aligned.
    unitGroups: copies === 1 ? unitGroupsFor(width) : [],
    ...(copies === 1 ? { sideBySide: (n: number) => vgg16(width, n) } : {}),
    forward(params, x, mode = { mode: 'eval' }) {
      let h = tf.reshape(x, [-1, 32, 32, 3 * copies]) as tf.Tensor4D;
      for (const c of convs) {
        const conv = tf.add(conv2dPadded(h, get(params, `${c.name}.conv.weight`) as tf.Tensor4D, 1, 1), get(params, `${c.name}.conv.bias`)) as tf.Tensor4D;
        h = batchNormRelu(conv, params, `${c.name}.bn`, mode);
        if (c.poolAfter) h = tf.maxPool(h, 2, 2, 'valid');
      }
      const pooled = tf.reshape(tf.avgPool(h, 2, 2, 'valid'), [-1, 8 * width * copies]) as tf.Tensor2D;
      return dense(pooled, get(params, 'fc.weight') as tf.Tensor2D, get(params, 'fc.bias'), 'linear');
    },
  };
}
