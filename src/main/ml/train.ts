/**
 * The training loop: `trainModel(model, data, config, random, callbacks)`.
 *
 * Each epoch is shuffled with the run's seed (and augmented when asked), then trained either by
 * tfjs-layers' `fit` on this thread, or, when a second core and a replica script are available, by two
 * replicas in data parallel (data-parallel.ts). After each epoch the validation split decides the best
 * checkpoint and early stopping. Cancellation stops within one batch. Every tensor made here is disposed,
 * including the optimizer's slots, so a run leaves no tensors behind.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { EpochMetrics, TrainConfig } from '../../shared/types.ts';
import { augment, batchesPerEpoch, imageCount, subset, type LabeledImages } from './data.ts';
import { parameterCount, Replica, type SharedTraining } from './data-parallel.ts';
import { reseedDropout } from './models.ts';
import { accuracyAndLoss, predictProbabilities, toInput } from './evaluate.ts';
import { permutation } from './random.ts';

export interface BatchProgress {
  epoch: number;
  batch: number;
  batches: number;
  loss: number;
  accuracy: number;
  imagesPerSecond: number;
}

export interface TrainCallbacks {
  onBatch?(progress: BatchProgress): void;
  onEpoch?(metrics: EpochMetrics): void;
  signal?: AbortSignal;
  /** The second replica's script; with it (and two cores) the CNN trains in data parallel. */
  replicaScript?: string;
  /** `auto` (the default) uses data parallel for the CNN when it can; the others force a strategy. */
  strategy?: 'auto' | 'fit' | 'data-parallel';
}

export interface TrainOutcome {
  epochs: EpochMetrics[];
  /** The epoch whose weights the model now holds (best validation accuracy), or null with no validation split. */
  bestEpoch: number | null;
  cancelled: boolean;
  /** How the epochs ran: on this thread with `fit`, or on two replicas. */
  strategy: 'fit' | 'data-parallel';
}

/** The CNN's learning rate falls along a half cosine to this share of its start; the MLP's stays constant, as in the notebook. */
const FINAL_LEARNING_RATE_SHARE = 0.05;

/** Learning rate for a 0-based epoch. */
export function learningRateAt(config: TrainConfig, epoch: number): number {
  if (config.model === 'mlp' || config.epochs <= 1) return config.learningRate;
  const progress = epoch / (config.epochs - 1);
  const share = FINAL_LEARNING_RATE_SHARE + (1 - FINAL_LEARNING_RATE_SHARE) * 0.5 * (1 + Math.cos(Math.PI * progress));
  return config.learningRate * share;
}

/** Lets queued messages (a cancel request) in between batches. */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The pixels and labels of one augmented epoch, in shuffled order. */
function augmentedEpoch(train: LabeledImages, order: Int32Array, random: () => number): { pixels: Uint8Array; labels: Float32Array } {
  const shuffled = subset(train, order);
  return { pixels: augment(shuffled.pixels, random), labels: Float32Array.from(shuffled.labels) };
}

/** Trains one epoch in the given order; reports batches; returns the epoch's loss and accuracy. */
interface EpochRunner {
  strategy: TrainOutcome['strategy'];
  run(epoch: number, learningRate: number, order: Int32Array, onBatch: (batch: number, loss: number, accuracy: number) => Promise<boolean>): Promise<{ loss: number; accuracy: number } | null>;
  dispose(): Promise<void>;
}

