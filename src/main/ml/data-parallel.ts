/**
 * Data-parallel training on N cores. The wasm backend runs on one thread, so an epoch leaves the other
 * cores idle; here worker threads hold further replicas of the model, one per core (up to a cap). Each
 * step:
 * 1. every replica computes the mean gradient of its share of the batch (the batch split as evenly as it
 *    goes) with the hand-written step (step-training.ts), which gives it as one flat buffer, weights it
 *    by that share's size and writes it to shared memory; they meet at a barrier;
 * 2. each replica adds the N weighted gradients (exactly the batch's mean gradient) for its own slice of
 *    the parameters and applies Adam to that slice, in shared memory; they meet again;
 * 3. each replica takes the whole updated parameter buffer into its model.
 * So the replicas' trainable weights are one buffer, and Adam's work is split among them, not repeated.
 * Batch normalisation normalises each share by its own statistics and keeps its own moving averages;
 * the first replica's are the ones that are kept. Each replica draws its own dropout masks from its own
 * seeded source.
 *
 * Shared memory layout: the training images and labels (written once), the epoch's order, a control
 * block for the barriers and the stop flag, gradient buffers (double-buffered by step parity), and the
 * parameters with Adam's two moments.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { PIXELS_PER_IMAGE } from '../../shared/classes.ts';
import type { ModelKind } from '../../shared/types.ts';
import { augment } from './data.ts';
import { inputShape } from './models.ts';
import { runSeeds, seededRandom } from './random.ts';
import { ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON, dropoutMask, StepTrainer } from './step-training.ts';
import { adamPass } from './kernels/adam-kernel.ts';
import type { WasmBackendLike } from './kernels/wasm-backend-like.ts';

/** Control block slots: arrivals at barriers, and the barrier generation at which to stop (0: never). */
export const ARRIVALS = 0;
export const STOP_AT = 1;

export interface SharedTraining {
  kind: ModelKind;
  /** Number of replicas, this thread's included. */
  replicas: number;
  batchSize: number;
  count: number;
  parameterCount: number;
  pixels: SharedArrayBuffer;
  /**
   * The same images already as model inputs (float32, 0–1), when training does not augment and they fit
   * in INPUTS_BUDGET_BYTES; else null, and each batch is converted from `pixels`.
   */
  inputs: SharedArrayBuffer | null;
  labels: SharedArrayBuffer;
  order: SharedArrayBuffer;
  control: SharedArrayBuffer;
  gradients: SharedArrayBuffer;
  /** The flat trainable parameters, then Adam's first and second moments (3 × parameterCount float32s). */
  adam: SharedArrayBuffer;
  /** Per replica: loss sum and correct count of the current epoch (2 × replicas float64s). */
  stats: SharedArrayBuffer;
  /** The learning rate of the current epoch. */
  learningRate: SharedArrayBuffer;
  /** Initial weights, so all replicas start equal. */
  weights: Float32Array[];
  /** Whether each replica augments its half of every batch (augment() in data.ts). */
  augment: boolean;
  /** The run's seed: each replica's augmentation follows it. */
  seed: number;
}

/**
 * How long a replica checks for the others before it sleeps at a barrier. Waking a sleeping thread
 * takes the operating system tens of microseconds or more, and the replicas meet twice a step (an MLP
 * step on two replicas is about 7 ms), so the last few hundred microseconds are better spent looking; a
 * longer wait sleeps, so that a loaded machine loses little to spinning.
 */
const SPIN_MS = 0.3;

/**
 * Waits until all `replicas` have arrived `generation` times. With a timeout, a replica that stopped
 * responding becomes an error instead of a hang (Atomics.wait blocks the whole thread).
 */
