/**
 * Convolution gradients for the wasm backend, written as one large matrix product each.
 *
 * The wasm backend has no Conv2DBackpropFilter (so no CNN trains there at all) and its
 * Conv2DBackpropInput is a six-deep scalar loop. With the input unfolded into columns (im2col),
 * C [batch·outH·outW, fh·fw·inC], and the output gradient flattened to dY [batch·outH·outW, outC]:
 *
 *   dW = Cᵀ · dY                           (the filter gradient, already in [fh, fw, inC, outC] order)
 *   dX = fold(dY · Wᵀ)                      (the input gradient: the product's columns added back in place)
 *
 * Unfolding and folding are copies inside the wasm heap; the products run through the backend's own
 * BatchMatMul, i.e. XNNPACK. Large batches are processed in chunks to bound memory. Only NHWC is
 * supported, which is all tfjs-layers uses.
 */
import { backend_util, getKernel, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './wasm-kernels.ts';

type Pad = 'valid' | 'same' | number | backend_util.ExplicitPadding;

/** Upper bound on the unfolded columns of one chunk, in floats (64 MB). */
const MAX_COLUMN_FLOATS = 16 * 1024 * 1024;

/**
 * Calls `visit(inOffset, columnOffset)` for every (output position, filter tap) pair whose input
 * position lies inside the image, for images `first` to `last − 1`. Offsets are in floats: into the
 * input tensor, and into the column matrix of the chunk (rows of fh·fw·inC).
 */
function forEachTap(info: backend_util.Conv2DInfo, first: number, last: number, visit: (inOffset: number, columnOffset: number) => void): void {
  const { inHeight, inWidth, inChannels, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth, dilationHeight, dilationWidth } = info;
  const rowLength = filterHeight * filterWidth * inChannels;
  for (let b = first; b < last; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        const row = ((b - first) * outHeight + oh) * outWidth + ow;
        for (let fh = 0; fh < filterHeight; fh++) {
          const ih = oh * strideHeight + fh * dilationHeight - info.padInfo.top;
          if (ih < 0 || ih >= inHeight) continue;
          for (let fw = 0; fw < filterWidth; fw++) {
            const iw = ow * strideWidth + fw * dilationWidth - info.padInfo.left;
            if (iw < 0 || iw >= inWidth) continue;
            visit(((b * inHeight + ih) * inWidth + iw) * inChannels, row * rowLength + (fh * filterWidth + fw) * inChannels);
          }
        }
      }
    }
  }
}

/** Images per chunk so that the chunk's columns stay under the memory bound. */
function chunkSize(info: backend_util.Conv2DInfo): number {
  const perImage = info.outHeight * info.outWidth * info.filterHeight * info.filterWidth * info.inChannels;
  return Math.max(1, Math.min(info.batchSize, Math.floor(MAX_COLUMN_FLOATS / perImage)));
}

const matMulKernel = (): KernelFunc => getKernel('BatchMatMul', 'wasm')!.kernelFunc as KernelFunc;

interface FilterAttrs {
  strides: [number, number] | number;
  pad: Pad;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

const backpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const x = inputs.x as TensorInfo;
  const dy = inputs.dy as TensorInfo;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as FilterAttrs;
  if (dataFormat !== 'NHWC') throw new Error('Conv2DBackpropFilter on wasm supports NHWC only.');
  const wasm = backend as unknown as WasmBackendLike;
  const matMul = matMulKernel();
  const info = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  const { inChannels, outChannels, outHeight, outWidth, batchSize } = info;
  const rowLength = info.filterHeight * info.filterWidth * inChannels;
  const rowsPerImage = outHeight * outWidth;
  const chunk = chunkSize(info);

