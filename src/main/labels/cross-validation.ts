/**
 * Out-of-fold probabilities: K models trained by cross-validation, so that every image is judged by a
 * model that never saw it. A model that trained on an image has learned its label, right or wrong, and
 * cannot say whether it is wrong; that is why the old in-sample "likely label errors" list was mostly the
 * model's own mistakes.
 *
 * Uses the training engine only through its public functions (`buildModel`, `trainModel`, `subset`), so
 * whatever the engine does inside (data parallel on two cores for the CNN) the scan gets too.
 */
import * as tf from '@tensorflow/tfjs-core';
import { model as functionalModel, type LayersModel, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { CLASS_COUNT, PIXELS_PER_IMAGE } from '../../shared/classes.ts';
import type { ModelKind, TrainConfig } from '../../shared/types.ts';
import { AUGMENT_MAX_SHIFT, imageCount, shiftImages, subset, type LabeledImages } from '../ml/data.ts';
import { INFERENCE_BATCH, toInput } from '../ml/evaluate.ts';
import { buildModel, modelDefaults } from '../ml/models.ts';
import { permutation, seededRandom } from '../ml/random.ts';
import { trainModel } from '../ml/train.ts';
import type { LabelScanProgress } from '../../shared/label-scan.ts';

/** What a scan trains: model kind, folds, epochs per fold, seed. */
export interface ScanSettings {
  model: ModelKind;
  folds: number;
  epochs: number;
  seed: number;
  /** Overrides the model's default learning rate (the scan trains fewer epochs than a run). */
  learningRate?: number;
  /** Overrides the model's default batch size. */
  batchSize?: number;
}

/** Progress of a scan: which fold, which epoch within it, and the share (0–1) of the whole scan done. */
export type ScanProgress = LabelScanProgress;

export interface OutOfFold {
  /** `n × 10`, each row from the fold model that did not train on that image. */
  probabilities: Float32Array;
  /** Which fold each image was held out in. */
  fold: Uint8Array;
  /** Penultimate-layer activations of the extra images, all from the first fold's model (one space). */
  embeddings: Float32Array;
  embeddingSize: number;
}

export interface CrossValidationCallbacks {
  onProgress?(progress: ScanProgress): void;
  signal?: AbortSignal;
  /** The training engine's second-replica script, so CNN folds train on two cores. */
  replicaScript?: string;
  /** How many replicas data parallel may use (default: one per core). */
  replicas?: number;
}

/** Share of the progress bar the training takes; the rest is embedding and analysis. */
const TRAINING_SHARE = 0.92;

/** Fold of every image: a seeded shuffle dealt round-robin within each label, so every fold has each class in proportion. */
export function assignFolds(labels: Uint8Array, folds: number, seed: number): Uint8Array {
  const order = permutation(labels.length, seededRandom(seed ^ 0xf01d));
  const dealt = new Array<number>(CLASS_COUNT).fill(0);
  const fold = new Uint8Array(labels.length);
  for (const i of order) fold[i] = dealt[labels[i]]++ % folds;
  return fold;
}

/** Probabilities and penultimate-layer activations of images, in batches, every tensor disposed. */
export async function probabilitiesAndEmbeddings(model: LayersModel, pixels: Uint8Array, kind: ModelKind, wantEmbeddings: boolean): Promise<{ probabilities: Float32Array; embeddings: Float32Array; size: number }> {
  const count = pixels.length / PIXELS_PER_IMAGE;
  // The layer before the softmax; for the CNN that is dropout, which passes the dense layer through at inference.
  const penultimate = model.layers[model.layers.length - 2].output as SymbolicTensor;
  const size = penultimate.shape[penultimate.shape.length - 1] as number;
  const twoHeads = functionalModel({ inputs: model.inputs, outputs: [penultimate, model.outputs[0]] });
  const probabilities = new Float32Array(count * CLASS_COUNT);
  const embeddings = new Float32Array(wantEmbeddings ? count * size : 0);
  for (let start = 0; start < count; start += INFERENCE_BATCH) {
    const end = Math.min(count, start + INFERENCE_BATCH);
    const [embedded, probs] = tf.tidy(() => twoHeads.predict(toInput(pixels.subarray(start * PIXELS_PER_IMAGE, end * PIXELS_PER_IMAGE), kind), { batchSize: end - start }) as tf.Tensor[]);
    probabilities.set(await probs.data(), start * CLASS_COUNT);
    if (wantEmbeddings) embeddings.set(await embedded.data(), start * size);
    embedded.dispose();
    probs.dispose();
  }
  return { probabilities, embeddings, size };
}

/** A CNN fold model judges each held-out image as it is and moved one pixel each way, the moves it trained on. */
const TEST_TIME_SHIFTS: readonly (readonly [number, number])[] = [[0, 0], [AUGMENT_MAX_SHIFT, 0], [-AUGMENT_MAX_SHIFT, 0], [0, AUGMENT_MAX_SHIFT], [0, -AUGMENT_MAX_SHIFT]];

/**
 * Probabilities of held-out images. A CNN's are the mean over the shifted views (test-time augmentation):
 * an ensemble at the cost of inference alone, which is a small part of a scan. The MLP, which trains
 * without augmentation, sees each image once.
 */
export async function heldOutProbabilities(model: LayersModel, pixels: Uint8Array, kind: ModelKind): Promise<Float32Array> {
  const views = kind === 'cnn' ? TEST_TIME_SHIFTS : TEST_TIME_SHIFTS.slice(0, 1);
  const mean = new Float32Array((pixels.length / PIXELS_PER_IMAGE) * CLASS_COUNT);
  for (const [dx, dy] of views) {
    const { probabilities } = await probabilitiesAndEmbeddings(model, dx === 0 && dy === 0 ? pixels : shiftImages(pixels, dx, dy), kind, false);
    for (let j = 0; j < mean.length; j++) mean[j] += probabilities[j] / views.length;
  }
  return mean;
}

/**
 * The training configuration of one fold model: the model's batch size and rate (the same on both
 * engines), no validation split, no early stopping. A CNN fold trains on shifted copies (augmentation):
 * with the shifted views it is then judged on (`heldOutProbabilities`), a 4 × 4 scan ranked the flipped
 * labels better than a plain 4 × 3 or 4 × 6 one (README, Label scans).
 */
export function foldConfig(settings: ScanSettings, datasetId: number): TrainConfig {
  const defaults = modelDefaults(settings.model, 'wasm');
  return {
    model: settings.model,
    datasetId,
    epochs: settings.epochs,
    batchSize: settings.batchSize ?? defaults.batchSize,
    learningRate: settings.learningRate ?? defaults.learningRate,
    validationFraction: 0,
    seed: settings.seed,
    limit: null,
    includeUserLabels: true,
    patience: 0,
    augment: settings.model === 'cnn',
  };
}

/**
 * Trains `settings.folds` models, each on all images but one fold, and predicts that fold. The first
 * fold's model also embeds `extraPixels` (every image of the dataset, test split included) so that
 * near-duplicates and outliers are measured in one space. Returns null when cancelled.
 */
export async function crossValidate(images: LabeledImages, extraPixels: Uint8Array, settings: ScanSettings, datasetId: number, callbacks: CrossValidationCallbacks = {}): Promise<OutOfFold | null> {
  const n = imageCount(images);
  if (settings.folds < 2) throw new Error('A scan needs at least two folds.');
  if (n < settings.folds * 2) throw new Error(`A scan needs at least ${settings.folds * 2} labeled images; this dataset has ${n}.`);
  const fold = assignFolds(images.labels, settings.folds, settings.seed);
  const probabilities = new Float32Array(n * CLASS_COUNT);
  let embeddings: Float32Array = new Float32Array(0);
  let embeddingSize = 0;
  const config = foldConfig(settings, datasetId);
  const started = performance.now();
  const empty: LabeledImages = { imageIds: new Int32Array(0), labels: new Uint8Array(0), pixels: new Uint8Array(0) };
  const report = (f: number, epoch: number, batch: number, batches: number): void => {
    const done = (f + (epoch + (batches ? batch / batches : 0)) / settings.epochs) / settings.folds;
    const elapsed = (performance.now() - started) / 1000;
    callbacks.onProgress?.({ phase: 'training', fold: f + 1, folds: settings.folds, epoch: epoch + 1, epochs: settings.epochs, batch, batches, fraction: done * TRAINING_SHARE, etaSeconds: done > 0.01 ? (elapsed / done) * (1 - done) : null });
  };

  for (let f = 0; f < settings.folds; f++) {
    const trainAt: number[] = [];
    const heldAt: number[] = [];
    for (let i = 0; i < n; i++) (fold[i] === f ? heldAt : trainAt).push(i);
    const model = buildModel(settings.model, settings.seed + 1000 * f);
    try {
      report(f, 0, 0, 0);
      const outcome = await trainModel(model, { train: subset(images, trainAt), validation: empty }, config, seededRandom(settings.seed + f), {
        signal: callbacks.signal,
        replicaScript: callbacks.replicaScript,
        replicas: callbacks.replicas,
        onBatch: (b) => report(f, b.epoch, b.batch, b.batches),
      });
      if (outcome.cancelled) return null;
      const held = await heldOutProbabilities(model, subset(images, heldAt).pixels, settings.model);
      heldAt.forEach((i, r) => probabilities.set(held.subarray(r * CLASS_COUNT, (r + 1) * CLASS_COUNT), i * CLASS_COUNT));
      if (f === 0) {
        // The estimate carries on through the embedding: the folds still to train take what the first did.
        const elapsed = (performance.now() - started) / 1000;
        callbacks.onProgress?.({ phase: 'embedding', fold: 1, folds: settings.folds, epoch: settings.epochs, epochs: settings.epochs, batch: 0, batches: 0, fraction: TRAINING_SHARE / settings.folds, etaSeconds: elapsed * (settings.folds - 1) });
        const extra = await probabilitiesAndEmbeddings(model, extraPixels, settings.model, true);
        embeddings = extra.embeddings;
        embeddingSize = extra.size;
      }
    } finally {
      model.dispose();
    }
  }
  return { probabilities, fold, embeddings, embeddingSize };
}
