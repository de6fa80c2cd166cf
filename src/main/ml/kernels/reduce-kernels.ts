/**
 * Reductions and tiling for the wasm backend, for the shapes batch normalisation trains with.
 *
 * Batch normalisation over an NHWC activation reduces over every axis but the channels, and its
 * gradient tiles per-channel values back to the activation's shape. The stock kernels handle both
 * slowly: Sum and Mean over leading axes first transpose the whole tensor so that the reduced axes come
 * last, and Tile computes a multi-dimensional index per element (about 30 ms for one [32, 26, 26, 32]
 * tile, longer than the rest of the training step).
 *
 * - Sum and Mean over leading axes of a float32 tensor: one pass over the data, adding each row into
 *   per-column accumulators. (A product with a row of ones through XNNPACK would be faster on data it
 *   has seen, but XNNPACK packs its right operand anew for every new tensor, which costs more.)
 * - Tile: the input is copied into place, then expanded one axis at a time, innermost first, by copying
 *   whole blocks inside the output.
 */
import { util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './wasm-backend-like.ts';

/** How many leading axes `axis` reduces, when it is exactly [0, k) with 0 < k < rank; else null. */
function leadingAxisCount(axis: number | number[], shape: number[]): number | null {
  const axes = [...new Set(util.parseAxisParam(axis, shape))].sort((a, b) => a - b);
  if (axes.length === 0 || axes.length >= shape.length) return null;
  return axes.every((a, i) => a === i) ? axes.length : null;
}

/** Sum (or Mean, with `mean`) over leading axes: one pass adding each row of the rest into accumulators. */
export function leadingAxesReduction(stock: KernelFunc, mean: boolean): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const { axis, keepDims } = attrs as { axis: number | number[]; keepDims: boolean };
    const leading = leadingAxisCount(axis, x.shape);
    if (leading === null || x.dtype !== 'float32' || util.sizeFromShape(x.shape) === 0) return stock({ inputs, backend, attrs });
    const wasm = backend as unknown as WasmBackendLike;
    const rows = util.sizeFromShape(x.shape.slice(0, leading));
    const rest = x.shape.slice(leading);
    const width = util.sizeFromShape(rest);
    const values = wasm.typedArrayFromHeap(x) as Float32Array;
    const sums = new Float64Array(width);
    for (let at = 0; at < values.length; at += width) {
      for (let c = 0; c < width; c++) sums[c] += values[at + c];
    }
    const out = wasm.makeOutput(keepDims ? [...x.shape.slice(0, leading).map(() => 1), ...rest] : rest, 'float32');
    const target = wasm.typedArrayFromHeap(out) as Float32Array;
    for (let c = 0; c < width; c++) target[c] = mean ? sums[c] / rows : sums[c];
    return out;
  };
}

/** Copies `count` elements from `from` to `to` inside `data`, `times` times in a row. */
function repeatBlock(data: Float32Array | Int32Array | Uint8Array, from: number, to: number, count: number, times: number): void {
  if (to !== from) data.copyWithin(to, from, from + count);
  for (let k = 1; k < times; k++) data.copyWithin(to + k * count, to, to + count);
}

/** Tile by block copies inside the output. */
export function fastTile(stock: KernelFunc): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const { reps } = attrs as { reps: number[] };
    if (x.dtype === 'string' || x.dtype === 'complex64') return stock({ inputs, backend, attrs });
    const wasm = backend as unknown as WasmBackendLike;
    const out = wasm.makeOutput(
      x.shape.map((d, i) => d * reps[i]),
      x.dtype,
    );
    if (util.sizeFromShape(out.shape) === 0) return out;
    const data = wasm.typedArrayFromHeap(out);
    data.set(wasm.typedArrayFromHeap(x));
    const shape = [...x.shape];
    for (let d = shape.length - 1; d >= 0; d--) {
      if (reps[d] === 1) continue;
      const block = util.sizeFromShape(shape.slice(d));
      const outer = util.sizeFromShape(shape.slice(0, d));
      // Back to front: each block moves only forward, so no block is overwritten before it is read.
      for (let o = outer - 1; o >= 0; o--) repeatBlock(data, o * block, o * block * reps[d], block, reps[d]);
      shape[d] *= reps[d];
    }
    return out;
  };
}