/** Epochs through tfjs-layers' `fit` on this thread. */
function fitRunner(model: LayersModel, train: LabeledImages, config: TrainConfig, random: () => number): EpochRunner {
  const optimizer = tf.train.adam(config.learningRate);
  model.compile({ optimizer, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  // Without augmentation the training set is uploaded once, and each epoch is a shuffled gather of its
  // rows inside the backend; converting and uploading 54,000 images anew would cost more than the MLP's
  // whole epoch. Augmented epochs are made in JavaScript, which the CNN's long epochs absorb.
  const fixed = config.augment ? null : { x: toInput(train.pixels, config.model), y: tf.tensor1d(Float32Array.from(train.labels)) };
  const epochTensors = (order: Int32Array): { x: tf.Tensor; y: tf.Tensor } => {
    if (fixed) {
      return tf.tidy(() => {
        const indices = tf.tensor1d(order, 'int32');
        return { x: tf.gather(fixed.x, indices), y: tf.gather(fixed.y, indices) };
      });
    }
    const { pixels, labels } = augmentedEpoch(train, order, random);
    return { x: toInput(pixels, config.model), y: tf.tensor1d(labels) };
  };
  return {
    strategy: 'fit',
    async run(_epoch, learningRate, order, onBatch) {
      (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
      const { x, y } = epochTensors(order);
      let stopped = false;
      try {
        const history = await model.fit(x, y, {
          batchSize: config.batchSize,
          epochs: 1,
          shuffle: false,
          verbose: 0,
          callbacks: {
            onBatchBegin: () => reseedDropout(model, random),
            onBatchEnd: async (batch, logs) => {
              if (!(await onBatch(batch, logs?.loss ?? NaN, logs?.acc ?? NaN))) {
                stopped = true;
                model.stopTraining = true;
              }
            },
          },
        });
        return stopped ? null : { loss: history.history.loss[0] as number, accuracy: history.history.acc[0] as number };
      } finally {
        x.dispose();
        y.dispose();
      }
    },
    async dispose() {
      fixed?.x.dispose();
      fixed?.y.dispose();
      optimizer.dispose();
    },
  };
}

/** Epochs on two replicas: this thread and a worker thread, averaging gradients every step. */
async function dataParallelRunner(model: LayersModel, train: LabeledImages, config: TrainConfig, replicaScript: string): Promise<EpochRunner> {
  const count = imageCount(train);
  const parameters = parameterCount(model);
  const shared: SharedTraining = {
    kind: config.model,
    batchSize: config.batchSize,
    count,
    parameterCount: parameters,
    pixels: new SharedArrayBuffer(train.pixels.length),
    labels: new SharedArrayBuffer(count),
    order: new SharedArrayBuffer(count * 4),
    control: new SharedArrayBuffer(8),
    gradients: new SharedArrayBuffer(4 * parameters * 4),
    stats: new SharedArrayBuffer(4 * 8),
    learningRate: new SharedArrayBuffer(4),
    weights: model.getWeights().map((w) => w.dataSync() as Float32Array),
    augment: config.augment,
    seed: config.seed,
  };
  new Uint8Array(shared.pixels).set(train.pixels);
  new Uint8Array(shared.labels).set(train.labels);
  const learningRate = new Float32Array(shared.learningRate);
  learningRate[0] = config.learningRate;

  const worker = new Worker(replicaScript, { workerData: { shared, seed: config.seed, backend: tf.getBackend() } });
  const failed = new Promise<never>((_, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`The second training replica stopped (exit code ${code}).`)));
  });
  await Promise.race([new Promise((resolve) => worker.once('message', resolve)), failed]);
  failed.catch(() => {});
  const replica = new Replica(model, shared, 0);
  const steps = batchesPerEpoch(count, config.batchSize);

  return {
    strategy: 'data-parallel',
    async run(_epoch, rate, order, onBatch) {
      new Int32Array(shared.order).set(order);
      learningRate[0] = rate;
      replica.setLearningRate(rate);
      replica.resetStats();
      replica.sync();
      for (let s = 0; s < steps; s++) {
        const start = s * config.batchSize;
        const end = Math.min(count, start + config.batchSize);
        if (!replica.step(s, start, end)) return null;
        const { loss, accuracy } = replica.epochStats(end);
        if (!(await onBatch(s, loss, accuracy))) {
          // The partner meets this barrier at its next step (or next epoch) and stops there, applying nothing.
          replica.requestStop();
          replica.sync();
          return null;
        }
      }
      return replica.epochStats(count);
    },
    async dispose() {
      const ended = new Promise((resolve) => worker.once('exit', resolve));
      try {
        // Unless a barrier already said stop, the partner waits at its next one: meet it there with a stop.
        if (!replica.stopped) {
          replica.requestStop();
          replica.sync();
        }
        await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 5000))]);
      } finally {
        await worker.terminate();
        replica.optimizer.dispose();
      }
    },
  };
}

