import * as tf from '@tensorflow/tfjs';
import { flatProgram, int, registerWebGpuKernel, runProgram, runsFused } from './webgpu-program.ts';

/**
 * The two rearrangements a convolution's input gradient (computed as a convolution) needs: the
 * output gradient with zeros between its rows and columns, and the filter rotated 180° with its
 * channels swapped. On webgpu each is one kernel of ours (unless our fused kernels are turned
 * off); elsewhere TensorFlow.js ops (five to six kernels for the first, two for the second).
 * Both only move numbers: the results are equal.
 */

const DILATE = 'LmcDilate';
const ROTATE = 'LmcRotateFilter';

/** x [N, H, W, C] with `stride` − 1 zeros between its rows and between its columns: [N, (H − 1)·s + 1, (W − 1)·s + 1, C]. */
export function dilate(x: tf.Tensor4D, stride: number): tf.Tensor4D {
  if (stride === 1) return tf.clone(x);
  if (runsFused(DILATE)) return tf.engine().runKernel(DILATE, { x }, { stride }) as tf.Tensor4D;
  const [n, h, w, c] = x.shape;
  return tf.tidy((): tf.Tensor4D => {
    // Zeros between rows, then between columns, with 4-D ops only (WebGL cannot compile a 6-D pad). The zeros are
    // filled on the backend (tf.fill), not made on the CPU and uploaded (tf.zeros): 44 MB a step at batch 128 on WebGPU.
    const gap = stride - 1;
    const rows = tf.reshape(tf.concat([tf.reshape(x, [n, h, 1, w * c]), tf.fill([n, h, gap, w * c], 0)], 2), [n * h * stride, w, 1, c]);
    const cols = tf.reshape(tf.concat([rows, tf.fill([n * h * stride, w, gap, c], 0)], 2), [n, h * stride, w * stride, c]);
    return tf.slice(cols, [0, 0, 0, 0], [n, (h - 1) * stride + 1, (w - 1) * stride + 1, c]) as tf.Tensor4D;
  });
}

/** A filter [kh, kw, I, O] rotated 180° with its channels swapped: [kh, kw, O, I], out[i, j, o, c] = w[kh − 1 − i, kw − 1 − j, c, o]. */
export function rotateFilter(w: tf.Tensor4D): tf.Tensor4D {
  if (runsFused(ROTATE)) return tf.engine().runKernel(ROTATE, { w }) as tf.Tensor4D;
  return tf.tidy(() => tf.transpose(tf.reverse(w, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D);
}

registerWebGpuKernel(DILATE, ({ inputs, backend, attrs }) => {
  const x = inputs.x as tf.TensorInfo;
  const { stride } = attrs as unknown as { stride: number };
  const [n = 0, h = 0, w = 0, c = 0] = x.shape;
  const program = flatProgram(
    'dilate',
    [n, (h - 1) * stride + 1, (w - 1) * stride + 1, c],
    ['x'],
    'stride : i32,',
    `let o = getCoordsFromIndex(index);
        var value = 0.0;
        if (o[1] % uniforms.stride == 0 && o[2] % uniforms.stride == 0) {
          value = getX(o[0], o[1] / uniforms.stride, o[2] / uniforms.stride, o[3]);
        }
        setOutputAtIndex(index, value);`,
  );
  return runProgram(backend, program, [x], [int(stride)]);
});

registerWebGpuKernel(ROTATE, ({ inputs, backend }) => {
  const w = inputs.w as tf.TensorInfo;
  const [kh = 0, kw = 0, cin = 0, cout = 0] = w.shape;
  const program = flatProgram(
    'rotate_filter',
    [kh, kw, cout, cin],
    ['w'],
    '',
    `let o = getCoordsFromIndex(index);
        setOutputAtIndex(index, getW(uniforms.wShape[0] - 1 - o[0], uniforms.wShape[1] - 1 - o[1], o[3], o[2]));`,
  );
  return runProgram(backend, program, [w], []);
});
