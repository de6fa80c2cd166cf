/**
 * A hand-written training step for the app's two models, in few, large ops.
 *
 * tfjs-layers' `fit` runs about 225 kernels a step for the MLP and 512 for the CNN, and on the tensorflow
 * backend each costs about 18 µs before any arithmetic. Here instead:
 * - every trainable weight lives in one flat parameter buffer, split into its shapes by one op a step;
 * - the backward pass is written out (dense and convolution layers by their matrix products, with the
 *   backend's own gradient kernels), so nothing is taped or replayed;
 * - Adam updates the whole buffer at once, a dozen ops however many weights there are;
 * - on tensorflow, single TensorFlow ops stand in for what tfjs composes from several: the loss with
 *   its gradient (SparseSoftmaxCrossEntropyWithLogits), batch normalisation and its gradient
 *   (FusedBatchNormV3 and its Grad), ReluGrad and BiasAddGrad.
 * Dropout masks come from the run's seeded random source, so runs stay reproducible. The trained weights
 * are written back into the tfjs-layers model (`writeBack`), which is what is evaluated, checkpointed,
 * stored and exported.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { ModelKind } from '../../shared/types.ts';
import { FLAT_ADAM, type FlatAdamAttrs } from './kernels/adam-kernel.ts';
import { RELU_GRAD, SOFTMAX_CROSS_ENTROPY } from './kernels/loss-kernels.ts';

/** Adam's constants, as tfjs-layers' `tf.train.adam` uses them. */
export const ADAM_BETA1 = 0.9;
export const ADAM_BETA2 = 0.999;
export const ADAM_EPSILON = 1e-7;
/** Batch normalisation's constants: tfjs-layers' defaults, which the model uses. */
const BN_EPSILON = 1e-3;
const BN_MOMENTUM = 0.99;

/** The tfjs-node backend's raw op entry points (its `executeSingleOutput` and `executeMultipleOutputs`). */
interface TensorflowBackend {
  binding: { TF_ATTR_TYPE: number; TF_ATTR_FLOAT: number; TF_ATTR_BOOL: number; TF_ATTR_STRING: number; TF_FLOAT: number; TF_INT32: number };
  executeSingleOutput(name: string, attrs: unknown[], inputs: tf.Tensor[]): tf.Tensor;
  executeMultipleOutputs(name: string, attrs: unknown[], inputs: tf.Tensor[], outputs: number): tf.Tensor[];
}

/** The few kernels the step needs beyond plain ops: single TensorFlow ops on tensorflow, compositions elsewhere. */
interface StepKernels {
  /** Per-example loss and the gradient of their sum with respect to the logits. */
  softmaxCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): { loss: tf.Tensor1D; dLogits: tf.Tensor2D };
  reluGrad(dy: tf.Tensor, y: tf.Tensor): tf.Tensor;
  /** Sum over every axis but the last. */
  biasGrad(dy: tf.Tensor): tf.Tensor1D;
  batchNorm(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D): { y: tf.Tensor4D; mean: tf.Tensor1D; variance: tf.Tensor1D; saved: tf.Tensor[] };
  batchNormGrad(dy: tf.Tensor4D, x: tf.Tensor4D, gamma: tf.Tensor1D, saved: tf.Tensor[]): { dx: tf.Tensor4D; dGamma: tf.Tensor1D; dBeta: tf.Tensor1D };
  /** A 2-D matrix product, either operand transposed. */
  matMul(a: tf.Tensor2D, b: tf.Tensor2D, transposeA: boolean, transposeB: boolean): tf.Tensor2D;
  /** x·W + b, through a ReLU when asked. */
  dense(x: tf.Tensor2D, w: tf.Tensor2D, bias: tf.Tensor1D, relu: boolean): tf.Tensor2D;
  /** The gradient of 2×2 max-pooling (stride 2) of a ReLU's output, to be passed through that ReLU's gradient. */
  maxPoolGrad(dy: tf.Tensor4D, input: tf.Tensor4D, output: tf.Tensor4D): tf.Tensor4D;
}