export function barrier(control: Int32Array, generation: number, replicas: number, timeoutMs = Infinity): void {
  Atomics.add(control, ARRIVALS, 1);
  Atomics.notify(control, ARRIVALS);
  const target = replicas * generation;
  const spinUntil = performance.now() + SPIN_MS;
  while (Atomics.load(control, ARRIVALS) < target && performance.now() < spinUntil) {
    for (let i = 0; i < 64 && Atomics.load(control, ARRIVALS) < target; i++);
  }
  const deadline = Date.now() + timeoutMs;
  for (let seen = Atomics.load(control, ARRIVALS); seen < target; seen = Atomics.load(control, ARRIVALS)) {
    const left = deadline - Date.now();
    if (left <= 0 || Atomics.wait(control, ARRIVALS, seen, Math.min(left, 2 ** 31 - 1)) === 'timed-out') {
      if (Atomics.load(control, ARRIVALS) < target) throw new Error('A training replica stopped responding.');
    }
  }
}

/** How long the leading replica waits for the others at a barrier before giving up. */
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

/**
 * Converting a batch's bytes to inputs took about 0.5 ms of a replica's 7 ms MLP step, for every step of
 * every epoch; converted once, a batch is a copy of rows. Up to this size (60,000 images take 188 MB).
 */
export const INPUTS_BUDGET_BYTES = 256 * 1024 * 1024;

/** The images as model inputs in shared memory, or null when training augments or they are too many. */
export function sharedInputs(pixels: Uint8Array, augmenting: boolean): SharedArrayBuffer | null {
  if (augmenting || pixels.length * 4 > INPUTS_BUDGET_BYTES) return null;
  const inputs = new SharedArrayBuffer(pixels.length * 4);
  const values = new Float32Array(inputs);
  for (let p = 0; p < pixels.length; p++) values[p] = UNIT_SCALE[pixels[p]];
  return inputs;
}

/** Bytes 0–255 as the model's inputs 0–1: a table lookup instead of a division per pixel. */
const UNIT_SCALE = Float32Array.from({ length: 256 }, (_, v) => v / 255);

/**
 * Where the backend copies what a tensor is made from (wasm copies into its heap; cpu keeps the array),
 * a replica makes its batches in one reused buffer: a new 800 KB array every step made the garbage
 * collector pause the replicas at random, and at each barrier the others wait for the slowest.
 */
const copiesInputs = (): boolean => tf.getBackend() === 'wasm';

/** Images [start, end) of the epoch's order as a model input and their labels, augmented when given a random source. */
function batchTensors(shared: SharedTraining, order: Int32Array, start: number, end: number, random: (() => number) | null, scratch: Float32Array | null): { x: tf.Tensor; labels: tf.Tensor1D; classes: Int32Array } {
  const pixels = new Uint8Array(shared.pixels);
  const labels = new Uint8Array(shared.labels);
  const n = end - start;
  const classes = new Int32Array(n);
  for (let k = 0; k < n; k++) classes[k] = labels[order[start + k]];
  const values = scratch && scratch.length >= n * PIXELS_PER_IMAGE ? scratch.subarray(0, n * PIXELS_PER_IMAGE) : new Float32Array(n * PIXELS_PER_IMAGE);
  if (shared.inputs) {
    const inputs = new Float32Array(shared.inputs);
    for (let k = 0; k < n; k++) {
      const from = order[start + k] * PIXELS_PER_IMAGE;
      values.set(inputs.subarray(from, from + PIXELS_PER_IMAGE), k * PIXELS_PER_IMAGE);
    }
  } else if (random) {
    const batch = new Uint8Array(n * PIXELS_PER_IMAGE);
    for (let k = 0; k < n; k++) batch.set(pixels.subarray(order[start + k] * PIXELS_PER_IMAGE, (order[start + k] + 1) * PIXELS_PER_IMAGE), k * PIXELS_PER_IMAGE);
    const shifted = augment(batch, random);
    for (let p = 0; p < shifted.length; p++) values[p] = UNIT_SCALE[shifted[p]];
  } else {
    // Straight from the shared images into the inputs, in one pass.
    for (let k = 0; k < n; k++) {
      const from = order[start + k] * PIXELS_PER_IMAGE;
      const to = k * PIXELS_PER_IMAGE;
      for (let p = 0; p < PIXELS_PER_IMAGE; p++) values[to + p] = UNIT_SCALE[pixels[from + p]];
    }
  }
  return { x: tf.tensor(values, [n, ...inputShape(shared.kind)]), labels: tf.tensor1d(classes, 'int32'), classes };
}

