/**
 * Kernels that make training on the wasm backend fast, or possible at all.
 *
 * - BatchMatMul: the stock kernel gives XNNPACK only untransposed products; with `transposeA` or
 *   `transposeB` it falls back to a naive loop about seven times slower. Backpropagation through a dense
 *   layer needs exactly those products (dW = Xᵀ·dY, dX = dY·Wᵀ). This one transposes the operand
 *   explicitly (memory-bound, cheap) and calls the stock kernel without flags.
 * - GatherV2: the stock kernel computes strides per element; tfjs-layers gathers every training batch
 *   from the whole dataset. Gathering whole rows (axis 0) is a row-by-row copy inside the wasm heap.
 * - Conv2DBackpropFilter: missing from the wasm backend, so CNNs cannot train there without it;
 *   Conv2DBackpropInput and MaxPoolGrad: present but scalar loops (see conv-gradients.ts,
 *   pool-gradients.ts).
 * - Sum, Mean over leading axes and Tile: what batch normalisation trains with (see reduce-kernels.ts).
 * - Slice and SplitV: the stock kernels copy the whole input out of the heap first (see slice-kernel.ts).
 * - FashionSorterSoftmaxCrossEntropy and FashionSorterReluGrad, our own: the hand-written step's loss
 *   with its gradient, and ReLU's gradient, each one op instead of several (see loss-kernels.ts).
 * - FashionSorterFlatAdam, our own: Adam over the step's flat parameter buffer in one pass (see adam-kernel.ts).
 * - Transpose of the last two axes: the stock kernel's strided loop costs as much as the matrix product
 *   it feeds (see transpose-kernel.ts).
 *
 * Call `installWasmKernels()` after importing the wasm backend and before `tf.setBackend('wasm')`.
 */