function tensorflowKernels(backend: TensorflowBackend): StepKernels {
  const { binding } = backend;
  const floatType = { name: 'T', type: binding.TF_ATTR_TYPE, value: binding.TF_FLOAT };
  const bnAttrs = (training: boolean) => [
    floatType,
    { name: 'U', type: binding.TF_ATTR_TYPE, value: binding.TF_FLOAT },
    { name: 'epsilon', type: binding.TF_ATTR_FLOAT, value: BN_EPSILON },
    { name: 'exponential_avg_factor', type: binding.TF_ATTR_FLOAT, value: 1 },
    { name: 'data_format', type: binding.TF_ATTR_STRING, value: 'NHWC' },
    { name: 'is_training', type: binding.TF_ATTR_BOOL, value: training },
  ];
  const nhwc = { name: 'data_format', type: binding.TF_ATTR_STRING, value: 'NHWC' };
  // TensorFlow's own 2-D MatMul: tfjs's matMul is three reshapes around a BatchMatMulV2.
  const matMul = (a: tf.Tensor, b: tf.Tensor, transposeA: boolean, transposeB: boolean): tf.Tensor2D =>
    backend.executeSingleOutput(
      'MatMul',
      [floatType, { name: 'transpose_a', type: binding.TF_ATTR_BOOL, value: transposeA }, { name: 'transpose_b', type: binding.TF_ATTR_BOOL, value: transposeB }],
      [a, b],
    ) as tf.Tensor2D;
  return {
    matMul,
    dense(x, w, bias, relu) {
      const linear = backend.executeSingleOutput('BiasAdd', [floatType, nhwc], [matMul(x, w, false, false), bias]) as tf.Tensor2D;
      return relu ? (backend.executeSingleOutput('Relu', [floatType], [linear]) as tf.Tensor2D) : linear;
    },
    softmaxCrossEntropy(logits, labels) {
      const attrs = [floatType, { name: 'Tlabels', type: binding.TF_ATTR_TYPE, value: binding.TF_INT32 }];
      const [loss, dLogits] = backend.executeMultipleOutputs('SparseSoftmaxCrossEntropyWithLogits', attrs, [logits, labels], 2);
      return { loss: loss as tf.Tensor1D, dLogits: dLogits as tf.Tensor2D };
    },
    reluGrad: (dy, y) => backend.executeSingleOutput('ReluGrad', [floatType], [dy, y]),
    biasGrad: (dy) => backend.executeSingleOutput('BiasAddGrad', [floatType, { name: 'data_format', type: binding.TF_ATTR_STRING, value: 'NHWC' }], [dy]) as tf.Tensor1D,
    batchNorm(x, gamma, beta) {
      const empty = tf.tensor1d([]);
      const [y, mean, variance, saved1, saved2, saved3] = backend.executeMultipleOutputs('FusedBatchNormV3', bnAttrs(true), [x, gamma, beta, empty, empty], 6);
      empty.dispose();
      return { y: y as tf.Tensor4D, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D, saved: [saved1, saved2, saved3] };
    },
    // A mask of where the input equals its window's maximum measured 4–15× faster than TensorFlow's
    // MaxPoolGrad, but it gives every tied position the gradient, and real images tie (flat regions),
    // so its gradient differed from autodiff's by 10%: TensorFlow's own op stays.
    maxPoolGrad: (dy, input, output) => tf.engine().runKernel('MaxPoolGrad', { dy, input, output }, { filterSize: 2, strides: 2, pad: 'valid' }) as tf.Tensor4D,
    batchNormGrad(dy, x, gamma, saved) {
      const outputs = backend.executeMultipleOutputs('FusedBatchNormGradV3', bnAttrs(true).filter((a) => a.name !== 'exponential_avg_factor'), [dy, x, gamma, ...saved], 5);
      tf.dispose(outputs.slice(3));
      return { dx: outputs[0] as tf.Tensor4D, dGamma: outputs[1] as tf.Tensor1D, dBeta: outputs[2] as tf.Tensor1D };
    },
  };
}

