import * as tf from '@tensorflow/tfjs';
import { flatProgram, int, registerWebGpuKernel, runProgram, runsFused } from './webgpu-program.ts';

/**
 * A sum over a tensor's first axis, as the gradients take it: a dense layer's bias gradient
 * (over the batch) and the split-K parts of a convolution's filter gradient (over the groups of
 * images). TensorFlow.js's webgpu backend reduces only the last axis, so its `tf.sum(x, 0)` is a
 * Transpose and a reduction, two kernels; on webgpu this is one kernel of ours (unless our kernels
 * are turned off), one thread per output element adding its column in order. It has no gradient:
 * it is meant for gradients themselves.
 */

const FIRST_AXIS_SUM = 'LmcFirstAxisSum';

registerWebGpuKernel(FIRST_AXIS_SUM, ({ inputs, backend }) => {
  const x = inputs.x as tf.TensorInfo;
  const program = flatProgram(
    'FirstAxisSum',
    x.shape.slice(1),
    ['X'],
    'rows : i32,',
    `var sum = 0.0;
          for (var r = 0; r < uniforms.rows; r = r + 1) { sum = sum + X[r * uniforms.size + index]; }
          setOutputAtIndex(index, sum);`,
  );
  return runProgram(backend, program, [x], [int(x.shape[0] ?? 0)]);
});

/** x summed over its first axis (x of rank 2 or more): `tf.sum(x, 0)`, on webgpu in one kernel of ours. The caller owns the result. */
export function sumFirstAxis(x: tf.Tensor): tf.Tensor {
  if (x.rank < 2) throw new Error(`sumFirstAxis: a tensor of rank ${x.rank} has no columns to sum`);
  return runsFused(FIRST_AXIS_SUM) ? (tf.engine().runKernel(FIRST_AXIS_SUM, { x }) as tf.Tensor) : tf.sum(x, 0);
}
