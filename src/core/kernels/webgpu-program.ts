import * as tf from '@tensorflow/tfjs';

/**
 * A compute program as tfjs-backend-webgpu's `runWebGPUProgram` takes it (its `WebGPUProgram`
 * interface, of which the package exports only the type of its internals). The backend adds the
 * bindings: `getX(…)` for each input `X` in `variableNames`, `uniforms.xShape`, `uniforms.size`,
 * `getCoordsFromIndex`, `setOutputAtIndex`.
 */
export interface WebGpuProgram {
  readonly outputShape: number[];
  readonly shaderKey: string;
  readonly dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  readonly variableNames: string[];
  readonly uniforms?: string;
  readonly workgroupSize: [number, number, number];
  readonly size: boolean;
  getUserCode(): string;
}

/** A uniform value in the order the program's `uniforms` declares them. */
export interface ProgramUniform {
  readonly type: 'float32' | 'int32';
  readonly data: number[];
}

/** The part of tfjs-backend-webgpu's WebGPUBackend that runs a program. */
interface WebGpuRunner {
  runWebGPUProgram(program: WebGpuProgram, inputs: tf.TensorInfo[], dtype: 'float32', uniforms: ProgramUniform[]): tf.TensorInfo;
}

const WORKGROUP = 64;

/**
 * A program with one invocation per output element, in the flat layout of TensorFlow.js's own
 * elementwise programs: `body` is WGSL run with `index` (the output element) below
 * `uniforms.size`, and it must call `setOutputAtIndex(index, …)`. `uniforms` declares the
 * program's own uniforms (`name : type,` each). `key` names the shader: programs that differ in
 * more than their uniforms and input shapes must have different keys.
 */
export function flatProgram(key: string, outputShape: readonly number[], variableNames: readonly string[], uniforms: string, body: string): WebGpuProgram {
  const size = outputShape.reduce((a, b) => a * b, 1);
  return {
    outputShape: [...outputShape],
    shaderKey: `lmc_${key}`,
    dispatchLayout: { x: outputShape.map((_, i) => i) },
    // The backend folds a dispatch beyond the device's limit into more dimensions (reshapeDispatch).
    dispatch: [Math.ceil(size / WORKGROUP), 1, 1],
    variableNames: [...variableNames],
    ...(uniforms ? { uniforms } : {}),
    workgroupSize: [WORKGROUP, 1, 1],
    size: true,
    getUserCode: () => `
      fn main(index : i32) {
        if (index < uniforms.size) {
          ${body}
        }
      }`,
  };
}

/** Runs `program` on `inputs` on the webgpu backend `backend` (a kernel function's `backend` argument). */
export function runProgram(backend: unknown, program: WebGpuProgram, inputs: tf.TensorInfo[], uniforms: ProgramUniform[]): tf.TensorInfo {
  return (backend as WebGpuRunner).runWebGPUProgram(program, inputs, 'float32', uniforms);
}

/** Whether the current backend has a kernel registered under `name` (our own WebGPU kernels exist on webgpu only). */
export function hasKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}
