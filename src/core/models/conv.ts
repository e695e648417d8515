import * as tf from '@tensorflow/tfjs';
import { dilate, rotateFilter } from '../kernels/conv-layout.ts';
import { sumFirstAxis } from '../kernels/first-axis-sum.ts';
import { im2col } from '../kernels/im2col.ts';

type Padding4D = [[number, number], [number, number], [number, number], [number, number]];

const spatial = (top: number, bottom: number, left: number, right: number): Padding4D => [
  [0, 0],
  [top, bottom],
  [left, right],
  [0, 0],
];

/**
 * How a convolution's filter gradient is computed: as a convolution ({@link filterGradient};
 * every backend), as matrix products of the input's patches with the output gradient
 * ({@link filterGradientByMatmul}), or by the backend's own Conv2DBackpropFilter (`native`; not
 * on wasm, which lacks it).
 */
export type FilterGradient = 'convolution' | 'matmul' | 'native';

/** How a convolution's input gradient is computed: as a convolution ({@link inputGradient}) or by the backend's own Conv2DBackpropInput. */
export type InputGradient = 'convolution' | 'native';

/** How both of a convolution's gradients are computed. */
export interface ConvGradients {
  readonly filter: FilterGradient;
  readonly input: InputGradient;
}

/** Both gradients as convolutions: what every backend runs unless a measurement chose otherwise. */
export const GRADIENTS_AS_CONVOLUTIONS: ConvGradients = { filter: 'convolution', input: 'convolution' };

/**
 * Each backend's way, chosen by measurement on a real GPU (bench/gpu/profile-step.ts profiles a
 * ResNet-20 step each way): the rest compute both gradients as convolutions. On webgpu (NVIDIA
 * H100, 2026-11-27, run 1) a step's kernels took 51 ms of GPU time with the filter gradient as
 * matrix products against 111 ms with both gradients as convolutions and 435 ms with both the
 * backend's own kernels (whose filter gradient loops over the whole batch in one thread per
 * weight). The backend's own input gradient with the matrix products took 116 ms, in a profile
 * that ran slower throughout, so it is not ruled out. End-to-end throughput in those short runs
 * was within their noise either way (ResNet-20 466 against 553 examples/s in run 1; VGG-16 at
 * width 8 605 against 665 in run 2), since the host, not the GPU, bounded the step.
 */
const GRADIENTS_BY_BACKEND: Readonly<Record<string, ConvGradients>> = {
  webgpu: { filter: 'matmul', input: 'convolution' },
};

/** The ways of computing a convolution's two gradients that benchmarks and checks compare, by name. */
export const CONV_GRADIENT_WAYS = {
  AsConvolutions: GRADIENTS_AS_CONVOLUTIONS,
  MatmulFilter: { filter: 'matmul', input: 'convolution' },
  NativeConvGradients: { filter: 'native', input: 'native' },
  MatmulFilterNativeInput: { filter: 'matmul', input: 'native' },
  ConvolutionFilterNativeInput: { filter: 'convolution', input: 'native' },
} as const satisfies Record<string, ConvGradients>;

let forced: ConvGradients | null = null;

/** Forces one way of computing convolution gradients on every backend (benchmarks and tests compare them); null restores the per-backend choice. */
export function forceConvGradients(choice: ConvGradients | null): void {
  forced = choice;
}

/** `body`'s result with convolution gradients forced to `ways` (null: the per-backend choice), the previous choice restored after, also when it fails. */
export async function withConvGradients<T>(ways: ConvGradients | null, body: () => T | Promise<T>): Promise<T> {
  const previous = forced;
  forced = ways;
  try {
    return await body();
  } finally {
    forced = previous;
  }
}

/** How convolution gradients are computed on the current backend. */
export function convGradients(): ConvGradients {
  return forced ?? GRADIENTS_BY_BACKEND[tf.getBackend()] ?? GRADIENTS_AS_CONVOLUTIONS;
}

