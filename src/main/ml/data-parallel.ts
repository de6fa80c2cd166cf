/**
 * Data-parallel training on two cores. The wasm backend runs on one thread, so a CNN epoch leaves the
 * second core idle; here a worker thread holds a second replica of the model. Each step, both replicas
 * compute gradients on half of the batch, write them to shared memory, wait for each other, and apply the
 * same averaged gradients with identical Adam optimizers, so their trainable weights stay bit-for-bit
 * equal. Batch normalisation normalises each half-batch by its own statistics and keeps its own moving
 * averages (non-trainable, updated by the layer itself); the first replica's are the ones that are kept.
 *
 * Shared memory layout: the training images and labels (written once), the epoch's order, a control
 * block for the barrier and the stop flag, and gradient buffers, double-buffered by step parity so that a
 * replica never overwrites gradients its partner may still be reading.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { PIXELS_PER_IMAGE } from '../../shared/classes.ts';
import type { ModelKind } from '../../shared/types.ts';
import { augment } from './data.ts';
import { inputShape, reseedDropout } from './models.ts';
import { runSeeds, seededRandom } from './random.ts';
import type { WasmBackendLike } from './kernels/wasm-backend-like.ts';

/** Control block slots: arrivals at barriers, and the barrier generation at which to stop (0: never). */
export const ARRIVALS = 0;
export const STOP_AT = 1;

export interface SharedTraining {
  kind: ModelKind;
  batchSize: number;
  count: number;
  parameterCount: number;
  pixels: SharedArrayBuffer;
  labels: SharedArrayBuffer;
  order: SharedArrayBuffer;
  control: SharedArrayBuffer;
  gradients: SharedArrayBuffer;
  /** Per replica: loss sum and correct count of the current epoch. */
  stats: SharedArrayBuffer;
  /** The learning rate of the current epoch. */
  learningRate: SharedArrayBuffer;
  /** Initial weights, so both replicas start equal. */
  weights: Float32Array[];
  /** Whether each replica augments its half of every batch (augment() in data.ts). */
  augment: boolean;
  /** The run's seed: each replica's augmentation follows it. */
  seed: number;
}

/**
 * Waits until both replicas have arrived `generation` times. With a timeout, a partner that stopped
 * responding becomes an error instead of a hang (Atomics.wait blocks the whole thread).
 */
export function barrier(control: Int32Array, generation: number, timeoutMs = Infinity): void {
  Atomics.add(control, ARRIVALS, 1);
  Atomics.notify(control, ARRIVALS);
  const target = 2 * generation;
  const deadline = Date.now() + timeoutMs;
  for (let seen = Atomics.load(control, ARRIVALS); seen < target; seen = Atomics.load(control, ARRIVALS)) {
    const left = deadline - Date.now();
    if (left <= 0 || Atomics.wait(control, ARRIVALS, seen, Math.min(left, 2 ** 31 - 1)) === 'timed-out') {
      if (Atomics.load(control, ARRIVALS) < target) throw new Error('The second training replica stopped responding.');
    }
  }
}

/** How long the leading replica waits for its partner at a barrier before giving up. */
const PARTNER_TIMEOUT_MS = 120_000;

/**
 * A float32 tensor's values: a view of the wasm heap where the backend has one (reading a tensor out with
 * `dataSync` copies it, several times slower than the whole exchange), else `dataSync`. The view is valid
 * only until the backend next allocates.
 */
function valuesOf(t: tf.Tensor): Float32Array {
  const backend = tf.backend() as Partial<WasmBackendLike>;
  return (backend.typedArrayFromHeap ? backend.typedArrayFromHeap(t) : t.dataSync()) as Float32Array;
}

/** Images [start, end) of the epoch's order as a model input and their labels, augmented when given a random source. */
function batchTensors(shared: SharedTraining, order: Int32Array, start: number, end: number, random: (() => number) | null): { x: tf.Tensor; y: tf.Tensor } {
  const pixels = new Uint8Array(shared.pixels);
  const labels = new Uint8Array(shared.labels);
  const n = end - start;
  let batch: Uint8Array = new Uint8Array(n * PIXELS_PER_IMAGE);
  const classes = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const i = order[start + k];
    batch.set(pixels.subarray(i * PIXELS_PER_IMAGE, (i + 1) * PIXELS_PER_IMAGE), k * PIXELS_PER_IMAGE);
    classes[k] = labels[i];
  }
  if (random) batch = augment(batch, random);
  const values = new Float32Array(batch.length);
  for (let p = 0; p < batch.length; p++) values[p] = batch[p] / 255;
  return { x: tf.tensor(values, [n, ...inputShape(shared.kind)]), y: tf.oneHot(tf.tensor1d(classes, 'int32'), 10) };
}

