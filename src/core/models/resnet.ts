import * as tf from '@tensorflow/tfjs';
import { batchNorm, batchNormAddRelu, batchNormRelu, batchNormSpecs, batchNormUnitAxes } from './batchnorm.ts';
import { cifarModelBasics } from './cifar-basics.ts';
import { conv2dPadded } from './conv.ts';
import { dense } from './dense.ts';
import type { ForwardMode, Model, UnitAxis, UnitGroup } from './model.ts';
import type { ParamMap, ParamSpec } from './params.ts';

function convSpec(name: string, k: number, cin: number, cout: number): ParamSpec {
  // HWIO layout (TensorFlow.js); fan-in = k·k·cin as in PyTorch's kaiming_normal_.
  return { name: `${name}.weight`, shape: [k, k, cin, cout], init: { kind: 'kaiming-normal', fanIn: k * k * cin }, prunable: true };
}

interface BlockPlan {
  readonly name: string;
  readonly cin: number;
  readonly cout: number;
  readonly stride: number;
}

/** The nine residual blocks of ResNet-20: 3 stages × 3 blocks at width w, 2w, 4w channels. */
function plan(width: number): BlockPlan[] {
  const blocks: BlockPlan[] = [];
  let cin = width;
  [width, 2 * width, 4 * width].forEach((cout, stage) => {
    for (let b = 0; b < 3; b++) {
      blocks.push({ name: `blocks.${stage * 3 + b}`, cin, cout, stride: stage > 0 && b === 0 ? 2 : 1 });
      cin = cout;
    }
  });
  return blocks;
}

/** The specs at `width` channels in the first stage, for `copies` side by side (3·copies input channels, 10·copies classes). */
function specsFor(width: number, copies = 1): ParamSpec[] {
  const specs: ParamSpec[] = [convSpec('conv', 3, 3 * copies, width), ...batchNormSpecs('bn', width)];
  for (const b of plan(width)) {
    specs.push(convSpec(`${b.name}.conv1`, 3, b.cin, b.cout), ...batchNormSpecs(`${b.name}.bn1`, b.cout));
    specs.push(convSpec(`${b.name}.conv2`, 3, b.cout, b.cout), ...batchNormSpecs(`${b.name}.bn2`, b.cout));
    if (b.stride !== 1 || b.cin !== b.cout) specs.push(convSpec(`${b.name}.shortcut`, 1, b.cin, b.cout), ...batchNormSpecs(`${b.name}.shortcut_bn`, b.cout));
  }
  const out = 4 * width;
  specs.push(
    { name: 'fc.weight', shape: [out, 10 * copies], init: { kind: 'kaiming-normal', fanIn: out }, prunable: true },
    { name: 'fc.bias', shape: [10 * copies], init: { kind: 'uniform-fan-in', fanIn: out }, prunable: false },
  );
  return specs;
}

const convIn = (name: string): UnitAxis => ({ param: `${name}.weight`, axis: 2 });
const convOut = (name: string): UnitAxis => ({ param: `${name}.weight`, axis: 3 });

/**
 * ResNet-20's permutable channels: inside each block, the channels between its two convolutions;
 * and the three residual streams (one per stage), each the channels that the stem or a stage's
 * blocks add into and read from: an identity shortcut ties a block's input channels to its
 * output channels, so a whole stream takes one permutation. BatchNorm's parameters and running
 * statistics move with their channels; the last stream also orders the rows of the classifier.
 */