const compositeKernels: StepKernels = {
  matMul: (a, b, transposeA, transposeB) => tf.matMul(a, b, transposeA, transposeB),
  dense: (x, w, bias, relu) => tf.fused.matMul({ a: x, b: w, bias, activation: relu ? 'relu' : 'linear' }) as tf.Tensor2D,
  softmaxCrossEntropy(logits, labels) {
    const p = tf.softmax(logits);
    const oneHot = tf.oneHot(labels, logits.shape[1]);
    const loss = tf.neg(tf.log(tf.maximum(tf.sum(tf.mul(p, oneHot), 1), 1e-7))) as tf.Tensor1D;
    return { loss, dLogits: tf.sub(p, oneHot) };
  },
  reluGrad: (dy, y) => tf.mul(dy, tf.step(y)),
  biasGrad: (dy) => tf.sum(dy, [...Array(dy.rank - 1).keys()]) as tf.Tensor1D,
  batchNorm(x, gamma, beta) {
    const { mean, variance } = tf.moments(x, [0, 1, 2]);
    const inverse = tf.rsqrt(tf.add(variance, BN_EPSILON));
    const normalised = tf.mul(tf.sub(x, mean), inverse) as tf.Tensor4D;
    return { y: tf.add(tf.mul(normalised, gamma), beta), mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D, saved: [normalised, inverse] };
  },
  maxPoolGrad(dy, input, output) {
    return tf.engine().runKernel('MaxPoolGrad', { dy, input, output }, { filterSize: 2, strides: 2, pad: 'valid' }) as tf.Tensor4D;
  },
  batchNormGrad(dy, _x, gamma, [normalised, inverse]) {
    // dx = γ·σ⁻¹·(dy − mean(dy) − x̂·mean(dy·x̂)), over the batch and both spatial axes.
    const dBeta = tf.sum(dy, [0, 1, 2]) as tf.Tensor1D;
    const dGamma = tf.sum(tf.mul(dy, normalised), [0, 1, 2]) as tf.Tensor1D;
    const n = dy.size / dy.shape[3];
    const centred = tf.sub(tf.sub(dy, tf.div(dBeta, n)), tf.mul(normalised, tf.div(dGamma, n)));
    return { dx: tf.mul(centred, tf.mul(gamma, inverse)) as tf.Tensor4D, dGamma, dBeta };
  },
};

/** The composite kernels, with the loss and ReLU's gradient as single ops where the backend has ours (wasm). */
function ownKernels(): StepKernels {
  const backend = tf.getBackend();
  const kernels = { ...compositeKernels };
  if (tf.getKernel(SOFTMAX_CROSS_ENTROPY, backend)) {
    kernels.softmaxCrossEntropy = (logits, labels) => {
      const [loss, dLogits] = tf.engine().runKernel(SOFTMAX_CROSS_ENTROPY, { logits, labels }, {}) as tf.Tensor[];
      return { loss: loss as tf.Tensor1D, dLogits: dLogits as tf.Tensor2D };
    };
  }
  if (tf.getKernel(RELU_GRAD, backend)) kernels.reluGrad = (dy, y) => tf.engine().runKernel(RELU_GRAD, { dy, y }, {}) as tf.Tensor;
  return kernels;
}

function kernelsForBackend(): StepKernels {
  const backend = tf.backend() as unknown as Partial<TensorflowBackend>;
  return tf.getBackend() === 'tensorflow' && backend.executeMultipleOutputs ? tensorflowKernels(backend as TensorflowBackend) : ownKernels();
}

/** The model's weights: which are trained (in the flat buffer, in order) and the batch normalisation statistics. */
interface Parameter {
  shape: number[];
  size: number;
  /** Index in `model.getWeights()`. */
  weightIndex: number;
}

/**
 * An inverted dropout mask for a batch of `rows`, as tfjs draws it (kept units scaled by 1 / keep),
 * from the run's seeded random source; undefined for a model without dropout.
 */
export function dropoutMask(trainer: StepTrainer, rows: number, random: () => number): tf.Tensor2D | undefined {
  if (trainer.dropoutRate === 0) return undefined;
  const keep = 1 - trainer.dropoutRate;
  const mask = new Float32Array(rows * trainer.dropoutUnits);
  for (let i = 0; i < mask.length; i++) mask[i] = random() < keep ? 1 / keep : 0;
  return tf.tensor2d(mask, [rows, trainer.dropoutUnits]);
}

/** One training batch: inputs in model layout, integer labels, and (CNN) a dropout mask. */
export interface StepBatch {
  x: tf.Tensor;
  labels: tf.Tensor1D;
  dropoutMask?: tf.Tensor2D;
}

