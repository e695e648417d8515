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
  readonly dispatchLayout: { x: number[]; y?: number[] };
  dispatch: [number, number, number];
  readonly variableNames: string[];
  readonly uniforms?: string;
  readonly workgroupSize: [number, number, number];
  readonly size: boolean;
  getUserCode(): string;
}

/** One prototype per program name: programs of a name then share their shape in the JavaScript engine, which keeps the backend's code that reads them fast. */
const namedPrototypes = new Map<string, object>();

/** `program` named `name` where the backend's profiler reads a program's name (its constructor's). */
function named(name: string, program: WebGpuProgram): WebGpuProgram {
  let prototype = namedPrototypes.get(name);
  if (!prototype) {
    prototype = { constructor: { name } };
    namedPrototypes.set(name, prototype);
  }
  return Object.assign(Object.create(prototype) as object, program);
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
  return named(`Lmc${key}`, {
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
  });
}

/** Threads that share one sum in {@link reductionProgram} (whose outputs, one workgroup each, must number at most 65,535: one dispatch dimension). */
const REDUCTION_THREADS = 256;

/**
 * WGSL of one workgroup's sum of `term` over `rows` (each thread a stride of the rows, then a tree
 * in workgroup memory `partial`), into `result`; every thread may read it afterwards.
 */
function workgroupSum(term: string, result: string): string {
  return `
        var ${result}Part = 0.0;
        for (var r = i32(localIndex); r < uniforms.rows; r = r + ${REDUCTION_THREADS}) {
          ${result}Part = ${result}Part + ${term};
        }
        partial[localIndex] = ${result}Part;
        workgroupBarrier();
        for (var s = ${REDUCTION_THREADS / 2}u; s > 0u; s = s >> 1u) {
          if (localIndex < s) {
            partial[localIndex] = partial[localIndex] + partial[localIndex + s];
          }
          workgroupBarrier();
        }
        let ${result} = partial[0];
        workgroupBarrier();`;
}

/**
 * A program of one workgroup per element of the flat output [outputLength], running `body` (WGSL
 * with `o`, the workgroup's index, and {@link workgroupSum}'s sums); `functions` is WGSL defined
 * beside `main` (functions it calls).
 */
function workgroupProgram(
  key: string,
  outputLength: number,
  dispatched: number,
  variableNames: readonly string[],
  uniforms: string,
  body: string,
  functions = '',
): WebGpuProgram {
  return named(`Lmc${key}`, {
    outputShape: [outputLength],
    shaderKey: `lmc_${key}`,
    // Not flat, so main() runs once per thread of each workgroup without an output index; a
    // layout of another rank than the output's keeps the backend from writing getOutputCoords.
    dispatchLayout: { x: [0], y: [0] },
    dispatch: [dispatched, 1, 1],
    variableNames: [...variableNames],
    uniforms,
    workgroupSize: [REDUCTION_THREADS, 1, 1],
    size: false,
    getUserCode: () => `
      var<workgroup> partial : array<f32, ${REDUCTION_THREADS}>;
      ${functions}
      fn main() {
        let o = i32(workgroupId.x);
        ${body}
      }`,
  });
}

/**
 * A program of one workgroup per output element, whose threads add up `term` over `rows`
 * together (each a stride of the rows, then a tree in workgroup memory): `term` is WGSL of the
 * row `r` and the output element `o` (after `prelude`, WGSL run once per thread), and the sum,
 * times `uniforms.scale`, becomes output `o` of the flat output [outputs]. `uniforms` must
 * declare `rows : i32` and `scale : f32` among the program's own; `functions` is WGSL the term
 * may call, defined beside the program's `main`.
 */
export function reductionProgram(
  key: string,
  outputs: number,
  variableNames: readonly string[],
  uniforms: string,
  prelude: string,
  term: string,
  functions = '',
): WebGpuProgram {
  return workgroupProgram(
    key,
    outputs,
    outputs,
    variableNames,
    uniforms,
    `${prelude}
        ${workgroupSum(term, 'sum')}
        if (localIndex == 0u) {
          setOutputAtIndex(o, sum * uniforms.scale);
        }`,
    functions,
  );
}

/**
 * Each column's mean and biased variance over the rows of X [rows, columns] (row-major), in one
 * workgroup per column: the flat output [2·columns] holds the means, then the variances. The
 * mean is {@link reductionProgram}'s sum times 1/rows and the variance the mean of (x − mean)²,
 * so the numbers equal those of a mean kernel followed by a variance kernel of that form.
 * `uniforms` are `rows : i32, columns : i32, scale : f32` (scale 1/rows).
 */
export function meanAndVarianceProgram(key: string, columns: number): WebGpuProgram {
  return workgroupProgram(
    key,
    2 * columns,
    columns,
    ['X'],
    'rows : i32, columns : i32, scale : f32,',
    `${workgroupSum('X[r * uniforms.columns + o]', 'sum')}
        let m = sum * uniforms.scale;
        ${workgroupSum('(X[r * uniforms.columns + o] - m) * (X[r * uniforms.columns + o] - m)', 'squares')}
        if (localIndex == 0u) {
          setOutputAtIndex(o, m);
          setOutputAtIndex(uniforms.columns + o, squares * uniforms.scale);
        }`,
  );
}

/** Runs `program` on `inputs` on the webgpu backend `backend` (a kernel function's `backend` argument). */
export function runProgram(backend: unknown, program: WebGpuProgram, inputs: tf.TensorInfo[], uniforms: ProgramUniform[]): tf.TensorInfo {
  return (backend as WebGpuRunner).runWebGPUProgram(program, inputs, 'float32', uniforms);
}

/** A uniform of type int32 (`i32` in WGSL). */
export const int = (value: number): ProgramUniform => ({ type: 'int32', data: [value] });
/** A uniform of type float32 (`f32` in WGSL). */
export const float = (value: number): ProgramUniform => ({ type: 'float32', data: [value] });

/** Registers `kernelFunc` as kernel `name` of the webgpu backend, once. */
export function registerWebGpuKernel(name: string, kernelFunc: tf.KernelFunc): void {
  if (!tf.getKernel(name, 'webgpu')) tf.registerKernel({ kernelName: name, backendName: 'webgpu', kernelFunc });
}

let fusedOff = false;

/**
 * Turns every kernel of ours off (true) or back on (false) where they exist, so that the same
 * computation runs as TensorFlow.js ops (im2col, the input gradient's rearrangements, the
 * optimisers' and running statistics' updates, BatchNorm, the training loss): benchmarks and
 * the dispatch count compare both.
 */
export function disableFusedKernels(off: boolean): void {
  fusedOff = off;
}

/** Whether the current backend has a kernel registered under `name` (our own WebGPU kernels exist on webgpu only). */
export function hasKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}

/** Whether the current backend runs our kernel `name` (it has it, and ours are not turned off). */
export function runsFused(name: string): boolean {
  return !fusedOff && hasKernel(name);
}
