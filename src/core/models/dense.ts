import * as tf from '@tensorflow/tfjs';
import { sumFirstAxis } from '../kernels/first-axis-sum.ts';
import { fusedReluAvailable } from '../kernels/relu-webgpu.ts';
import { reluGradient } from './activations.ts';

/** Activation after a fully connected layer. */
export type DenseActivation = 'relu' | 'linear';

/**
 * Whether a dense layer takes its GPU form: on webgpu (unless our kernels are off, which counts
 * the kernels of before issue 14), where each kernel costs the host about a tenth of a
 * millisecond and the arithmetic of LeNet-300-100's products far less (bench/gpu/profile-step.ts).
 */
function gpuForm(): boolean {
  return fusedReluAvailable();
}

/**
 * activation(x·W + b). While gradients are recorded, `tf.fused.matMul` runs a product, an Add
 * and a Relu (it would need their gradients); our own gradient needs none of them, so the GPU
 * form calls the backend's one fused kernel directly. Elsewhere `tf.fused.matMul` runs as before.
 */
function fusedProduct(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor, activation: DenseActivation): tf.Tensor2D {
  if (!gpuForm()) return tf.fused.matMul({ a: x, b: w, bias: b, activation }) as tf.Tensor2D;
  const a3 = tf.reshape(x, [1, ...x.shape]);
  const b3 = tf.reshape(w, [1, ...w.shape]);
  const y = tf.engine().runKernel('_FusedMatMul', { a: a3, b: b3, bias: b }, { transposeA: false, transposeB: false, activation }) as tf.Tensor;
  return tf.reshape(y, [x.shape[0], w.shape[1]]);
}

/**
 * The products of a dense layer's gradients, dz·Wᵀ and xᵀ·dz. In the GPU form the product
 * kernel reads a transposed operand as it is, so each is one kernel. Elsewhere they multiply by
 * explicitly transposed operands: TensorFlow.js's WASM backend runs a transposed product about
 * 13 times slower than a transpose followed by a plain one (0.68 ms against 8.8 ms for LeNet's
 * first layer at batch 60, measured on the development machine).
 */
function transposedProduct(a: tf.Tensor2D, b: tf.Tensor2D, transposeA: boolean, transposeB: boolean): tf.Tensor2D {
  if (gpuForm()) return tf.matMul(a, b, transposeA, transposeB);
  return tf.matMul(transposeA ? tf.transpose(a) : a, transposeB ? tf.transpose(b) : b);
}

/** dz, the gradient before the activation, from the output gradient `dy` and the layer's output `y`. */
function preActivationGradient(dy: tf.Tensor, y: tf.Tensor, activation: DenseActivation): tf.Tensor2D {
  // ReLU passes the gradient where its output is positive (where its input was).
  return (activation === 'relu' ? reluGradient(dy, y) : dy) as tf.Tensor2D;
}

function denseOp(activation: DenseActivation) {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, w, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
    const y = fusedProduct(x, w, b, activation);
    save([x, w, y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ws, ys] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
        const dz = preActivationGradient(dy, ys, activation);
        return [transposedProduct(dz, ws, false, true), transposedProduct(xs, dz, true, false), sumFirstAxis(dz)];
      },
    };
  });
}

/**
 * A layer on the network's input, which needs no gradient: the input is not an argument of the
 * custom gradient (it is read from the closure), so no tensor of zeros stands in for its gradient.
 */
function denseOnInput(x: tf.Tensor2D, activation: DenseActivation) {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [w, b, save] = args as [tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
    const y = fusedProduct(x, w, b, activation);
    save([x, y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ys] = saved as [tf.Tensor2D, tf.Tensor2D];
        const dz = preActivationGradient(dy, ys, activation);
        return [transposedProduct(xs, dz, true, false), sumFirstAxis(dz)];
      },
    };
  });
}

const ops = { relu: denseOp('relu'), linear: denseOp('linear') } as const;

/**
 * A fully connected layer, activation(x·W + b): one fused kernel forward, and in the backward
 * pass the products of {@link transposedProduct}, the activation's gradient and the bias's sum
 * ({@link sumFirstAxis}).
 * With `onInput` (x is the network's input) no gradient is computed for x.
 */
export function dense(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor, activation: DenseActivation, onInput = false): tf.Tensor2D {
  return (onInput ? denseOnInput(x, activation)(w, b) : ops[activation](x, w, b)) as tf.Tensor2D;
}