  const out = wasm.makeOutput([rowLength, outChannels], 'float32');
  const columns = wasm.makeOutput([1, chunk * rowsPerImage, rowLength], 'float32');
  const dyChunk = wasm.makeOutput([1, chunk * rowsPerImage, outChannels], 'float32');
  for (let first = 0; first < batchSize; first += chunk) {
    const last = Math.min(batchSize, first + chunk);
    const rows = (last - first) * rowsPerImage;
    // Views are taken afresh for each chunk: a matMul may grow the heap and detach older ones.
    const xs = wasm.typedArrayFromHeap(x) as Float32Array;
    const cols = wasm.typedArrayFromHeap(columns) as Float32Array;
    cols.fill(0);
    forEachTap(info, first, last, (inOffset, columnOffset) => {
      for (let c = 0; c < inChannels; c++) cols[columnOffset + c] = xs[inOffset + c];
    });
    (wasm.typedArrayFromHeap(dyChunk) as Float32Array).set((wasm.typedArrayFromHeap(dy) as Float32Array).subarray(first * rowsPerImage * outChannels, (first * rowsPerImage + rows) * outChannels));
    const a: TensorInfo = { ...columns, shape: [1, rows, rowLength] };
    const b: TensorInfo = { ...dyChunk, shape: [1, rows, outChannels] };
    const product = matMul({ inputs: { a, b }, backend, attrs: { transposeA: true, transposeB: false } }) as TensorInfo;
    const sum = wasm.typedArrayFromHeap(out) as Float32Array;
    const part = wasm.typedArrayFromHeap(product) as Float32Array;
    if (first === 0) sum.set(part);
    else for (let i = 0; i < sum.length; i++) sum[i] += part[i];
    wasm.disposeData(product.dataId);
  }
  wasm.disposeData(columns.dataId);
  wasm.disposeData(dyChunk.dataId);
  return { ...out, shape: [...filterShape] };
};

interface InputAttrs {
  strides: [number, number] | number;
  pad: Pad;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

const backpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const dy = inputs.dy as TensorInfo;
  const filter = inputs.filter as TensorInfo;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as InputAttrs;
  if (dataFormat !== 'NHWC') throw new Error('Conv2DBackpropInput on wasm supports NHWC only.');
  const wasm = backend as unknown as WasmBackendLike;
  const matMul = matMulKernel();
  const info = backend_util.computeConv2DInfo(inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  const { inChannels, outChannels, outHeight, outWidth, batchSize } = info;
  const rowLength = info.filterHeight * info.filterWidth * inChannels;
  const rowsPerImage = outHeight * outWidth;
  const chunk = chunkSize(info);

  const out = wasm.makeOutput(inputShape, 'float32');
  (wasm.typedArrayFromHeap(out) as Float32Array).fill(0);
  const weights: TensorInfo = { ...filter, shape: [1, rowLength, outChannels] };
  const dyChunk = wasm.makeOutput([1, chunk * rowsPerImage, outChannels], 'float32');
  for (let first = 0; first < batchSize; first += chunk) {
    const last = Math.min(batchSize, first + chunk);
    const rows = (last - first) * rowsPerImage;
    (wasm.typedArrayFromHeap(dyChunk) as Float32Array).set((wasm.typedArrayFromHeap(dy) as Float32Array).subarray(first * rowsPerImage * outChannels, (first * rowsPerImage + rows) * outChannels));
    const a: TensorInfo = { ...dyChunk, shape: [1, rows, outChannels] };
    const product = matMul({ inputs: { a, b: weights }, backend, attrs: { transposeA: false, transposeB: true } }) as TensorInfo;
    const cols = wasm.typedArrayFromHeap(product) as Float32Array;
    const dx = wasm.typedArrayFromHeap(out) as Float32Array;
    forEachTap(info, first, last, (inOffset, columnOffset) => {
      for (let c = 0; c < inChannels; c++) dx[inOffset + c] += cols[columnOffset + c];
    });
    wasm.disposeData(product.dataId);
  }
  wasm.disposeData(dyChunk.dataId);
  return out;
};

export const conv2dBackpropFilterWasmConfig: KernelConfig = { kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: backpropFilter };
export const conv2dBackpropInputWasmConfig: KernelConfig = { kernelName: 'Conv2DBackpropInput', backendName: 'wasm', kernelFunc: backpropInput };
