import * as tf from '@tensorflow/tfjs';
import { flatProgram, int, registerWebGpuKernel, runProgram, runsFused } from './webgpu-program.ts';

const IM2COL = 'LmcIm2Col';

/** A convolution's geometry as the patch matrix needs it. */
interface Patches {
  readonly kh: number;
  readonly kw: number;
  readonly stride: number;
  readonly pad: number;
  /** Output rows and columns. */
  readonly ho: number;
  readonly wo: number;
}

/**
 * The patches of a convolution's input as the rows of a matrix (im2col): for x [N, H, W, C],
 * P [N·Ho·Wo, kh·kw·C], whose row (n, y, x) holds Xpad[n, s·y + i, s·x + j, c] in column
 * (i·kw + j)·C + c, Xpad being x zero-padded by `pad` on every side. On webgpu it is one kernel
 * of ours (unless our kernels are turned off); elsewhere a pad, kh·kw strided slices and a concat.
 */
export function im2col(x: tf.Tensor4D, geometry: Patches): tf.Tensor2D {
  const { kh, kw, stride, pad, ho, wo } = geometry;
  const [n, , , c] = x.shape;
  if (runsFused(IM2COL)) return tf.engine().runKernel(IM2COL, { x }, { ...geometry }) as tf.Tensor2D;
  return tf.tidy(() => {
    const padded =
      pad > 0
        ? tf.pad(x, [
            [0, 0],
            [pad, pad],
            [pad, pad],
            [0, 0],
          ])
        : x;
    const taps: tf.Tensor[] = [];
    for (let i = 0; i < kh; i++)
      for (let j = 0; j < kw; j++)
        taps.push(tf.stridedSlice(padded, [0, i, j, 0], [n, i + stride * (ho - 1) + 1, j + stride * (wo - 1) + 1, c], [1, stride, stride, 1]));
    return tf.reshape(taps.length === 1 ? taps[0]! : tf.concat(taps, 3), [n * ho * wo, kh * kw * c]) as tf.Tensor2D;
  });
}

registerWebGpuKernel(IM2COL, ({ inputs, backend, attrs }) => {
  const x = inputs.x as tf.TensorInfo;
  const { kh, kw, stride, pad, ho, wo } = attrs as unknown as Patches;
  const [n = 0, , , c = 0] = x.shape;
  const program = flatProgram(
    'im2col',
    [n * ho * wo, kh * kw * c],
    ['x'],
    'kw : i32, stride : i32, pad : i32, ho : i32, wo : i32,',
    `let rc = getCoordsFromIndex(index);
        let channels = uniforms.xShape[3];
        let tap = rc[1] / channels;
        let ch = rc[1] - tap * channels;
        let i = tap / uniforms.kw;
        let j = tap - i * uniforms.kw;
        let xo = rc[0] % uniforms.wo;
        let rest = rc[0] / uniforms.wo;
        let yo = rest % uniforms.ho;
        let b = rest / uniforms.ho;
        let yi = yo * uniforms.stride + i - uniforms.pad;
        let xi = xo * uniforms.stride + j - uniforms.pad;
        var value = 0.0;
        if (yi >= 0 && yi < uniforms.xShape[1] && xi >= 0 && xi < uniforms.xShape[2]) {
          value = getX(b, yi, xi, ch);
        }
        setOutputAtIndex(index, value);`,
  );
  return runProgram(backend, program, [x], [int(kw), int(stride), int(pad), int(ho), int(wo)]);
});
