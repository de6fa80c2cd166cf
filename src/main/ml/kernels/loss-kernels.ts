/**
 * Two small kernels of the hand-written training step (step-training.ts), for the wasm backend, where
 * each op costs tens of microseconds before any arithmetic: the composite forms take eight ops for the
 * loss and its gradient and two for each ReLU's gradient, on tensors of a few thousand values.
 *
 * - Softmax cross-entropy with integer labels: each example's loss, log Σ exp(z) − z[label], computed
 *   stably, and the gradient of their sum with respect to the logits, softmax(z) − onehot(label), as
 *   TensorFlow's SparseSoftmaxCrossEntropyWithLogits gives them.
 * - ReLU's gradient: dy where the ReLU's output is positive, else 0.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './wasm-backend-like.ts';

export const SOFTMAX_CROSS_ENTROPY = 'FashionSorterSoftmaxCrossEntropy';
export const RELU_GRAD = 'FashionSorterReluGrad';

const softmaxCrossEntropy: KernelFunc = ({ inputs, backend }) => {
  const wasm = backend as unknown as WasmBackendLike;
  const logits = inputs.logits as TensorInfo;
  const labels = inputs.labels as TensorInfo;
  const [rows, classes] = logits.shape;
  if (logits.shape.length !== 2 || labels.shape.length !== 1 || labels.shape[0] !== rows) throw new Error(`${SOFTMAX_CROSS_ENTROPY}: logits must be [n, classes] and labels [n].`);
  const loss = wasm.makeOutput([rows], 'float32');
  const gradient = wasm.makeOutput([rows, classes], 'float32');
  // Views are taken after makeOutput: growing the heap detaches earlier ones.
  const z = wasm.typedArrayFromHeap(logits) as Float32Array;
  const y = wasm.typedArrayFromHeap(labels);
  const l = wasm.typedArrayFromHeap(loss) as Float32Array;
  const g = wasm.typedArrayFromHeap(gradient) as Float32Array;
  for (let r = 0, at = 0; r < rows; r++, at += classes) {
    const label = y[r];
    if (!(label >= 0 && label < classes)) throw new Error(`${SOFTMAX_CROSS_ENTROPY}: the label ${label} is not in [0, ${classes - 1}].`);
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, z[at + c]);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(z[at + c] - max);
    for (let c = 0; c < classes; c++) g[at + c] = Math.exp(z[at + c] - max) / sum;
    g[at + label] -= 1;
    l[r] = Math.log(sum) + max - z[at + label];
  }
  return [loss, gradient];
};

const reluGrad: KernelFunc = ({ inputs, backend }) => {
  const wasm = backend as unknown as WasmBackendLike;
  const dy = inputs.dy as TensorInfo;
  const y = inputs.y as TensorInfo;
  const out = wasm.makeOutput(dy.shape, 'float32');
  const d = wasm.typedArrayFromHeap(dy) as Float32Array;
  const v = wasm.typedArrayFromHeap(y) as Float32Array;
  if (d.length !== v.length) throw new Error(`${RELU_GRAD}: the gradient and the ReLU's output must have the same shape.`);
  const o = wasm.typedArrayFromHeap(out) as Float32Array;
  for (let i = 0; i < d.length; i++) o[i] = v[i] > 0 ? d[i] : 0;
  return out;
};

export const softmaxCrossEntropyWasmConfig: KernelConfig = { kernelName: SOFTMAX_CROSS_ENTROPY, backendName: 'wasm', kernelFunc: softmaxCrossEntropy };
export const reluGradWasmConfig: KernelConfig = { kernelName: RELU_GRAD, backendName: 'wasm', kernelFunc: reluGrad };