/** A replica: the model, its optimizer, and the half of each batch it works on. */
export class Replica {
  private readonly variables: tf.Variable[];
  private readonly control: Int32Array;
  private readonly gradients: Float32Array;
  private readonly stats: Float64Array;
  private generation = 0;
  /** This replica's augmentation randomness, or null without augmentation. */
  private readonly random: (() => number) | null;
  /** This replica's dropout randomness (see reseedDropout). */
  private readonly dropoutRandom: () => number;
  readonly optimizer: tf.AdamOptimizer;
  readonly model: LayersModel;
  readonly shared: SharedTraining;
  readonly index: 0 | 1;

  constructor(model: LayersModel, shared: SharedTraining, index: 0 | 1) {
    this.model = model;
    this.shared = shared;
    this.index = index;
    this.variables = model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
    this.control = new Int32Array(shared.control);
    this.gradients = new Float32Array(shared.gradients);
    this.stats = new Float64Array(shared.stats);
    this.optimizer = tf.train.adam(new Float32Array(shared.learningRate)[0]);
    this.random = shared.augment ? seededRandom(runSeeds(shared.seed).replicaAugment(index)) : null;
    this.dropoutRandom = seededRandom(runSeeds(shared.seed).replicaDropout(index));
  }

  /**
   * Both replicas meet here; returns false from the barrier a stop was requested for on. Both replicas
   * pass the same barriers, so both see the stop at the same one, however late either wakes.
   */
  sync(): boolean {
    barrier(this.control, ++this.generation, this.index === 0 ? PARTNER_TIMEOUT_MS : Infinity);
    const stopAt = Atomics.load(this.control, STOP_AT);
    if (stopAt !== 0 && stopAt <= this.generation) this.stopped = true;
    return !this.stopped;
  }

  /** True once a barrier said stop: after that neither replica meets again. */
  stopped = false;

  /** Asks both replicas to stop at the next barrier. */
  requestStop(): void {
    Atomics.store(this.control, STOP_AT, this.generation + 1);
  }

  /** Starts an epoch's statistics afresh (replica 0 does it before the epoch's barrier). */
  resetStats(): void {
    this.stats.fill(0);
  }

  /** Loss and accuracy of the epoch so far, over both replicas' images. */
  epochStats(images: number): { loss: number; accuracy: number } {
    return { loss: (this.stats[0] + this.stats[2]) / images, accuracy: (this.stats[1] + this.stats[3]) / images };
  }

  /**
   * One training step over batch positions [start, end) of the epoch's order. Returns false when the
   * run is stopping: then neither replica applies the step.
   */
  step(step: number, start: number, end: number): boolean {
    const order = new Int32Array(this.shared.order);
    const middle = start + Math.ceil((end - start) / 2);
    const [from, to] = this.index === 0 ? [start, middle] : [middle, end];
    const share = (to - from) / (end - start);
    const region = ((step % 2) * 2 + this.index) * this.shared.parameterCount;
    reseedDropout(this.model, this.dropoutRandom);
    tf.tidy(() => {
      const { x, y } = batchTensors(this.shared, order, from, to, this.random);
      const { value, grads } = tf.variableGrads(() => {
        const p = this.model.apply(x, { training: true }) as tf.Tensor;
        const picked = tf.clipByValue(tf.sum(tf.mul(p, y), 1), 1e-7, 1);
        const predicted = tf.argMax(p, 1);
        this.stats[this.index * 2 + 1] += tf.sum(tf.cast(tf.equal(predicted, tf.argMax(y, 1)), 'float32')).dataSync()[0];
        return tf.neg(tf.mean(tf.log(picked))) as tf.Scalar;
      }, this.variables);
      this.stats[this.index * 2] += value.dataSync()[0] * (to - from);
      // Each replica's mean gradient, weighted by its share of the batch: their sum is the batch mean.
      let offset = region;
      for (const v of this.variables) {
        const g = valuesOf(grads[v.name]);
        for (let i = 0; i < g.length; i++) this.gradients[offset + i] = g[i] * share;
        offset += g.length;
      }
    });
    if (!this.sync()) return false;
    const mine = ((step % 2) * 2) * this.shared.parameterCount;
    const theirs = mine + this.shared.parameterCount;
    tf.tidy(() => {
      const averaged: { name: string; tensor: tf.Tensor }[] = [];
      let offset = 0;
      for (const v of this.variables) {
        const size = v.size;
        const sum = new Float32Array(size);
        for (let i = 0; i < size; i++) sum[i] = this.gradients[mine + offset + i] + this.gradients[theirs + offset + i];
        averaged.push({ name: v.name, tensor: tf.tensor(sum, v.shape) });
        offset += size;
      }
      this.optimizer.applyGradients(averaged);
    });
    return true;
  }

  setLearningRate(rate: number): void {
    (this.optimizer as unknown as { learningRate: number }).learningRate = rate;
  }
}

/** Number of trainable parameters of a model. */
export function parameterCount(model: LayersModel): number {
  return model.trainableWeights.reduce((sum, w) => sum + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);
}