import { getKernel, registerKernel, unregisterKernel, util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { conv2dBackpropFilterWasmConfig, conv2dBackpropInputWasmConfig } from './conv-gradients.ts';
import { maxPoolGradWasmConfig } from './pool-gradients.ts';
import { flatAdamWasmConfig } from './adam-kernel.ts';
import { reluGradWasmConfig, softmaxCrossEntropyWasmConfig } from './loss-kernels.ts';
import { fastTile, leadingAxesReduction } from './reduce-kernels.ts';
import { heapSlice, heapSplitV } from './slice-kernel.ts';
import { blockedTranspose } from './transpose-kernel.ts';
import type { WasmBackendLike } from './wasm-backend-like.ts';

function replaceKernel(name: string, wrap: (stock: KernelFunc) => KernelFunc): void {
  const stock = getKernel(name, 'wasm');
  if (!stock) throw new Error(`The wasm backend must be imported before its ${name} kernel is replaced.`);
  unregisterKernel(name, 'wasm');
  const config: KernelConfig = { kernelName: name, backendName: 'wasm', setupFunc: stock.setupFunc, kernelFunc: wrap(stock.kernelFunc as KernelFunc) };
  registerKernel(config);
}

/**
 * For C = A·Bᵀ (A: M×K, B: N×K), whether (B·Aᵀ)ᵀ moves less memory. Transposing B costs N·K and XNNPACK
 * then packs the N·K right operand; the other way transposes A (M·K), packs Aᵀ (M·K) and transposes the
 * M×N result. Backpropagating through a wide dense layer (dX = dY·Wᵀ with W 2304×128 and 32 rows)
 * moves a seventh as much the other way. Only for equal batch dimensions, without broadcasting.
 */
function prefersTransposedProduct(a: TensorInfo, b: TensorInfo): boolean {
  const rank = a.shape.length;
  if (b.shape.length !== rank || a.shape.slice(0, rank - 2).some((d, i) => d !== b.shape[i])) return false;
  const [m, k] = a.shape.slice(rank - 2);
  const n = b.shape[rank - 2];
  return 2 * m * k + m * n < 2 * n * k;
}

/** BatchMatMul that turns transposed products into an explicit transpose plus the XNNPACK path. */
function fastMatMul(stockMatMul: KernelFunc): KernelFunc {
  const transposeKernel = getKernel('Transpose', 'wasm')!.kernelFunc as KernelFunc;
  return ({ inputs, backend, attrs }) => {
    const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
    if (!transposeA && !transposeB) return stockMatMul({ inputs, backend, attrs });
    const swapLastTwo = (x: TensorInfo): TensorInfo => {
      const perm = x.shape.map((_, i) => i);
      [perm[perm.length - 2], perm[perm.length - 1]] = [perm[perm.length - 1], perm[perm.length - 2]];
      return transposeKernel({ inputs: { x }, backend, attrs: { perm } }) as TensorInfo;
    };
    const wasm = backend as unknown as WasmBackendLike;
    if (transposeB && !transposeA && prefersTransposedProduct(inputs.a as TensorInfo, inputs.b as TensorInfo)) {
      // C = A·Bᵀ computed as (B·Aᵀ)ᵀ: see prefersTransposedProduct.
      const at = swapLastTwo(inputs.a as TensorInfo);
      const ct = stockMatMul({ inputs: { a: inputs.b, b: at }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } }) as TensorInfo;
      wasm.disposeData(at.dataId);
      const c = swapLastTwo(ct);
      wasm.disposeData(ct.dataId);
      return c;
    }
    const a = transposeA ? swapLastTwo(inputs.a as TensorInfo) : (inputs.a as TensorInfo);
    const b = transposeB ? swapLastTwo(inputs.b as TensorInfo) : (inputs.b as TensorInfo);
    const out = stockMatMul({ inputs: { a, b }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
    if (transposeA) wasm.disposeData(a.dataId);
    if (transposeB) wasm.disposeData(b.dataId);
    return out;
  };
}

/** GatherV2 that copies whole rows when gathering along axis 0 without batch dimensions. */
function fastGather(stockGather: KernelFunc): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const indices = inputs.indices as TensorInfo;
    const { axis, batchDims } = attrs as { axis: number; batchDims: number };
    const parsedAxis = util.parseAxisParam(axis, x.shape)[0];
    if (parsedAxis !== 0 || batchDims !== 0 || x.dtype === 'string' || x.dtype === 'complex64') return stockGather({ inputs, backend, attrs });
    const wasm = backend as unknown as WasmBackendLike;
    const rows = x.shape[0];
    const rowSize = util.sizeFromShape(x.shape.slice(1));
    const ids = Array.from(wasm.readSync(indices.dataId));
    for (const id of ids) {
      if (!(id >= 0 && id < rows)) throw new Error(`GatherV2: the index value ${id} is not in [0, ${rows - 1}]`);
    }
    const out = wasm.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
    // Views are taken after makeOutput: growing the heap detaches earlier ones.
    const source = wasm.typedArrayFromHeap(x);
    const target = wasm.typedArrayFromHeap(out);
    for (let i = 0; i < ids.length; i++) target.set(source.subarray(ids[i] * rowSize, (ids[i] + 1) * rowSize), i * rowSize);
    return out;
  };
}

let installed = false;

/** Installs the faster and the missing wasm kernels; safe to call more than once. */
export function installWasmKernels(): void {
  if (installed) return;
  // Transpose first: fastMatMul takes the Transpose kernel when it is installed.
  replaceKernel('Transpose', blockedTranspose);
  replaceKernel('BatchMatMul', fastMatMul);
  replaceKernel('Slice', heapSlice);
  replaceKernel('SplitV', heapSplitV);
  replaceKernel('GatherV2', fastGather);
  replaceKernel('Sum', (stock) => leadingAxesReduction(stock, false));
  replaceKernel('Mean', (stock) => leadingAxesReduction(stock, true));
  replaceKernel('Tile', fastTile);
  if (!getKernel('Conv2DBackpropFilter', 'wasm')) registerKernel(conv2dBackpropFilterWasmConfig);
  for (const config of [flatAdamWasmConfig, softmaxCrossEntropyWasmConfig, reluGradWasmConfig]) {
    if (!getKernel(config.kernelName, 'wasm')) registerKernel(config);
  }
  for (const config of [conv2dBackpropInputWasmConfig, maxPoolGradWasmConfig]) replaceKernel(config.kernelName, () => config.kernelFunc);
  installed = true;
}
