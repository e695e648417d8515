import * as tf from '@tensorflow/tfjs';
import type { ImageDataset } from '../data/dataset.ts';
import { flatProgram, int, registerWebGpuKernel, runProgram, runsFused } from './webgpu-program.ts';

/**
 * Training batches gathered on the GPU: a split's images uploaded once as bytes (four to an
 * int32, in chunks of at most {@link CHUNK_BYTES}), and one kernel that builds a batch from
 * them, as `writeBatch` (src/core/data/dataset.ts) does on the host: each example's image at
 * its index, shifted by its crop draw (the border black), mirrored by its flip draw, normalised
 * per channel, written in HWC order and interleaved with the other parts' images.
 */

const GATHER = 'LmcGatherImages';
/** Most bytes in one uploaded chunk: well under WebGPU's default 128 MiB storage binding. */
const CHUNK_BYTES = 64 * 2 ** 20;
/** Most chunks one kernel reads (CIFAR-10's 50,000 training images take three). */
const MAX_CHUNKS = 4;

/** A split's images on the GPU (see {@link uploadImages}). */
export interface DeviceImages {
  readonly data: ImageDataset;
  /** Int32 tensors of four pixels each, consecutive images per chunk. */
  readonly chunks: readonly tf.Tensor1D[];
  readonly imagesPerChunk: number;
  /** Per channel, the scale and then the shift of the normalisation: value·scale − shift. */
  readonly normalisation: tf.Tensor1D;
  dispose(): void;
}

/** Whether the current backend gathers batches with this kernel (webgpu, unless ours are off). */
export function deviceImagesAvailable(): boolean {
  return runsFused(GATHER);
}

/** Images per uploaded chunk of at most `chunkBytes`, and how many chunks `data` takes. */
function chunking(data: ImageDataset, chunkBytes = CHUNK_BYTES): { imagesPerChunk: number; count: number } {
  const imagesPerChunk = Math.max(1, Math.floor(chunkBytes / data.pixelsPerImage));
  return { imagesPerChunk, count: Math.max(1, Math.ceil(data.count / imagesPerChunk)) };
}

/** Whether {@link uploadImages} can hold `data`: whole images of a multiple of four bytes, in at most {@link MAX_CHUNKS} chunks (CIFAR-10 and MNIST can). */
export function imagesFitOnDevice(data: ImageDataset): boolean {
  return data.pixelsPerImage % 4 === 0 && chunking(data).count <= MAX_CHUNKS;
}

/**
 * Uploads `data`'s images as bytes in chunks of at most `chunkBytes` (smaller in tests, to
 * exercise several; the caller disposes them). Throws where they do not fit (see {@link imagesFitOnDevice}).
 */
export function uploadImages(data: ImageDataset, chunkBytes = CHUNK_BYTES): DeviceImages {
  const d = data.pixelsPerImage;
  const { imagesPerChunk, count } = chunking(data, chunkBytes);
  if (d % 4 !== 0 || count > MAX_CHUNKS) throw new Error(`${data.count} images of ${d} bytes do not fit in ${MAX_CHUNKS} chunks of whole words on the GPU`);
  const chunks: tf.Tensor1D[] = [];
  for (let k = 0; k < count; k++) {
    const bytes = data.pixels.subarray(k * imagesPerChunk * d, Math.min(data.count, (k + 1) * imagesPerChunk) * d);
    // A copy where the bytes do not start on a word.
    const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
    chunks.push(tf.tensor1d(new Int32Array(aligned.buffer, aligned.byteOffset, aligned.length / 4), 'int32'));
  }
  const scale = data.channelStd.map((s) => 1 / (255 * s));
  const shift = data.channelMean.map((m, c) => m / (data.channelStd[c] ?? 1));
  const normalisation = tf.tensor1d([...scale, ...shift]);
  return {
    data,
    chunks,
    imagesPerChunk,
    normalisation,
    dispose: () => tf.dispose([...chunks, normalisation]),
  };
}