function unitGroupsFor(width: number): UnitGroup[] {
  const streams = [width, 2 * width, 4 * width].map((size, stage) => ({ name: `stream.${stage}`, size, axes: [] as UnitAxis[] }));
  const stream = (channels: number) => streams.find((s) => s.size === channels) as (typeof streams)[number];
  stream(width).axes.push(convOut('conv'), ...batchNormUnitAxes('bn'));
  const inner: UnitGroup[] = [];
  for (const b of plan(width)) {
    inner.push({ name: `${b.name}.inner`, size: b.cout, axes: [convOut(`${b.name}.conv1`), ...batchNormUnitAxes(`${b.name}.bn1`), convIn(`${b.name}.conv2`)] });
    stream(b.cin).axes.push(convIn(`${b.name}.conv1`));
    stream(b.cout).axes.push(convOut(`${b.name}.conv2`), ...batchNormUnitAxes(`${b.name}.bn2`));
    if (b.stride !== 1 || b.cin !== b.cout) {
      stream(b.cin).axes.push(convIn(`${b.name}.shortcut`));
      stream(b.cout).axes.push(convOut(`${b.name}.shortcut`), ...batchNormUnitAxes(`${b.name}.shortcut_bn`));
    }
  }
  stream(4 * width).axes.push({ param: 'fc.weight', axis: 0 });
  return [...streams, ...inner];
}

function weight(params: ParamMap, name: string): tf.Tensor4D {
  const t = params.get(`${name}.weight`);
  if (!t) throw new Error(`ResNet-20: missing ${name}.weight`);
  return t as tf.Tensor4D;
}

/** A k×k convolution (padded to keep the size at stride 1) then BatchNorm, then a ReLU where `relu`. */
function convBn(x: tf.Tensor4D, params: ParamMap, conv: string, bn: string, k: number, stride: number, mode: ForwardMode, relu = false): tf.Tensor4D {
  return (relu ? batchNormRelu : batchNorm)(conv2dPadded(x, weight(params, conv), stride, (k - 1) / 2), params, bn, mode);
}

/**
 * ResNet-20 as open_lth's `cifar_resnet_20` builds it, with `width` channels in the first stage
 * (16 standard; open_lth's `cifar_resnet_20_W`): 3×3 conv + BN + ReLU; 3 stages × 3 blocks at
 * w, 2w, 4w channels, stride 2 at the first block of stages 2 and 3, where the shortcut is a
 * 1×1 stride-2 conv + BN; global average pool; linear 4w → 10. No conv biases. At width 16:
 * 272,474 trainable parameters, 274,042 with the BatchNorm running statistics. With `copies`
 * above 1, that many independent copies side by side (see `Model.sideBySide`).
 */
export function resnet20(width = 16, copies = 1): Model {
  const wide = width * copies;
  const blocks = plan(wide);
  return {
    name: 'resnet-20',
    ...cifarModelBasics(width, copies),
    specs: specsFor(wide, copies),
    // Copies side by side train as one network; their channels are never aligned.
    unitGroups: copies === 1 ? unitGroupsFor(width) : [],
    ...(copies === 1 ? { sideBySide: (n: number) => resnet20(width, n) } : {}),
    forward(params, x, mode = { mode: 'eval' }) {
      let h = convBn(tf.reshape(x, [-1, 32, 32, 3 * copies]), params, 'conv', 'bn', 3, 1, mode, true);
      for (const b of blocks) {
        const inner = convBn(h, params, `${b.name}.conv1`, `${b.name}.bn1`, 3, b.stride, mode, true);
        const shortcut = b.stride !== 1 || b.cin !== b.cout ? convBn(h, params, `${b.name}.shortcut`, `${b.name}.shortcut_bn`, 1, b.stride, mode) : h;
        // relu(bn2(conv2(inner)) + shortcut)
        h = batchNormAddRelu(conv2dPadded(inner, weight(params, `${b.name}.conv2`), 1, 1), params, `${b.name}.bn2`, mode, shortcut);
      }
      const pooled = tf.mean(h, [1, 2]) as tf.Tensor2D;
      const fcW = params.get('fc.weight') as tf.Tensor2D | undefined;
      const fcB = params.get('fc.bias');
      if (!fcW || !fcB) throw new Error('ResNet-20: missing fc parameters');
      return dense(pooled, fcW, fcB, 'linear');
    },
  };
}
