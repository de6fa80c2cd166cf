/**
 * Slice and SplitV for the wasm backend without copying the whole input first.
 *
 * The stock Slice starts with `readSync`, which copies the entire input tensor out of the wasm heap
 * before taking the slice: 74 ms to take one 512-image batch out of the 60,000-image training set here,
 * far longer than the training step it feeds. The stock SplitV calls that Slice once per piece (0.75 ms
 * to split the MLP's 109,386 parameters into its six weights, as long as the rest of a small step). These
 * read the input where it lies in the heap and copy only the slice, a contiguous run of the innermost
 * axis at a time.
 */
import { backend_util, slice_util, util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './wasm-backend-like.ts';

/** The slice of `x` from `start`, `extent` long on each axis, copied out of the heap into a new tensor. */
function sliceOf(wasm: WasmBackendLike, x: TensorInfo, start: number[], extent: number[]): TensorInfo {
  const out = wasm.makeOutput(extent, x.dtype);
  const total = util.sizeFromShape(extent);
  if (total === 0) return out;
  // Views are taken after makeOutput: growing the heap detaches earlier ones.
  const source = wasm.typedArrayFromHeap(x);
  const target = wasm.typedArrayFromHeap(out);
  const strides = util.computeStrides(x.shape);
  if (slice_util.isSliceContinous(x.shape, start, extent)) {
    const offset = slice_util.computeFlatOffset(start, strides);
    target.set(source.subarray(offset, offset + total));
    return out;
  }
  // Copy runs of the innermost axis, walking the outer axes like an odometer.
  const rank = x.shape.length;
  const run = extent[rank - 1];
  const index = new Array<number>(rank - 1).fill(0);
  for (let written = 0; written < total; written += run) {
    let offset = start[rank - 1];
    for (let axis = 0; axis < rank - 1; axis++) offset += (start[axis] + index[axis]) * strides[axis];
    target.set(source.subarray(offset, offset + run), written);
    for (let axis = rank - 2; axis >= 0 && ++index[axis] === extent[axis]; axis--) index[axis] = 0;
  }
  return out;
}

const onHeap = (x: TensorInfo): boolean => x.dtype !== 'string' && x.dtype !== 'complex64';

/** Slice that copies only what it returns; strings keep the stock kernel. */
export function heapSlice(stock: KernelFunc): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    if (!onHeap(x)) return stock({ inputs, backend, attrs });
    const { begin, size } = attrs as unknown as { begin: number | number[]; size: number | number[] };
    const [start, extent] = slice_util.parseSliceParams(x as never, begin, size);
    slice_util.assertParamsValid(x as never, start, extent);
    return sliceOf(backend as unknown as WasmBackendLike, x, start, extent);
  };
}

/** SplitV as one such slice per piece; strings keep the stock kernel. */
export function heapSplitV(stock: KernelFunc): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    if (!onHeap(x)) return stock({ inputs, backend, attrs });
    const { numOrSizeSplits, axis } = attrs as unknown as { numOrSizeSplits: number | number[]; axis: number };
    const along = util.parseAxisParam(axis, x.shape)[0];
    const sizes = backend_util.prepareSplitSize(x as never, numOrSizeSplits, along);
    const start = new Array<number>(x.shape.length).fill(0);
    return sizes.map((size) => {
      const extent = x.shape.slice();
      extent[along] = size;
      const piece = sliceOf(backend as unknown as WasmBackendLike, x, start.slice(), extent);
      start[along] += size;
      return piece;
    });
  };
}
