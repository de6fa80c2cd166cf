/**
 * The training loop: `trainModel(model, data, config, random, callbacks)`.
 *
 * Each epoch is shuffled with the run's seed (and augmented when asked), then trained by one of three
 * strategies (chooseStrategy): hand-written steps on this thread (step-training.ts), tfjs-layers' `fit`
 * on this thread, or replicas in data parallel, one per core (data-parallel.ts). After each epoch the
 * model holds the epoch's weights, and the validation split decides the best
 * checkpoint and early stopping. Cancellation stops within one batch. Every tensor made here is disposed,
 * including the optimizer's slots, so a run leaves no tensors behind.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { EpochMetrics, TrainConfig } from '../../shared/types.ts';
import { augment, batchesPerEpoch, imageCount, subset, type LabeledImages } from './data.ts';
import { parameterCount, Replica, sharedInputs, type SharedTraining } from './data-parallel.ts';
import { reseedDropout } from './models.ts';
import { accuracyAndLoss, predictProbabilities, toInput } from './evaluate.ts';
import { permutation } from './random.ts';
import { dropoutMask, StepTrainer } from './step-training.ts';

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
  /** The replicas' worker script; with it (and two cores) the CNN trains in data parallel on wasm. */
  replicaScript?: string;
  /** How many replicas data parallel uses (default: one per core, os.availableParallelism()). */
  replicas?: number;
  /** `auto` (the default) picks the fastest strategy for the backend and model (chooseStrategy); the others force one. */
  strategy?: 'auto' | TrainStrategy;
}

/**
 * How epochs run: tfjs-layers' `fit` on this thread; hand-written steps on this thread
 * (step-training.ts); or replicas in data parallel, one per core (data-parallel.ts).
 */
export type TrainStrategy = 'fit' | 'steps' | 'data-parallel';

export interface TrainOutcome {
  epochs: EpochMetrics[];
  /** The epoch whose weights the model now holds (best validation accuracy), or null with no validation split. */
  bestEpoch: number | null;
  cancelled: boolean;
  /** How the epochs ran. */
  strategy: TrainStrategy;
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
  const source = epochSource(train, config, random, 'float32');
  return {
    strategy: 'fit',
    async run(_epoch, learningRate, order, onBatch) {
      (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
      const { x, y } = source.epoch(order);
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
      source.dispose();
      optimizer.dispose();
    },
  };
}

/** The training set as tensors once, and each epoch as a gather of it (or, augmented, made anew). */
function epochSource(train: LabeledImages, config: TrainConfig, random: () => number, labelType: 'float32' | 'int32') {
  // Without augmentation the training set is uploaded once, and each epoch is a shuffled gather of its
  // rows inside the backend; converting and uploading 54,000 images anew would cost more than the MLP's
  // whole epoch. Augmented epochs are made in JavaScript, which the CNN's long epochs absorb.
  const labels = (values: Uint8Array): tf.Tensor1D => tf.tensor1d(labelType === 'int32' ? Int32Array.from(values) : Float32Array.from(values), labelType);
  const fixed = config.augment ? null : { x: toInput(train.pixels, config.model), y: labels(train.labels) };
  return {
    epoch(order: Int32Array): { x: tf.Tensor; y: tf.Tensor1D } {
      if (fixed) {
        return tf.tidy(() => {
          const indices = tf.tensor1d(order, 'int32');
          return { x: tf.gather(fixed.x, indices), y: tf.gather(fixed.y, indices) };
        });
      }
      const shuffled = subset(train, order);
      return { x: toInput(augment(shuffled.pixels, random), config.model), y: labels(shuffled.labels) };
    },
    dispose(): void {
      fixed?.x.dispose();
      fixed?.y.dispose();
    },
  };
}

/** Epochs of hand-written steps on this thread (step-training.ts). */
function stepRunner(model: LayersModel, train: LabeledImages, config: TrainConfig, random: () => number): EpochRunner {
  const trainer = new StepTrainer(model, config.model);
  const source = epochSource(train, config, random, 'int32');
  return {
    strategy: 'steps',
    async run(_epoch, learningRate, order, onBatch) {
      const { x, y } = source.epoch(order);
      const count = order.length;
      let lossSum = 0;
      let right = 0;
      try {
        for (let batch = 0, start = 0; start < count; batch++, start += config.batchSize) {
          const size = Math.min(config.batchSize, count - start);
          const stats = tf.tidy(() => {
            const mask = dropoutMask(trainer, size, random);
            const rest = x.shape.slice(1).map(() => 0);
            const xb = tf.slice(x, [start, ...rest], [size, ...rest.map(() => -1)]);
            return trainer.step({ x: xb, labels: tf.slice(y, [start], [size]), dropoutMask: mask }, learningRate);
          });
          const [loss, correct] = stats.dataSync();
          stats.dispose();
          lossSum += loss;
          right += correct;
          if (!(await onBatch(batch, loss / size, correct / size))) return null;
        }
        return { loss: lossSum / count, accuracy: right / count };
      } finally {
        tf.dispose([x, y]);
        // The layers model is what is validated, checkpointed and stored.
        trainer.writeBack();
      }
    },
    async dispose() {
      source.dispose();
      trainer.dispose();
    },
  };
}

/** Epochs on N replicas: this thread and N − 1 worker threads, adding their weighted gradients every step. */
async function dataParallelRunner(model: LayersModel, train: LabeledImages, config: TrainConfig, replicaScript: string, replicas: number): Promise<EpochRunner> {
  const count = imageCount(train);
  const parameters = parameterCount(model);
  const shared: SharedTraining = {
    kind: config.model,
    replicas,
    batchSize: config.batchSize,
    count,
    parameterCount: parameters,
    pixels: new SharedArrayBuffer(train.pixels.length),
    inputs: sharedInputs(train.pixels, config.augment),
    labels: new SharedArrayBuffer(count),
    order: new SharedArrayBuffer(count * 4),
    control: new SharedArrayBuffer(8),
    gradients: new SharedArrayBuffer(2 * replicas * parameters * 4),
    adam: new SharedArrayBuffer(3 * parameters * 4),
    stats: new SharedArrayBuffer(2 * replicas * 8),
    learningRate: new SharedArrayBuffer(4),
    weights: model.getWeights().map((w) => w.dataSync() as Float32Array),
    augment: config.augment,
    seed: config.seed,
  };
  new Uint8Array(shared.pixels).set(train.pixels);
  new Uint8Array(shared.labels).set(train.labels);
  const learningRate = new Float32Array(shared.learningRate);
  learningRate[0] = config.learningRate;

  const workers = Array.from({ length: replicas - 1 }, (_, i) => new Worker(replicaScript, { workerData: { shared, index: i + 1, seed: config.seed, backend: tf.getBackend() } }));
  const failed = Promise.race(
    workers.map(
      (worker, i) =>
        new Promise<never>((_, reject) => {
          worker.once('error', reject);
          worker.once('exit', (code) => reject(new Error(`Training replica ${i + 2} of ${replicas} stopped (exit code ${code}).`)));
        }),
    ),
  );
  failed.catch(() => {});
  await Promise.race([Promise.all(workers.map((worker) => new Promise((resolve) => worker.once('message', resolve)))), failed]);
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
      try {
        for (let s = 0; s < steps; s++) {
          const start = s * config.batchSize;
          const end = Math.min(count, start + config.batchSize);
          if (!replica.step(s, start, end)) return null;
          const { loss, accuracy } = replica.epochStats(end);
          if (!(await onBatch(s, loss, accuracy))) {
            // The others meet this barrier at their next step (or next epoch) and stop there, applying nothing.
            replica.requestStop();
            replica.sync();
            return null;
          }
        }
        return replica.epochStats(count);
      } finally {
        // The layers model is what is validated, checkpointed and stored.
        replica.writeBack();
      }
    },
    async dispose() {
      const ended = Promise.all(workers.map((worker) => new Promise((resolve) => worker.once('exit', resolve))));
      try {
        // Unless a barrier already said stop, the others wait at their next one: meet them there with a stop.
        if (!replica.stopped) {
          replica.requestStop();
          replica.sync();
        }
        await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 5000))]);
      } finally {
        await Promise.all(workers.map((worker) => worker.terminate()));
        replica.dispose();
      }
    },
  };
}