/** A model being trained by hand-written steps. */
export class StepTrainer {
  readonly kind: ModelKind;
  private readonly model: LayersModel;
  private readonly kernels = kernelsForBackend();
  private readonly parameters: Parameter[];
  private readonly theta: tf.Variable;
  private readonly m: tf.Variable;
  private readonly v: tf.Variable;
  /** Batch normalisation moving means and variances, with their index in `model.getWeights()`. */
  private readonly statistics: { value: tf.Variable; weightIndex: number }[];
  private steps = 0;
  /** The model's dropout rate (0 without dropout): the caller draws the masks from the run's random source. */
  readonly dropoutRate: number;
  /** Units the dropout mask covers (the dense layer before the dropout). */
  readonly dropoutUnits: number;

  constructor(model: LayersModel, kind: ModelKind) {
    this.model = model;
    this.kind = kind;
    const weights = model.weights;
    const trainable = new Set(model.trainableWeights);
    const values = model.getWeights();
    this.parameters = [];
    this.statistics = [];
    weights.forEach((w, weightIndex) => {
      if (trainable.has(w)) this.parameters.push({ shape: values[weightIndex].shape, size: values[weightIndex].size, weightIndex });
      else this.statistics.push({ value: tf.tidy(() => tf.variable(tf.clone(values[weightIndex]), false)), weightIndex });
    });
    const expected = kind === 'mlp' ? 6 : 12;
    if (this.parameters.length !== expected) throw new Error(`The hand-written ${kind} step expects ${expected} trainable weights, the model has ${this.parameters.length}.`);
    this.theta = tf.tidy(() => tf.variable(tf.concat(this.parameters.map((p) => tf.reshape(values[p.weightIndex], [-1]))), true));
    this.m = tf.tidy(() => tf.variable(tf.zerosLike(this.theta), false));
    this.v = tf.tidy(() => tf.variable(tf.zerosLike(this.theta), false));
    const dropout = model.layers.find((l) => l.getClassName() === 'Dropout');
    this.dropoutRate = dropout ? (dropout.getConfig().rate as number) : 0;
    this.dropoutUnits = dropout ? (dropout.outputShape as number[])[1] : 0;
  }