/** The backend's own kernel `name`, or an error saying the backend lacks it. */
function requireKernel(name: string): void {
  if (!tf.getKernel(name, tf.getBackend()))
    throw new Error(`the ${tf.getBackend()} backend has no ${name} kernel: compute that convolution gradient as a convolution instead`);
}

/**
 * 2-D convolution, NHWC input and HWIO filter, the input zero-padded by `pad` on every side
 * (PyTorch's padding=pad), with gradients every TensorFlow.js backend runs: the WASM backend
 * has no Conv2DBackpropFilter kernel and the cpu backend's is very slow, so on every backend but
 * webgpu the filter gradient is itself computed as a convolution, of the input (batch as channels) with the output
 * gradient as a dilated filter: dW[i,j,c,o] = Σ_{n,y,x} Xpad[n, s·y+i, s·x+j, c] · dY[n, y, x, o].
 * The input gradient is also a plain convolution (see {@link inputGradient}): the WASM
 * backend's Conv2DBackpropInput is a naive loop, many times slower than its XNNPACK Conv2D.
 * Padding is passed to each convolution rather than applied to the tensors, which spares a pad
 * in the forward pass and a slice in the backward pass. {@link convGradients} says which way
 * each gradient takes on the current backend.
 */
export function conv2dPadded(x: tf.Tensor4D, w: tf.Tensor4D, stride: number, pad: number): tf.Tensor4D {
  const ways = convGradients();
  if (ways.filter === 'native') requireKernel('Conv2DBackpropFilter');
  if (ways.input === 'native') requireKernel('Conv2DBackpropInput');
  const padding = spatial(pad, pad, pad, pad);
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x4, w4, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
    save([x4, w4]);
    return {
      value: tf.conv2d(x4, w4, stride, padding),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ws] = saved as [tf.Tensor4D, tf.Tensor4D];
        const dy4 = dy as tf.Tensor4D;
        const attrs = { strides: [stride, stride], pad: padding, dataFormat: 'NHWC' };
        const dx =
          ways.input === 'native'
            ? (tf.engine().runKernel('Conv2DBackpropInput', { dy: dy4, filter: ws }, { ...attrs, inputShape: xs.shape }) as tf.Tensor4D)
            : inputGradient(dy4, ws, xs.shape, stride, pad);
        const dw =
          ways.filter === 'native'
            ? (tf.engine().runKernel('Conv2DBackpropFilter', { x: xs, dy: dy4 }, { ...attrs, filterShape: ws.shape }) as tf.Tensor4D)
            : ways.filter === 'matmul' && patchMatrixFits(dy4.shape, ws.shape)
              ? filterGradientByMatmul(xs, dy4, ws.shape, stride, pad)
              : filterGradient(xs, dy4, ws.shape, stride, pad);
        return [dx, dw];
      },
    };
  });
  return op(x, w) as tf.Tensor4D;
}

/** A way of computing {@link conv2dPadded}'s filter gradient from its input, its output gradient, the filter's shape, the stride and the padding. */
type FilterGradientOf = (x: tf.Tensor4D, dy: tf.Tensor4D, filterShape: readonly [number, number, number, number], stride: number, pad: number) => tf.Tensor4D;

/**
 * The largest patch matrix {@link filterGradientByMatmul} makes, in bytes: WebGPU's default
 * limit on one storage buffer binding (128 MiB), which some adapters keep.
 */
const MAX_PATCH_BYTES = 128 * 2 ** 20;

/**
 * Whether {@link filterGradientByMatmul}'s patch matrix for an output gradient of `dyShape` and a
 * filter of `filterShape` stays within {@link MAX_PATCH_BYTES}; where it does not (VGG-16's first
 * layers at width 64 and batch 128: 302 MB), the filter gradient is computed as a convolution.
 */
export function patchMatrixFits(dyShape: readonly number[], filterShape: readonly [number, number, number, number]): boolean {
  const [n = 0, ho = 0, wo = 0] = dyShape;
  const [kh, kw, cin] = filterShape;
  return n * ho * wo * kh * kw * cin * 4 <= MAX_PATCH_BYTES;
}

