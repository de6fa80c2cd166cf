/**
 * The training loop: `trainModel(model, data, config, random, callbacks)`.
 *
 * Each epoch is shuffled with the run's seed (and augmented for the CNN), then passed to tfjs-layers'
 * `fit` for one epoch. After each epoch the validation split decides the best checkpoint and early
 * stopping. Cancellation stops within one batch. Every tensor made here is disposed, including the
 * optimizer's slots, so a run leaves no tensors behind.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { EpochMetrics, TrainConfig } from '../../shared/types.ts';
import { augment, imageCount, type LabeledImages } from './data.ts';
import { accuracyAndLoss, predictProbabilities, toInput } from './evaluate.ts';
import { permutation } from './random.ts';
import { PIXELS_PER_IMAGE } from '../../shared/classes.ts';

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
}

export interface TrainOutcome {
  epochs: EpochMetrics[];
  /** The epoch whose weights the model now holds (best validation accuracy), or null with no validation split. */
  bestEpoch: number | null;
  cancelled: boolean;
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

/** The pixels and labels of one epoch, in shuffled order, augmented when asked. */
function epochPixels(train: LabeledImages, order: Int32Array, doAugment: boolean, random: () => number): { pixels: Uint8Array; labels: Float32Array } {
  const pixels = new Uint8Array(order.length * PIXELS_PER_IMAGE);
  const labels = new Float32Array(order.length);
  for (let k = 0; k < order.length; k++) {
    pixels.set(train.pixels.subarray(order[k] * PIXELS_PER_IMAGE, (order[k] + 1) * PIXELS_PER_IMAGE), k * PIXELS_PER_IMAGE);
    labels[k] = train.labels[order[k]];
  }
  return { pixels: doAugment ? augment(pixels, random) : pixels, labels };
}

/** Trains `model` in place; on return it holds the best checkpoint's weights. */
export async function trainModel(
  model: LayersModel,
  data: { train: LabeledImages; validation: LabeledImages },
  config: TrainConfig,
  random: () => number,
  callbacks: TrainCallbacks = {},
): Promise<TrainOutcome> {
  const optimizer = tf.train.adam(config.learningRate);
  model.compile({ optimizer, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const trainCount = imageCount(data.train);
  const batches = Math.ceil(trainCount / config.batchSize);
  const hasValidation = imageCount(data.validation) > 0;
  const epochs: EpochMetrics[] = [];
  let best: { epoch: number; accuracy: number; weights: tf.Tensor[] } | null = null;
  let cancelled = false;

  // Without augmentation the training set is uploaded once, and each epoch is a shuffled gather of its
  // rows inside the backend; converting and uploading 54,000 images anew would cost more than the MLP's
  // whole epoch. Augmented epochs are made in JavaScript, which the CNN's long epochs absorb.
  const fixed = config.augment ? null : { x: toInput(data.train.pixels, config.model), y: tf.tensor1d(Float32Array.from(data.train.labels)) };
  const epochTensors = (order: Int32Array): { x: tf.Tensor; y: tf.Tensor } => {
    if (fixed) {
      return tf.tidy(() => {
        const indices = tf.tensor1d(order, 'int32');
        return { x: tf.gather(fixed.x, indices), y: tf.gather(fixed.y, indices) };
      });
    }
    const { pixels, labels } = epochPixels(data.train, order, true, random);
    return { x: toInput(pixels, config.model), y: tf.tensor1d(labels) };
  };

  try {
    for (let epoch = 0; epoch < config.epochs && !cancelled; epoch++) {
      const learningRate = learningRateAt(config, epoch);
      (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
      const started = performance.now();
      const order = permutation(trainCount, random);
      const { x, y } = epochTensors(order);
      let seen = 0;
      let history;
      try {
        history = await model.fit(x, y, {
          batchSize: config.batchSize,
          epochs: 1,
          shuffle: false,
          verbose: 0,
          callbacks: {
            onBatchEnd: async (batch, logs) => {
              seen = Math.min(trainCount, (batch + 1) * config.batchSize);
              const seconds = (performance.now() - started) / 1000;
              callbacks.onBatch?.({ epoch, batch: batch + 1, batches, loss: logs?.loss ?? NaN, accuracy: logs?.acc ?? NaN, imagesPerSecond: seen / seconds });
              await yieldToEventLoop();
              if (callbacks.signal?.aborted) {
                cancelled = true;
                model.stopTraining = true;
              }
            },
          },
        });
      } finally {
        x.dispose();
        y.dispose();
      }
      if (cancelled) break;

      let valLoss: number | null = null;
      let valAccuracy: number | null = null;
      if (hasValidation) {
        const probabilities = await predictProbabilities(model, data.validation.pixels, config.model);
        ({ loss: valLoss, accuracy: valAccuracy } = accuracyAndLoss(data.validation.labels, probabilities));
      }
      const metrics: EpochMetrics = {
        epoch: epoch + 1,
        loss: history.history.loss[0] as number,
        accuracy: history.history.acc[0] as number,
        valLoss,
        valAccuracy,
        learningRate,
        seconds: (performance.now() - started) / 1000,
      };
      epochs.push(metrics);
      callbacks.onEpoch?.(metrics);

      if (valAccuracy !== null && (best === null || valAccuracy > best.accuracy)) {
        best?.weights.forEach((w) => w.dispose());
        best = { epoch: epoch + 1, accuracy: valAccuracy, weights: model.getWeights().map((w) => tf.clone(w)) };
      }
      if (best && config.patience > 0 && epoch + 1 - best.epoch >= config.patience) break;
    }
    if (best) model.setWeights(best.weights);
    return { epochs, bestEpoch: best?.epoch ?? null, cancelled };
  } finally {
    fixed?.x.dispose();
    fixed?.y.dispose();
    best?.weights.forEach((w) => w.dispose());
    optimizer.dispose();
  }
}