/** A replica: the model, its hand-written step with Adam, and the share of each batch it works on. */
export class Replica {
  private readonly control: Int32Array;
  private readonly gradients: Float32Array;
  private readonly parameters: Float32Array;
  private readonly firstMoments: Float32Array;
  private readonly secondMoments: Float32Array;
  private adamSteps = 0;
  /** The reused buffer batches are made in (see copiesInputs), or null to make each anew. */
  private scratch: Float32Array | null | undefined;
  private readonly stats: Float64Array;
  private generation = 0;
  private learningRate: number;
  /** This replica's augmentation randomness, or null without augmentation. */
  private readonly random: (() => number) | null;
  /** This replica's dropout randomness. */
  private readonly dropoutRandom: () => number;
  private readonly trainer: StepTrainer;
  readonly shared: SharedTraining;
  readonly index: number;

  constructor(model: LayersModel, shared: SharedTraining, index: number) {
    this.shared = shared;
    this.index = index;
    this.trainer = new StepTrainer(model, shared.kind);
    this.control = new Int32Array(shared.control);
    this.gradients = new Float32Array(shared.gradients);
    const count = shared.parameterCount;
    this.parameters = new Float32Array(shared.adam, 0, count);
    this.firstMoments = new Float32Array(shared.adam, count * 4, count);
    this.secondMoments = new Float32Array(shared.adam, count * 8, count);
    // The first replica starts the shared parameters, before anyone meets: all start from its weights.
    if (index === 0) this.parameters.set(this.trainer.parameterValues());
    this.stats = new Float64Array(shared.stats);
    this.learningRate = new Float32Array(shared.learningRate)[0];
    this.random = shared.augment ? seededRandom(runSeeds(shared.seed).replicaAugment(index)) : null;
    this.dropoutRandom = seededRandom(runSeeds(shared.seed).replicaDropout(index));
  }

  /**
   * All replicas meet here; returns false from the barrier a stop was requested for on. All replicas
   * pass the same barriers, so all see the stop at the same one, however late any wakes.
   */
  sync(): boolean {
    barrier(this.control, ++this.generation, this.shared.replicas, this.index === 0 ? PARTNER_TIMEOUT_MS : Infinity);
    const stopAt = Atomics.load(this.control, STOP_AT);
    if (stopAt !== 0 && stopAt <= this.generation) this.stopped = true;
    return !this.stopped;
  }

  /** True once a barrier said stop: after that no replica meets again. */
  stopped = false;

  /** Asks all replicas to stop at the next barrier. */
  requestStop(): void {
    Atomics.store(this.control, STOP_AT, this.generation + 1);
  }

  /** Starts an epoch's statistics afresh (replica 0 does it before the epoch's barrier). */
  resetStats(): void {
    this.stats.fill(0);
  }

  /** Loss and accuracy of the epoch so far, over all replicas' images. */
  epochStats(images: number): { loss: number; accuracy: number } {
    let loss = 0;
    let right = 0;
    for (let r = 0; r < this.shared.replicas; r++) {
      loss += this.stats[2 * r];
      right += this.stats[2 * r + 1];
    }
    return { loss: loss / images, accuracy: right / images };
  }