  /** One step of Adam at `learningRate` on a batch; returns the batch's summed loss and number right (not yet read). */
  step(batch: StepBatch, learningRate: number): tf.Tensor1D {
    return tf.tidy(() => {
      const { gradient, loss, logits } = this.gradient(batch);
      this.adam(gradient, learningRate);
      const right = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), batch.labels), 'float32'));
      return tf.stack([tf.sum(loss), right]) as tf.Tensor1D;
    });
  }

  /**
   * The gradient of the batch's mean loss over the flat parameter buffer (in the order of the model's
   * trainable weights), with the per-example losses and the logits. Updates the moving statistics.
   */
  gradient(batch: StepBatch): { gradient: tf.Tensor1D; loss: tf.Tensor1D; logits: tf.Tensor2D } {
    return tf.tidy(() => {
      const pieces = tf.split(this.theta, this.parameters.map((p) => p.size));
      // Biases are already 1-D: every op saved counts at this size.
      const weights = pieces.map((piece, i) => (this.parameters[i].shape.length === 1 ? piece : tf.reshape(piece, this.parameters[i].shape)));
      const { gradients, loss, logits } = this.kind === 'mlp' ? this.mlpGradients(batch, weights) : this.cnnGradients(batch, weights);
      return { gradient: tf.concat(gradients.map((g) => (g.rank === 1 ? g : tf.reshape(g, [-1])))) as tf.Tensor1D, loss: loss as tf.Tensor1D, logits: logits as tf.Tensor2D };
    });
  }

  /**
   * Adam over the whole flat buffer, with tfjs's bias correction: `gradient` is the batch's mean
   * gradient, flat in the order of the model's trainable weights (as `gradient()` gives it). Data
   * parallel training applies the replicas' summed gradient this way.
   */
  adam(gradient: tf.Tensor, learningRate: number): void {
    this.steps++;
    if (tf.getKernel(FLAT_ADAM, tf.getBackend())) {
      // One pass over the buffer instead of a dozen ops (kernels/adam-kernel.ts, on wasm).
      const attrs: FlatAdamAttrs = { learningRate, beta1: ADAM_BETA1, beta2: ADAM_BETA2, epsilon: ADAM_EPSILON, step: this.steps };
      const [theta, m, v] = tf.engine().runKernel(FLAT_ADAM, { theta: this.theta, m: this.m, v: this.v, gradient }, attrs as never) as tf.Tensor[];
      this.theta.assign(theta);
      this.m.assign(m);
      this.v.assign(v);
      return;
    }
    const firstCorrection = 1 / (1 - ADAM_BETA1 ** this.steps);
    const secondCorrection = 1 / (1 - ADAM_BETA2 ** this.steps);
    const m = tf.add(tf.mul(this.m, ADAM_BETA1), tf.mul(gradient, 1 - ADAM_BETA1));
    const v = tf.add(tf.mul(this.v, ADAM_BETA2), tf.mul(tf.square(gradient), 1 - ADAM_BETA2));
    const denominator = tf.add(tf.sqrt(tf.mul(v, secondCorrection)), ADAM_EPSILON);
    this.theta.assign(tf.sub(this.theta, tf.div(tf.mul(m, learningRate * firstCorrection), denominator)));
    this.m.assign(m);
    this.v.assign(v);
  }

  /** 784 → 128 ReLU → 64 ReLU → 10, forward and backward. */
  private mlpGradients(batch: StepBatch, [w1, b1, w2, b2, w3, b3]: tf.Tensor[]): { gradients: tf.Tensor[]; loss: tf.Tensor; logits: tf.Tensor } {
    const k = this.kernels;
    const x = batch.x as tf.Tensor2D;
    const h1 = k.dense(x, w1 as tf.Tensor2D, b1 as tf.Tensor1D, true);
    const h2 = k.dense(h1, w2 as tf.Tensor2D, b2 as tf.Tensor1D, true);
    const logits = k.dense(h2, w3 as tf.Tensor2D, b3 as tf.Tensor1D, false);
    const { loss, dLogits } = k.softmaxCrossEntropy(logits as tf.Tensor2D, batch.labels);
    const dz3 = tf.div(dLogits, x.shape[0]) as tf.Tensor2D;
    const dz2 = k.reluGrad(k.matMul(dz3, w3 as tf.Tensor2D, false, true), h2) as tf.Tensor2D;
    const dz1 = k.reluGrad(k.matMul(dz2, w2 as tf.Tensor2D, false, true), h1) as tf.Tensor2D;
    const gradients = [k.matMul(x, dz1, true, false), k.biasGrad(dz1), k.matMul(h1, dz2, true, false), k.biasGrad(dz2), k.matMul(h2, dz3, true, false), k.biasGrad(dz3)];
    return { gradients, loss, logits };
  }

  /**
   * conv 3×3 'same' ReLU → max-pool 2 → batch norm → conv 3×3 'valid' ReLU → max-pool 2 → batch norm →
   * flatten → dense ReLU → dropout → dense, forward and backward. Updates the moving statistics.
   */
  private cnnGradients(batch: StepBatch, weights: tf.Tensor[]): { gradients: tf.Tensor[]; loss: tf.Tensor; logits: tf.Tensor } {
    const [c1k, c1b, g1, be1, c2k, c2b, g2, be2, d1k, d1b, d2k, d2b] = weights as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D, tf.Tensor4D, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D, tf.Tensor2D, tf.Tensor1D, tf.Tensor2D, tf.Tensor1D];
    const k = this.kernels;
    const x = batch.x as tf.Tensor4D;
    const n = x.shape[0];
    const a1 = tf.fused.conv2d({ x, filter: c1k, strides: 1, pad: 'same', bias: c1b, activation: 'relu' });
    const p1 = tf.maxPool(a1, 2, 2, 'valid');
    const bn1 = k.batchNorm(p1, g1, be1);
    const a2 = tf.fused.conv2d({ x: bn1.y, filter: c2k, strides: 1, pad: 'valid', bias: c2b, activation: 'relu' });
    const p2 = tf.maxPool(a2, 2, 2, 'valid');
    const bn2 = k.batchNorm(p2, g2, be2);
    const flat = tf.reshape(bn2.y, [n, -1]) as tf.Tensor2D;
    const h = k.dense(flat, d1k, d1b, true);
    const dropped = batch.dropoutMask ? tf.mul(h, batch.dropoutMask) : h;
    const logits = k.dense(dropped as tf.Tensor2D, d2k, d2b, false);
    const { loss, dLogits } = k.softmaxCrossEntropy(logits as tf.Tensor2D, batch.labels);

    const dz = tf.div(dLogits, n) as tf.Tensor2D;
    const dDropped = k.matMul(dz, d2k, false, true);
    const dh = k.reluGrad(batch.dropoutMask ? tf.mul(dDropped, batch.dropoutMask) : dDropped, h) as tf.Tensor2D;
    const dFlat = k.matMul(dh, d1k, false, true);
    const bnGrad2 = k.batchNormGrad(tf.reshape(dFlat, bn2.y.shape) as tf.Tensor4D, p2, g2, bn2.saved);
    const da2 = k.reluGrad(k.maxPoolGrad(bnGrad2.dx, a2, p2), a2) as tf.Tensor4D;
    const dBn1 = conv2dBackpropInput(bn1.y.shape, c2k, da2, 'valid');
    const bnGrad1 = k.batchNormGrad(dBn1, p1, g1, bn1.saved);
    const da1 = k.reluGrad(k.maxPoolGrad(bnGrad1.dx, a1, p1), a1) as tf.Tensor4D;

    // The moving statistics, as tfjs-layers updates them: value − (value − batch)·(1 − momentum).
    [bn1.mean, bn1.variance, bn2.mean, bn2.variance].forEach((batchValue, i) => {
      const stat = this.statistics[i].value;
      stat.assign(tf.sub(stat, tf.mul(tf.sub(stat, batchValue), 1 - BN_MOMENTUM)));
    });
    const gradients = [
      conv2dBackpropFilter(x, c1k.shape, da1, 'same'),
      k.biasGrad(da1),
      bnGrad1.dGamma,
      bnGrad1.dBeta,
      conv2dBackpropFilter(bn1.y, c2k.shape, da2, 'valid'),
      k.biasGrad(da2),
      bnGrad2.dGamma,
      bnGrad2.dBeta,
      k.matMul(flat, dh, true, false),
      k.biasGrad(dh),
      k.matMul(dropped as tf.Tensor2D, dz, true, false),
      k.biasGrad(dz),
    ];
    return { gradients, loss, logits };
  }

  /** The flat parameter buffer's values (a copy). */
  parameterValues(): Float32Array {
    return this.theta.dataSync() as Float32Array;
  }

  /**
   * Replaces the flat parameter buffer with `values` (data parallel training updates it in shared
   * memory). With `copy`, from a copy: the cpu backend keeps the very array it is given, which the other
   * replicas go on writing; wasm copies it into its heap anyway.
   */
  setParameterValues(values: Float32Array, copy: boolean): void {
    this.theta.assign(tf.tensor1d(copy ? values.slice() : values));
  }

  /** Puts the trained weights (and batch normalisation statistics) into the tfjs-layers model. */
  writeBack(): void {
    const values = this.model.getWeights().slice();
    const pieces = tf.split(this.theta, this.parameters.map((p) => p.size));
    this.parameters.forEach((p, i) => (values[p.weightIndex] = tf.reshape(pieces[i], p.shape)));
    for (const s of this.statistics) values[s.weightIndex] = s.value;
    this.model.setWeights(values);
    tf.dispose(pieces);
    this.parameters.forEach((p) => values[p.weightIndex].dispose());
  }

  /** Frees the parameter buffer, Adam's moments and the statistics; the model keeps what was written back. */
  dispose(): void {
    tf.dispose([this.theta, this.m, this.v, ...this.statistics.map((s) => s.value)]);
  }
}

function conv2dBackpropInput(inputShape: number[], filter: tf.Tensor4D, dy: tf.Tensor4D, pad: 'same' | 'valid'): tf.Tensor4D {
  return tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, { inputShape, strides: 1, pad, dataFormat: 'NHWC' }) as tf.Tensor4D;
}

function conv2dBackpropFilter(x: tf.Tensor4D, filterShape: number[], dy: tf.Tensor4D, pad: 'same' | 'valid'): tf.Tensor4D {
  return tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad, dataFormat: 'NHWC', filterShape }) as tf.Tensor4D;
}