/**
 * Data parallel pays off for the CNN's long epochs when a second core is there; the MLP's epochs are
 * too short for the per-step exchange to pay. With augmentation each replica augments its own half of
 * every batch.
 */
function wantsDataParallel(config: TrainConfig, callbacks: TrainCallbacks): boolean {
  // tfjs-node already uses every core; the replicas must also share one backend to stay equal.
  const possible = Boolean(callbacks.replicaScript) && ['wasm', 'cpu'].includes(tf.getBackend());
  if (callbacks.strategy === 'data-parallel' && !possible) throw new Error('Data-parallel training needs the replica script and the wasm or cpu backend.');
  if (callbacks.strategy && callbacks.strategy !== 'auto') return callbacks.strategy === 'data-parallel';
  return possible && config.model === 'cnn' && os.availableParallelism() >= 2;
}

/** Trains `model` in place; on return it holds the best checkpoint's weights. */
export async function trainModel(
  model: LayersModel,
  data: { train: LabeledImages; validation: LabeledImages },
  config: TrainConfig,
  random: () => number,
  callbacks: TrainCallbacks = {},
): Promise<TrainOutcome> {
  const trainCount = imageCount(data.train);
  const batches = batchesPerEpoch(trainCount, config.batchSize);
  const hasValidation = imageCount(data.validation) > 0;
  const epochs: EpochMetrics[] = [];
  let best: { epoch: number; accuracy: number; weights: tf.Tensor[] } | null = null;
  let cancelled = false;
  const runner = wantsDataParallel(config, callbacks)
    ? await dataParallelRunner(model, data.train, config, callbacks.replicaScript!)
    : fitRunner(model, data.train, config, random);

  try {
    for (let epoch = 0; epoch < config.epochs && !cancelled; epoch++) {
      const learningRate = learningRateAt(config, epoch);
      const started = performance.now();
      const result = await runner.run(epoch, learningRate, permutation(trainCount, random), async (batch, loss, accuracy) => {
        const seen = Math.min(trainCount, (batch + 1) * config.batchSize);
        callbacks.onBatch?.({ epoch, batch: batch + 1, batches, loss, accuracy, imagesPerSecond: seen / ((performance.now() - started) / 1000) });
        await yieldToEventLoop();
        cancelled = callbacks.signal?.aborted ?? false;
        return !cancelled;
      });
      if (!result || cancelled) {
        cancelled = true;
        break;
      }

      let valLoss: number | null = null;
      let valAccuracy: number | null = null;
      if (hasValidation) {
        const probabilities = await predictProbabilities(model, data.validation.pixels, config.model);
        ({ loss: valLoss, accuracy: valAccuracy } = accuracyAndLoss(data.validation.labels, probabilities));
      }
      const metrics: EpochMetrics = { epoch: epoch + 1, loss: result.loss, accuracy: result.accuracy, valLoss, valAccuracy, learningRate, seconds: (performance.now() - started) / 1000 };
      epochs.push(metrics);
      callbacks.onEpoch?.(metrics);

      if (valAccuracy !== null && (best === null || valAccuracy > best.accuracy)) {
        best?.weights.forEach((w) => w.dispose());
        best = { epoch: epoch + 1, accuracy: valAccuracy, weights: model.getWeights().map((w) => tf.clone(w)) };
      }
      if (best && config.patience > 0 && epoch + 1 - best.epoch >= config.patience) break;
    }
    if (best) model.setWeights(best.weights);
    return { epochs, bestEpoch: best?.epoch ?? null, cancelled, strategy: runner.strategy };
  } finally {
    best?.weights.forEach((w) => w.dispose());
    await runner.dispose();
  }
}
