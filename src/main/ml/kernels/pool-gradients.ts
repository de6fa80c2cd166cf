/**
 * MaxPoolGrad for the wasm backend. The stock kernel is several times slower than this single pass,
 * which routes each output gradient to the position of its window's maximum (the first one on ties,
 * as the cpu backend does).
 */
import { backend_util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './wasm-backend-like.ts';

interface Attrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

const maxPoolGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const dy = inputs.dy as TensorInfo;
  const input = inputs.input as TensorInfo;
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as Attrs;
  const wasm = backend as unknown as WasmBackendLike;
  const info = backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;

  const out = wasm.makeOutput(input.shape, 'float32');
  const dx = wasm.typedArrayFromHeap(out) as Float32Array;
  const x = wasm.typedArrayFromHeap(input) as Float32Array;
  const g = wasm.typedArrayFromHeap(dy) as Float32Array;
  dx.fill(0);
  if (filterHeight === 2 && filterWidth === 2 && strideHeight === 2 && strideWidth === 2 && padTop === 0 && padLeft === 0) {
    twoByTwo(x, g, dx, batchSize, inHeight, inWidth, channels, outHeight, outWidth);
    return out;
  }
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const h0 = oh * strideHeight - padTop;
      for (let ow = 0; ow < outWidth; ow++) {
        const w0 = ow * strideWidth - padLeft;
        const gBase = ((b * outHeight + oh) * outWidth + ow) * channels;
        for (let c = 0; c < channels; c++) {
          let best = -Infinity;
          let bestAt = -1;
          for (let fh = 0; fh < filterHeight; fh++) {
            const h = h0 + fh;
            if (h < 0 || h >= inHeight) continue;
            for (let fw = 0; fw < filterWidth; fw++) {
              const w = w0 + fw;
              if (w < 0 || w >= inWidth) continue;
              const at = ((b * inHeight + h) * inWidth + w) * channels + c;
              if (x[at] > best) {
                best = x[at];
                bestAt = at;
              }
            }
          }
          if (bestAt >= 0) dx[bestAt] += g[gBase + c];
        }
      }
    }
  }
  return out;
};

/** The common case, 2×2 windows with stride 2 and no padding, without the general loop's bookkeeping. */
function twoByTwo(x: Float32Array, g: Float32Array, dx: Float32Array, batchSize: number, inHeight: number, inWidth: number, channels: number, outHeight: number, outWidth: number): void {
  const rowStride = inWidth * channels;
  let gAt = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        const topLeft = ((b * inHeight + 2 * oh) * inWidth + 2 * ow) * channels;
        for (let c = 0; c < channels; c++, gAt++) {
          const a = topLeft + c;
          let at = a;
          if (x[a + channels] > x[at]) at = a + channels;
          if (x[a + rowStride] > x[at]) at = a + rowStride;
          if (x[a + rowStride + channels] > x[at]) at = a + rowStride + channels;
          dx[at] += g[gAt];
        }
      }
    }
  }
}

export const maxPoolGradWasmConfig: KernelConfig = { kernelName: 'MaxPoolGrad', backendName: 'wasm', kernelFunc: maxPoolGrad };