function replicaCount(callbacks: TrainCallbacks): number {
  const count = callbacks.replicas ?? os.availableParallelism();
  if (!Number.isInteger(count) || count < 1) throw new Error(`The number of training replicas must be a whole number of at least 1, not ${count}.`);
  return count;
}

/**
 * The fastest strategy measured for the backend and model (README, Benchmark):
 * - tensorflow: hand-written steps for both models; tfjs-node already uses every core, so replicas
 *   would only compete for them;
 * - wasm and cpu, single-threaded: data parallel, one replica per core, when there are two or more
 *   cores and the replica script; otherwise hand-written steps on this thread, which beat `fit` on
 *   wasm (0.84–0.99 s against 1.13–1.39 s an MLP epoch) once Slice and SplitV stopped copying their
 *   whole input. On two cores data parallel takes the MLP's epoch from 0.92–1.10 s to 0.65–0.74 s
 *   (alternating in one process), and roughly halves the CNN's.
 */
function chooseStrategy(callbacks: TrainCallbacks): TrainStrategy {
  // The replicas must share one backend to stay equal, and only the single-threaded ones leave cores idle.
  const parallelPossible = Boolean(callbacks.replicaScript) && ['wasm', 'cpu'].includes(tf.getBackend());
  if (callbacks.strategy === 'data-parallel' && !parallelPossible) throw new Error('Data-parallel training needs the replica script and the wasm or cpu backend.');
  if (callbacks.strategy && callbacks.strategy !== 'auto') return callbacks.strategy;
  if (parallelPossible && replicaCount(callbacks) >= 2) return 'data-parallel';
  return 'steps';
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
  const strategy = chooseStrategy(callbacks);
  const runner =
    strategy === 'data-parallel'
      ? await dataParallelRunner(model, data.train, config, callbacks.replicaScript!, replicaCount(callbacks))
      : strategy === 'steps'
        ? stepRunner(model, data.train, config, random)
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