registerWebGpuKernel(GATHER, ({ inputs, backend, attrs }) => {
  const a = attrs as Record<string, number>;
  const chunks = Object.keys(inputs)
    .filter((k) => k.startsWith('chunk'))
    .sort();
  const names = chunks.map((_, k) => `C${k}`);
  const read = names.map((name, k) => `${k === 0 ? '' : ' else '}if (part == ${k}) { word = ${name}[pos / 4]; }`).join('');
  const n = a.n ?? 0;
  const copies = a.copies ?? 1;
  const d = a.d ?? 0;
  const program = flatProgram(
    `gather_images_${chunks.length}`,
    [n, copies * d],
    [...names, 'Draws', 'Norm'],
    'n : i32, copies : i32, unit : i32, d : i32, height : i32, width : i32, channels : i32, perChunk : i32,',
    `let ex = index / (uniforms.copies * uniforms.d);
        let rest = index % (uniforms.copies * uniforms.d);
        let grp = rest / (uniforms.unit * uniforms.copies);
        let inGroup = rest % (uniforms.unit * uniforms.copies);
        let cp = inGroup / uniforms.unit;
        let e = grp * uniforms.unit + inGroup % uniforms.unit;
        let ch = e % uniforms.channels;
        let px = e / uniforms.channels;
        let r = px / uniforms.width;
        let col = px % uniforms.width;
        let slot = (cp * uniforms.n + ex) * 4;
        let img = Draws[slot];
        let sr = r + Draws[slot + 1];
        var sc = col;
        if (Draws[slot + 3] == 1) { sc = uniforms.width - 1 - col; }
        sc = sc + Draws[slot + 2];
        var value = 0;
        if (sr >= 0 && sr < uniforms.height && sc >= 0 && sc < uniforms.width) {
          let part = img / uniforms.perChunk;
          let pos = (img % uniforms.perChunk) * uniforms.d + ch * uniforms.height * uniforms.width + sr * uniforms.width + sc;
          var word = 0;
          ${read}
          value = (word >> u32((pos % 4) * 8)) & 255;
        }
        setOutputAtIndex(index, f32(value) * Norm[ch] - Norm[uniforms.channels + ch]);`,
  );
  const infos = [...chunks.map((k) => inputs[k]), inputs.draws, inputs.normalisation] as tf.TensorInfo[];
  const uniforms = [n, copies, a.unit ?? d, d, a.height ?? 0, a.width ?? 0, a.channels ?? 1, a.perChunk ?? 1].map(int);
  return runProgram(backend, program, infos, uniforms);
});

/**
 * The parts' examples gathered from `images` into one batch of inputs [n, parts·d], the parts'
 * images interleaved by runs of `unit` values (see `BatchLayout`), each augmented by its draws
 * ([dy, dx, flip] per example, or null). The caller owns the tensor.
 */
export function gatherImages(
  images: DeviceImages,
  parts: readonly { readonly indices: ArrayLike<number>; readonly draws: Int32Array | null }[],
  unit: number,
): tf.Tensor2D {
  const { data } = images;
  const n = parts[0]?.indices.length ?? 0;
  if (unit !== data.channels && unit !== data.pixelsPerImage)
    throw new Error(`a batch interleaves by ${data.channels} channels or ${data.pixelsPerImage} pixels, not ${unit}`);
  // Per example of each part: its image, dy, dx, flip.
  const draws = new Int32Array(4 * n * parts.length);
  parts.forEach((p, c) => {
    for (let i = 0; i < n; i++) {
      const at = 4 * (c * n + i);
      const index = p.indices[i] ?? 0;
      if (index < 0 || index >= data.count) throw new Error(`example ${index} is outside the split's ${data.count}`);
      draws[at] = index;
      draws[at + 1] = p.draws?.[3 * i] ?? 0;
      draws[at + 2] = p.draws?.[3 * i + 1] ?? 0;
      draws[at + 3] = p.draws?.[3 * i + 2] ?? 0;
    }
  });
  return tf.tidy(() => {
    const drawsTensor = tf.tensor1d(draws, 'int32');
    const inputs: Record<string, tf.Tensor> = { draws: drawsTensor, normalisation: images.normalisation };
    images.chunks.forEach((t, k) => (inputs[`chunk${k}`] = t));
    const attrs = {
      n,
      copies: parts.length,
      unit,
      d: data.pixelsPerImage,
      height: data.height,
      width: data.width,
      channels: data.channels,
      perChunk: images.imagesPerChunk,
    };
    return tf.engine().runKernel(GATHER, inputs, attrs) as tf.Tensor2D;
  });
}
