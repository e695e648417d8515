import * as tf from '@tensorflow/tfjs';
import { flatProgram, float, int, reductionProgram, registerWebGpuKernel, runProgram, runsFused } from './webgpu-program.ts';

/**
 * The training loss, mean softmax cross-entropy times a constant `scale`, on webgpu in two
 * kernels: the loss itself (one workgroup adds up each example's loss, its row's log-sum-exp less
 * its label's logit, then multiplies by scale/n), and in the backward pass
 * (softmax − one-hot)·scale·dy/n, one thread per logit. TensorFlow.js ops take about twenty
 * kernels for the same; the formulas are log-softmax's. Labels must be class indices below the
 * number of logits.
 */

const LOSS = 'LmcCrossEntropy';
const GRADIENT = 'LmcCrossEntropyGradient';

/** WGSL: the row's largest logit `m` and Σ exp(logit − m) `s`, for the row `row` of `Logits` [n, c]. */
const rowMaxAndSum = `let classes = uniforms.logitsShape[1];
        var m = Logits[row * classes];
        for (var j = 1; j < classes; j = j + 1) { m = max(m, Logits[row * classes + j]); }
        var s = 0.0;
        for (var j = 0; j < classes; j = j + 1) { s = s + exp(Logits[row * classes + j] - m); }`;

registerWebGpuKernel(LOSS, ({ inputs, backend, attrs }) => {
  const logits = inputs.logits as tf.TensorInfo;
  const rows = logits.shape[0] ?? 0;
  const program = reductionProgram(
    'cross_entropy',
    1,
    ['Logits', 'Labels'],
    'rows : i32, scale : f32,',
    '',
    'rowLoss(r)',
    `fn rowLoss(row : i32) -> f32 {
        ${rowMaxAndSum}
        return -((Logits[row * classes + Labels[row]] - m) - log(s));
      }`,
  );
  const { scale } = attrs as { scale: number };
  return runProgram(backend, program, [logits, inputs.labels as tf.TensorInfo], [int(rows), float(scale / Math.max(1, rows))]);
});

registerWebGpuKernel(GRADIENT, ({ inputs, backend, attrs }) => {
  const logits = inputs.logits as tf.TensorInfo;
  const program = flatProgram(
    'cross_entropy_gradient',
    logits.shape,
    ['Logits', 'Labels', 'DY'],
    'scale : f32,',
    `let row = index / uniforms.logitsShape[1];
        ${rowMaxAndSum}
        let column = index - row * classes;
        let softmax = exp(Logits[index] - m) / s;
        let wanted = select(0.0, 1.0, Labels[row] == column);
        setOutputAtIndex(index, (softmax - wanted) * uniforms.scale * DY[0] / f32(uniforms.logitsShape[0]));`,
  );
  return runProgram(backend, program, [logits, inputs.labels as tf.TensorInfo, inputs.dy as tf.TensorInfo], [float((attrs as { scale: number }).scale)]);
});

/** Whether the current backend computes the training loss with these kernels (webgpu). */
export function fusedCrossEntropyAvailable(): boolean {
  return runsFused(LOSS);
}

/** Mean softmax cross-entropy of logits [n, c] against class indices [n] (int32), times `scale`, with its gradient for the logits, in our kernels. */
export function fusedCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D, scale = 1): tf.Scalar {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [l, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    save([l]);
    return {
      value: tf.reshape(tf.engine().runKernel(LOSS, { logits: l, labels }, { scale }) as tf.Tensor, []) as tf.Scalar,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.engine().runKernel(GRADIENT, { logits: saved[0] as tf.Tensor, labels, dy }, { scale }) as tf.Tensor,
    };
  });
  return op(logits) as tf.Scalar;
}
