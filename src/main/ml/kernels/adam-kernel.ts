/**
 * Adam over one flat parameter buffer in a single pass, for the wasm backend.
 *
 * The hand-written training step (step-training.ts) keeps every trainable weight in one flat buffer
 * and updates it with Adam. As tfjs ops that is a dozen kernels, each a pass over the whole buffer
 * (0.5–1.5 ms a step for the MLP's 109,386 and the CNN's 315,338 parameters); this kernel reads the
 * parameters, both moments and the gradient once and writes the three new buffers. Same arithmetic as
 * tfjs's `tf.train.adam` and the step's op-by-op Adam, with bias correction folded into the step size.
 */
import { type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './wasm-backend-like.ts';

export const FLAT_ADAM = 'FashionSorterFlatAdam';

export interface FlatAdamAttrs {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1 for the first update: the bias corrections depend on it. */
  step: number;
}

const flatAdam: KernelFunc = ({ inputs, backend, attrs }) => {
  const { learningRate, beta1, beta2, epsilon, step } = attrs as unknown as FlatAdamAttrs;
  const wasm = backend as unknown as WasmBackendLike;
  const [theta, m, v, gradient] = (['theta', 'm', 'v', 'gradient'] as const).map((name) => inputs[name] as TensorInfo);
  const size = theta.shape.reduce((a, b) => a * b, 1);
  for (const t of [m, v, gradient]) {
    if (t.shape.reduce((a, b) => a * b, 1) !== size) throw new Error(`${FLAT_ADAM}: the moments and the gradient must have the parameters' ${size} values.`);
  }
  const outputs = [wasm.makeOutput(theta.shape, 'float32'), wasm.makeOutput(theta.shape, 'float32'), wasm.makeOutput(theta.shape, 'float32')];
  // Views are taken after makeOutput: growing the heap detaches earlier ones.
  const [T, M, V, G] = [theta, m, v, gradient].map((t) => wasm.typedArrayFromHeap(t) as Float32Array);
  const [nextT, nextM, nextV] = outputs.map((t) => wasm.typedArrayFromHeap(t) as Float32Array);
  const stepSize = learningRate / (1 - beta1 ** step);
  const secondCorrection = 1 / (1 - beta2 ** step);
  for (let i = 0; i < size; i++) {
    const g = G[i];
    const mi = beta1 * M[i] + (1 - beta1) * g;
    const vi = beta2 * V[i] + (1 - beta2) * g * g;
    nextM[i] = mi;
    nextV[i] = vi;
    nextT[i] = T[i] - (stepSize * mi) / (Math.sqrt(vi * secondCorrection) + epsilon);
  }
  return outputs;
};

export const flatAdamWasmConfig: KernelConfig = { kernelName: FLAT_ADAM, backendName: 'wasm', kernelFunc: flatAdam };
