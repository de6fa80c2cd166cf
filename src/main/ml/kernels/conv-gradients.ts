/**
 * Convolution gradients for the wasm backend, written as a few large matrix products.
 *
 * The wasm backend has no Conv2DBackpropFilter (so no CNN trains there at all) and its
 * Conv2DBackpropInput is a six-deep scalar loop. Both gradients are sums over filter taps. For a tap
 * (fh, fw), let Xₛ be the input shifted by that tap and flattened to rows of channels
 * [batch·outH·outW, inC], and dY the output gradient flattened to [batch·outH·outW, outC]:
 *
 *   dW[fh, fw]ᵀ = dYᵀ · Xₛ                     (one product per tap)
 *   dX        += unshift(dY · W[fh, fw]ᵀ)      (one product per tap, added back at the shifted places)
 *
 * Shifts are copies of contiguous runs inside the wasm heap; the products run through the backend's
 * BatchMatMul, i.e. XNNPACK. Only NHWC is supported, which is all tfjs-layers uses.
 */
import { backend_util, getKernel, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './wasm-backend-like.ts';

type Pad = 'valid' | 'same' | number | backend_util.ExplicitPadding;

/** Where tap (fh, fw) reads: input row/column offsets and the output columns that stay inside the image. */
function tapGeometry(info: backend_util.Conv2DInfo, fh: number, fw: number): { dh: number; dw: number; owStart: number; owEnd: number } {
  const dh = fh * info.dilationHeight - info.padInfo.top;
  const dw = fw * info.dilationWidth - info.padInfo.left;
  const owStart = Math.max(0, Math.ceil(-dw / info.strideWidth));
  const owEnd = Math.min(info.outWidth, Math.floor((info.inWidth - 1 - dw) / info.strideWidth) + 1);
  return { dh, dw, owStart, owEnd };
}

/**
 * Visits, for one tap, every run of output positions that maps to input positions, calling
 * `run(inOffset, outOffset, count)` with element offsets into the input and the row-matrix, and the
 * number of positions (each `inChannels` wide). With stride 1 a run is a whole output row.
 */
function forEachRun(info: backend_util.Conv2DInfo, fh: number, fw: number, run: (inOffset: number, rowOffset: number, count: number) => void): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, strideHeight, strideWidth } = info;
  const { dh, dw, owStart, owEnd } = tapGeometry(info, fh, fw);
  if (owEnd <= owStart) return;
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const ih = oh * strideHeight + dh;
      if (ih < 0 || ih >= inHeight) continue;
      const rowBase = (b * outHeight + oh) * outWidth;
      const inRow = (b * inHeight + ih) * inWidth;
      if (strideWidth === 1) {
        run((inRow + owStart + dw) * inChannels, (rowBase + owStart) * inChannels, owEnd - owStart);
      } else {
        for (let ow = owStart; ow < owEnd; ow++) run((inRow + ow * strideWidth + dw) * inChannels, (rowBase + ow) * inChannels, 1);
      }
    }
  }
}

const matMulKernel = (): KernelFunc => getKernel('BatchMatMul', 'wasm')!.kernelFunc as KernelFunc;

