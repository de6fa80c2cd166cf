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

/** A flat parameter buffer with Adam's two moments. */
export interface AdamState {
  theta: Float32Array;
  m: Float32Array;
  v: Float32Array;
}

/**
 * One Adam update of positions [from, to): reads the parameters and moments of `now` and the gradient,
 * writes the new ones to `next`, which may be `now` itself (data parallel updates its slice in place).
 */
export function adamPass(now: AdamState, gradient: Float32Array, next: AdamState, from: number, to: number, { learningRate, beta1, beta2, epsilon, step }: FlatAdamAttrs): void {
  const stepSize = learningRate / (1 - beta1 ** step);
  const secondCorrection = 1 / (1 - beta2 ** step);
  for (let i = from; i < to; i++) {
    const g = gradient[i];
    const mi = beta1 * now.m[i] + (1 - beta1) * g;
    const vi = beta2 * now.v[i] + (1 - beta2) * g * g;
    next.m[i] = mi;
    next.v[i] = vi;
    next.theta[i] = now.theta[i] - (stepSize * mi) / (Math.sqrt(vi * secondCorrection) + epsilon);
  }
}

const flatAdam: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as unknown as WasmBackendLike;
  const [theta, m, v, gradient] = (['theta', 'm', 'v', 'gradient'] as const).map((name) => inputs[name] as TensorInfo);
  const size = theta.shape.reduce((a, b) => a * b, 1);
  for (const t of [m, v, gradient]) {
    if (t.shape.reduce((a, b) => a * b, 1) !== size) throw new Error(`${FLAT_ADAM}: the moments and the gradient must have the parameters' ${size} values.`);
  }
  const outputs = [wasm.makeOutput(theta.shape, 'float32'), wasm.makeOutput(theta.shape, 'float32'), wasm.makeOutput(theta.shape, 'float32')];
  // Views are taken after makeOutput: growing the heap detaches earlier ones.
  const view = (t: TensorInfo) => wasm.typedArrayFromHeap(t) as Float32Array;
  adamPass({ theta: view(theta), m: view(m), v: view(v) }, view(gradient), { theta: view(outputs[0]), m: view(outputs[1]), v: view(outputs[2]) }, 0, size, attrs as unknown as FlatAdamAttrs);
  return outputs;
};

export const flatAdamWasmConfig: KernelConfig = { kernelName: FLAT_ADAM, backendName: 'wasm', kernelFunc: flatAdam };