/**
 * Rows of each matrix product in {@link filterGradientByMatmul}: its sum over N·Ho·Wo is split
 * into products of about this many rows (split-K), so that a GPU has many tiles to run at once
 * rather than a few tiles that each loop over every row.
 */
const ROWS_PER_PRODUCT = 4096;

/**
 * The filter gradient of {@link conv2dPadded} as matrix products: the input's patches P
 * ({@link im2col}, [N·Ho·Wo, kh·kw·C]) times the output gradient [N·Ho·Wo, O], dW = Pᵀ·dY,
 * computed as a batch of products over groups of whole images and then summed ({@link sumFirstAxis}).
 */
export const filterGradientByMatmul: FilterGradientOf = (x, dy, filterShape, stride, pad) => {
  const [kh, kw, cin, cout] = filterShape;
  const [n, ho, wo] = dy.shape;
  let images = n;
  for (let d = 1; d <= n; d++)
    if (n % d === 0 && d * ho * wo >= ROWS_PER_PRODUCT) {
      images = d;
      break;
    }
  const groups = n / images;
  const rows = images * ho * wo;
  return tf.tidy(() => {
    const patches = tf.reshape(im2col(x, { kh, kw, stride, pad, ho, wo }), [groups, rows, kh * kw * cin]);
    const partial = tf.matMul(patches, tf.reshape(dy, [groups, rows, cout]), true, false);
    return tf.reshape(groups > 1 ? sumFirstAxis(partial) : partial, [kh, kw, cin, cout]);
  });
};

/** Rows (columns) of the padded input that a strided convolution leaves unused at the bottom (right). */
function unused(size: number, pad: number, kernel: number, outSize: number, stride: number): number {
  return size + 2 * pad - ((outSize - 1) * stride + kernel);
}

/** The filter gradient of {@link conv2dPadded}, as a convolution. */
export const filterGradient: FilterGradientOf = (x, dy, filterShape, stride, pad) => {
  const [kh, kw] = filterShape;
  const [, h, wd] = x.shape;
  const [, ho, wo] = dy.shape;
  // [N,H,W,C] → [C,H,W,N] as the "batch" of inputs; dY [N,Ho,Wo,O] → [Ho,Wo,N,O] as the filter.
  const xt = tf.transpose(x, [3, 1, 2, 0]);
  const dyt = tf.transpose(dy, [1, 2, 0, 3]);
  // Rows the stride leaves unused are cut from the bottom padding, or sliced off after.
  const cutH = Math.min(pad, unused(h, pad, kh, ho, stride));
  const cutW = Math.min(pad, unused(wd, pad, kw, wo, stride));
  const full = tf.conv2d(xt, dyt, 1, spatial(pad, pad - cutH, pad, pad - cutW), 'NHWC', [stride, stride]);
  const taps = full.shape[1] === kh && full.shape[2] === kw ? full : tf.slice(full, [0, 0, 0, 0], [-1, kh, kw, -1]);
  return tf.transpose(taps, [1, 2, 0, 3]);
};

/**
 * The input gradient of {@link conv2dPadded}, as a convolution: dY dilated by the stride
 * (zeros between its elements), padded by k − 1 − pad (plus any input rows the stride left
 * unused), convolved with the filter rotated 180° and with its channels swapped.
 */
export function inputGradient(dy: tf.Tensor4D, w: tf.Tensor4D, xShape: readonly [number, number, number, number], stride: number, pad: number): tf.Tensor4D {
  const [, ho, wo] = dy.shape;
  const [kh, kw] = w.shape;
  const [, h, wd] = xShape;
  const d = stride > 1 ? dilate(dy, stride) : dy;
  const top = kh - 1 - pad;
  const left = kw - 1 - pad;
  if (top < 0 || left < 0) throw new Error(`padding ${pad} is more than a ${kh}×${kw} filter less one`);
  const rotated = rotateFilter(w);
  return tf.conv2d(d, rotated, 1, spatial(top, top + unused(h, pad, kh, ho, stride), left, left + unused(wd, pad, kw, wo, stride)));
}
