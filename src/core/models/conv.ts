import * as tf from '@tensorflow/tfjs';

/**
 * 2-D convolution, NHWC input and HWIO filter, 'valid' padding (pad the input first), with a
 * gradient every TensorFlow.js backend runs: the WASM backend has no Conv2DBackpropFilter
 * kernel and the cpu backend's is very slow, so the filter gradient is itself computed as a
 * convolution, of the input (batch as channels) with the output gradient as a dilated filter:
 * dW[i,j,c,o] = Σ_{n,y,x} X[n, s·y+i, s·x+j, c] · dY[n, y, x, o]. The input gradient is also a
 * plain convolution (see {@link inputGradient}): the WASM backend's Conv2DBackpropInput is a
 * naive loop, many times slower than its XNNPACK Conv2D.
 */
export function conv2dValid(x: tf.Tensor4D, w: tf.Tensor4D, stride: number): tf.Tensor4D {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x4, w4, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
    save([x4, w4]);
    return {
      value: tf.conv2d(x4, w4, stride, 'valid'),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ws] = saved as [tf.Tensor4D, tf.Tensor4D];
        const dy4 = dy as tf.Tensor4D;
        return [inputGradient(dy4, ws, xs.shape, stride), filterGradient(xs, dy4, ws.shape, stride)];
      },
    };
  });
  return op(x, w) as tf.Tensor4D;
}

/** The filter gradient of a 'valid' convolution, as a convolution (see {@link conv2dValid}). */
export function filterGradient(x: tf.Tensor4D, dy: tf.Tensor4D, filterShape: readonly [number, number, number, number], stride: number): tf.Tensor4D {
  const [kh, kw] = filterShape;
  // [N,H,W,C] → [C,H,W,N] as the "batch" of inputs; dY [N,Ho,Wo,O] → [Ho,Wo,N,O] as the filter.
  const xt = tf.transpose(x, [3, 1, 2, 0]);
  const dyt = tf.transpose(dy, [1, 2, 0, 3]);
  const full = tf.conv2d(xt, dyt, 1, 'valid', 'NHWC', [stride, stride]);
  // A strided convolution can leave input rows unused; keep the kh × kw taps the filter has.
  const taps = full.shape[1] === kh && full.shape[2] === kw ? full : tf.slice(full, [0, 0, 0, 0], [-1, kh, kw, -1]);
  return tf.transpose(taps, [1, 2, 0, 3]);
}

/** Zero-pads the spatial dimensions of an NHWC tensor by `p` on every side (PyTorch's padding=p). */
export function padSpatial(x: tf.Tensor4D, p: number): tf.Tensor4D {
  return p === 0 ? x : tf.pad(x, [
    [0, 0],
    [p, p],
    [p, p],
    [0, 0],
  ]);
}

/**
 * The input gradient of a 'valid' convolution, as a convolution: dY dilated by the stride
 * (zeros between its elements), padded by k − 1 (plus any input rows the stride left unused),
 * convolved with the filter rotated 180° and with its channels swapped.
 */
export function inputGradient(dy: tf.Tensor4D, w: tf.Tensor4D, xShape: readonly [number, number, number, number], stride: number): tf.Tensor4D {
  const [n, ho, wo, cout] = dy.shape;
  const [kh, kw] = w.shape;
  const [, h, wd] = xShape;
  let d: tf.Tensor4D = dy;
  if (stride > 1) {
    // Zeros between rows, then between columns, with 4-D ops only (WebGL cannot compile a 6-D pad).
    const gap = stride - 1;
    const rows = tf.reshape(tf.concat([tf.reshape(dy, [n, ho, 1, wo * cout]), tf.zeros([n, ho, gap, wo * cout])], 2), [n * ho * stride, wo, 1, cout]);
    const cols = tf.reshape(tf.concat([rows, tf.zeros([n * ho * stride, wo, gap, cout])], 2), [n, ho * stride, wo * stride, cout]);
    d = tf.slice(cols, [0, 0, 0, 0], [n, (ho - 1) * stride + 1, (wo - 1) * stride + 1, cout]) as tf.Tensor4D;
  }
  const extraH = h - (d.shape[1] + kh - 1);
  const extraW = wd - (d.shape[2] + kw - 1);
  const padded = tf.pad(d, [
    [0, 0],
    [kh - 1, kh - 1 + extraH],
    [kw - 1, kw - 1 + extraW],
    [0, 0],
  ]);
  const rotated = tf.transpose(tf.reverse(w, [0, 1]), [0, 1, 3, 2]);
  return tf.conv2d(padded, rotated as tf.Tensor4D, 1, 'valid') as tf.Tensor4D;
}