/** The attributes both gradient kernels get, besides the shape of what they compute. */
interface ConvAttrs {
  strides: [number, number] | number;
  pad: Pad;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

type Shape4 = [number, number, number, number];

/** The convolution's geometry, for NHWC only (all tfjs-layers uses). */
function convInfo(kernelName: string, inputShape: Shape4, filterShape: Shape4, attrs: ConvAttrs): backend_util.Conv2DInfo {
  if (attrs.dataFormat !== 'NHWC') throw new Error(`${kernelName} on wasm supports NHWC only.`);
  return backend_util.computeConv2DInfo(inputShape, filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
}

/**
 * For thin inputs (a first layer on grayscale images: one channel, nine taps), nine products of a
 * single row each would waste XNNPACK; unfolding every tap into one [rows, taps·inC] matrix gives a
 * single well-shaped product instead.
 */
const THIN_ROW_LENGTH = 32;

function backpropFilterThin(info: backend_util.Conv2DInfo, x: TensorInfo, dy: TensorInfo, wasm: WasmBackendLike, matMul: KernelFunc, backend: unknown): TensorInfo {
  const { inChannels, outChannels, filterHeight, filterWidth } = info;
  const rows = info.batchSize * info.outHeight * info.outWidth;
  const rowLength = filterHeight * filterWidth * inChannels;
  // The unfolded input, already transposed: row (tap, channel) holds that input value for every output
  // position, so the product needs no transpose and XNNPACK packs only dY.
  const columns = wasm.makeOutput([1, rowLength, rows], 'float32');
  const cols = wasm.typedArrayFromHeap(columns) as Float32Array;
  const xs = wasm.typedArrayFromHeap(x) as Float32Array;
  cols.fill(0);
  for (let fh = 0; fh < filterHeight; fh++) {
    for (let fw = 0; fw < filterWidth; fw++) {
      const tapRow = (fh * filterWidth + fw) * inChannels;
      forEachRun(info, fh, fw, (inOffset, rowOffset, count) => {
        // rowOffset counts positions × inChannels.
        const position = rowOffset / inChannels;
        for (let c = 0; c < inChannels; c++) {
          const target = (tapRow + c) * rows + position;
          if (inChannels === 1) cols.set(xs.subarray(inOffset, inOffset + count), target);
          else for (let p = 0; p < count; p++) cols[target + p] = xs[inOffset + p * inChannels + c];
        }
      });
    }
  }
  const dyRows: TensorInfo = { dataId: dy.dataId, shape: [1, rows, outChannels], dtype: 'float32' };
  const product = matMul({ inputs: { a: columns, b: dyRows }, backend: backend as never, attrs: { transposeA: false, transposeB: false } }) as TensorInfo;
  wasm.disposeData(columns.dataId);
  return { ...product, shape: [filterHeight, filterWidth, inChannels, outChannels] };
}

const backpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const x = inputs.x as TensorInfo;
  const dy = inputs.dy as TensorInfo;
  const { filterShape } = attrs as unknown as { filterShape: Shape4 };
  const info = convInfo('Conv2DBackpropFilter', x.shape as Shape4, filterShape, attrs as unknown as ConvAttrs);
  const wasm = backend as unknown as WasmBackendLike;
  const matMul = matMulKernel();
  const { inChannels, outChannels, filterHeight, filterWidth } = info;
  if (filterHeight * filterWidth * inChannels <= THIN_ROW_LENGTH) return backpropFilterThin(info, x, dy, wasm, matMul, backend);
  const rows = info.batchSize * info.outHeight * info.outWidth;

  // Each tap's gradient transposed, dW[fh, fw]ᵀ = dYᵀ · Xₛ: dY is transposed once for all taps, and
  // XNNPACK packs the smaller Xₛ as its right operand, instead of transposing Xₛ and packing dY per tap.
  const transpose = getKernel('Transpose', 'wasm')!.kernelFunc as KernelFunc;
  const dyRows: TensorInfo = { dataId: dy.dataId, shape: [1, rows, outChannels], dtype: 'float32' };
  const dyT = transpose({ inputs: { x: dyRows }, backend, attrs: { perm: [0, 2, 1] } }) as TensorInfo;
  const out = wasm.makeOutput([filterHeight, filterWidth, inChannels, outChannels], 'float32');
  for (let fh = 0; fh < filterHeight; fh++) {
    for (let fw = 0; fw < filterWidth; fw++) {
      // A new tensor for each tap: the backend caches XNNPACK's packing of a right operand by its
      // tensor, so refilling one tensor would reuse the first tap's packing.
      const shifted = wasm.makeOutput([1, rows, inChannels], 'float32');
      // Views are taken afresh for each tap: a matMul may grow the heap and detach older ones.
      const xs = wasm.typedArrayFromHeap(x) as Float32Array;
      const col = wasm.typedArrayFromHeap(shifted) as Float32Array;
      col.fill(0);
      forEachRun(info, fh, fw, (inOffset, rowOffset, count) => col.set(xs.subarray(inOffset, inOffset + count * inChannels), rowOffset));
      const tapT = matMul({ inputs: { a: dyT, b: shifted }, backend, attrs: { transposeA: false, transposeB: false } }) as TensorInfo;
      const from = wasm.typedArrayFromHeap(tapT) as Float32Array;
      const to = wasm.typedArrayFromHeap(out) as Float32Array;
      const base = (fh * filterWidth + fw) * inChannels * outChannels;
      for (let o = 0; o < outChannels; o++) {
        for (let c = 0; c < inChannels; c++) to[base + c * outChannels + o] = from[o * inChannels + c];
      }
      wasm.disposeData(tapT.dataId);
      wasm.disposeData(shifted.dataId);
    }
  }
  wasm.disposeData(dyT.dataId);
  return out;
};

const backpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const dy = inputs.dy as TensorInfo;
  const filter = inputs.filter as TensorInfo;
  const { inputShape } = attrs as unknown as { inputShape: Shape4 };
  const info = convInfo('Conv2DBackpropInput', inputShape, filter.shape as Shape4, attrs as unknown as ConvAttrs);
  const wasm = backend as unknown as WasmBackendLike;
  const matMul = matMulKernel();
  const { inChannels, outChannels, filterHeight, filterWidth } = info;
  const rows = info.batchSize * info.outHeight * info.outWidth;
  const tapSize = inChannels * outChannels;

  const out = wasm.makeOutput(inputShape, 'float32');
  (wasm.typedArrayFromHeap(out) as Float32Array).fill(0);
  const weights = wasm.makeOutput([1, inChannels, outChannels], 'float32');
  const dyRows: TensorInfo = { dataId: dy.dataId, shape: [1, rows, outChannels], dtype: 'float32' };
  for (let fh = 0; fh < filterHeight; fh++) {
    for (let fw = 0; fw < filterWidth; fw++) {
      const tapIndex = fh * filterWidth + fw;
      const w = wasm.typedArrayFromHeap(filter) as Float32Array;
      (wasm.typedArrayFromHeap(weights) as Float32Array).set(w.subarray(tapIndex * tapSize, (tapIndex + 1) * tapSize));
      const products = matMul({ inputs: { a: dyRows, b: weights }, backend, attrs: { transposeA: false, transposeB: true } }) as TensorInfo;
      const p = wasm.typedArrayFromHeap(products) as Float32Array;
      const dx = wasm.typedArrayFromHeap(out) as Float32Array;
      forEachRun(info, fh, fw, (inOffset, rowOffset, count) => {
        const n = count * inChannels;
        for (let i = 0; i < n; i++) dx[inOffset + i] += p[rowOffset + i];
      });
      wasm.disposeData(products.dataId);
    }
  }
  wasm.disposeData(weights.dataId);
  return out;
};

export const conv2dBackpropFilterWasmConfig: KernelConfig = { kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: backpropFilter };
export const conv2dBackpropInputWasmConfig: KernelConfig = { kernelName: 'Conv2DBackpropInput', backendName: 'wasm', kernelFunc: backpropInput };