  /**
   * One training step over batch positions [start, end) of the epoch's order. Returns false when the
   * run is stopping: then no replica applies the step.
   */
  step(step: number, start: number, end: number): boolean {
    const order = new Int32Array(this.shared.order);
    const { replicas, parameterCount: parameters } = this.shared;
    const [from, to] = shareOf(start, end, this.index, replicas);
    const share = (to - from) / (end - start);
    const region = ((step % 2) * replicas + this.index) * parameters;
    if (to === from) {
      // A batch smaller than the number of replicas leaves this one nothing: it adds nothing.
      this.gradients.fill(0, region, region + parameters);
    } else tf.tidy(() => {
      this.scratch ??= copiesInputs() ? new Float32Array(Math.ceil(this.shared.batchSize / this.shared.replicas) * PIXELS_PER_IMAGE) : null;
      const { x, labels, classes } = batchTensors(this.shared, order, from, to, this.random, this.scratch);
      const { gradient, loss, logits } = this.trainer.gradient({ x, labels, dropoutMask: dropoutMask(this.trainer, to - from, this.dropoutRandom) });
      // The share's loss and number right, read out here: a few thousand values, fewer ops than on the backend.
      const losses = loss.dataSync();
      const z = logits.dataSync();
      const width = logits.shape[1];
      for (let k = 0; k < classes.length; k++) {
        let best = 0;
        for (let c = 1; c < width; c++) if (z[k * width + c] > z[k * width + best]) best = c;
        this.stats[this.index * 2] += losses[k];
        if (best === classes[k]) this.stats[this.index * 2 + 1]++;
      }
      // This share's mean gradient, weighted by its share of the batch: the shares' sum is the batch mean.
      const g = valuesOf(gradient);
      for (let i = 0; i < parameters; i++) this.gradients[region + i] = g[i] * share;
    });
    if (!this.sync()) return false;
    this.applySlice(step);
    this.sync();
    tf.tidy(() => this.trainer.setParameterValues(this.parameters, !copiesInputs()));
    return true;
  }

  /** Adds the replicas' gradients for this replica's slice of the parameters and applies Adam there. */
  private applySlice(step: number): void {
    const { replicas, parameterCount: count } = this.shared;
    const [from, to] = shareOf(0, count, this.index, replicas);
    const first = (step % 2) * replicas * count;
    this.adamSteps++;
    // The batch's gradient for this slice, added into the first replica's region, region by region, in
    // the same order everywhere (simple loops: about three times faster than adding inside Adam's).
    const sum = this.gradients.subarray(first, first + count);
    for (let r = 1; r < replicas; r++) {
      const region = this.gradients.subarray(first + r * count, first + (r + 1) * count);
      for (let i = from; i < to; i++) sum[i] += region[i];
    }
    const state = { theta: this.parameters, m: this.firstMoments, v: this.secondMoments };
    adamPass(state, sum, state, from, to, { learningRate: this.learningRate, beta1: ADAM_BETA1, beta2: ADAM_BETA2, epsilon: ADAM_EPSILON, step: this.adamSteps });
  }

  /** Puts the trained weights (and this replica's batch normalisation statistics) into its model. */
  writeBack(): void {
    this.trainer.writeBack();
  }

  dispose(): void {
    this.trainer.dispose();
  }

  setLearningRate(rate: number): void {
    this.learningRate = rate;
  }
}

/**
 * Batch positions [from, to) of replica `index` among `replicas` for the batch [start, end): as even as
 * it goes, the larger shares first. So the first replica, whose batch normalisation statistics are the
 * ones kept, has images whenever the batch has any (a batch of one image on two cores, or a short last
 * batch, would otherwise leave those statistics where they started).
 */
export function shareOf(start: number, end: number, index: number, replicas: number): [number, number] {
  const n = end - start;
  return [end - Math.floor(((replicas - index) * n) / replicas), end - Math.floor(((replicas - index - 1) * n) / replicas)];
}

/** Number of trainable parameters of a model. */
export function parameterCount(model: LayersModel): number {
  return model.trainableWeights.reduce((sum, w) => sum + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);
}
