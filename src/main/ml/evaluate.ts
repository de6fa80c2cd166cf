/**
 * Inference in batches, and the metrics computed from predictions: accuracy, loss, the confusion
 * matrix, per-class precision/recall/F1 and the most confused pairs. The metric functions are pure, so
 * the UI's numbers and the stored ones come from the same code.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { CLASS_COUNT, PIXELS_PER_IMAGE } from '../../shared/classes.ts';
import type { ClassMetrics, Confusion, Evaluation, ModelKind, Split } from '../../shared/types.ts';
import { inputShape } from './models.ts';

/** Images per forward pass at inference: large enough to keep the matrix products efficient. */
export const INFERENCE_BATCH = 2048;

/** Turns bytes 0–255 into the model's input tensor, scaled to 0–1. */
export function toInput(pixels: Uint8Array, kind: ModelKind): tf.Tensor {
  const count = pixels.length / PIXELS_PER_IMAGE;
  const scaled = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) scaled[i] = pixels[i] / 255;
  return tf.tensor(scaled, [count, ...inputShape(kind)]);
}

/** The ten class probabilities of every image, row-major (`count × 10`). */
export async function predictProbabilities(model: LayersModel, pixels: Uint8Array, kind: ModelKind, batchSize = INFERENCE_BATCH): Promise<Float32Array> {
  const count = pixels.length / PIXELS_PER_IMAGE;
  const out = new Float32Array(count * CLASS_COUNT);
  for (let start = 0; start < count; start += batchSize) {
    const end = Math.min(count, start + batchSize);
    // predict() would otherwise split the batch into its default of 32 images, at 30× the cost.
    const probabilities = tf.tidy(() => model.predict(toInput(pixels.subarray(start * PIXELS_PER_IMAGE, end * PIXELS_PER_IMAGE), kind), { batchSize: end - start }) as tf.Tensor);
    out.set(await probabilities.data(), start * CLASS_COUNT);
    probabilities.dispose();
  }
  return out;
}

/** The most probable class and its probability for image `i`. */
export function argmax(probabilities: Float32Array, i: number): { label: number; confidence: number } {
  let label = 0;
  for (let c = 1; c < CLASS_COUNT; c++) if (probabilities[i * CLASS_COUNT + c] > probabilities[i * CLASS_COUNT + label]) label = c;
  return { label, confidence: probabilities[i * CLASS_COUNT + label] };
}

/** Smallest probability used in the loss, so a confident mistake costs a large but finite amount. */
const EPSILON = 1e-7;

/** Accuracy and mean cross-entropy from each image's label, prediction, and probability of its label. */
function scoreFromPairs(trueLabels: ArrayLike<number>, predicted: ArrayLike<number>, probabilityOfTrue: ArrayLike<number>): { accuracy: number; loss: number } {
  let correct = 0;
  let loss = 0;
  for (let i = 0; i < trueLabels.length; i++) {
    if (predicted[i] === trueLabels[i]) correct++;
    loss -= Math.log(Math.max(EPSILON, probabilityOfTrue[i]));
  }
  const n = Math.max(1, trueLabels.length);
  return { accuracy: correct / n, loss: loss / n };
}

/** Each image's prediction and the probability it gives the image's label. */
function pairsOf(labels: Uint8Array, probabilities: Float32Array): { predicted: Uint8Array; probabilityOfTrue: Float32Array } {
  const predicted = Uint8Array.from({ length: labels.length }, (_, i) => argmax(probabilities, i).label);
  const probabilityOfTrue = Float32Array.from(labels, (label, i) => probabilities[i * CLASS_COUNT + label]);
  return { predicted, probabilityOfTrue };
}

/** Accuracy and mean cross-entropy of predictions against labels. */
export function accuracyAndLoss(labels: Uint8Array, probabilities: Float32Array): { accuracy: number; loss: number } {
  const { predicted, probabilityOfTrue } = pairsOf(labels, probabilities);
  return scoreFromPairs(labels, predicted, probabilityOfTrue);
}

/**
 * A run's evaluation on a split from each image's label, prediction and probability of its label: what
 * training stores and what the Errors view shows come from this one function.
 */
export function evaluationFromPairs(runId: number, split: Split, trueLabels: Uint8Array, predicted: Uint8Array, probabilityOfTrue: Float32Array): Evaluation {
  const confusion = confusionMatrix(trueLabels, predicted);
  return {
    runId,
    split,
    images: trueLabels.length,
    ...scoreFromPairs(trueLabels, predicted, probabilityOfTrue),
    confusion,
    perClass: classMetrics(confusion),
    topConfusions: topConfusions(confusion),
  };
}

/** A run's evaluation from full probabilities (`count × 10`), as training has them. */
export function evaluationOf(runId: number, split: Split, labels: Uint8Array, probabilities: Float32Array): Evaluation {
  const { predicted, probabilityOfTrue } = pairsOf(labels, probabilities);
  return evaluationFromPairs(runId, split, labels, predicted, probabilityOfTrue);
}

/** 10×10 counts from pairs of true and predicted labels; rows are true classes. */
export function confusionMatrix(trueLabels: ArrayLike<number>, predicted: ArrayLike<number>): number[][] {
  const matrix = Array.from({ length: CLASS_COUNT }, () => new Array<number>(CLASS_COUNT).fill(0));
  for (let i = 0; i < trueLabels.length; i++) matrix[trueLabels[i]][predicted[i]]++;
  return matrix;
}

/** Precision, recall and F1 per class from a confusion matrix (0 where undefined). */
export function classMetrics(confusion: number[][]): ClassMetrics[] {
  return confusion.map((row, c) => {
    const truePositives = row[c];
    const support = row.reduce((a, b) => a + b, 0);
    const predictedAs = confusion.reduce((sum, r) => sum + r[c], 0);
    const precision = predictedAs ? truePositives / predictedAs : 0;
    const recall = support ? truePositives / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { precision, recall, f1, support };
  });
}

/** The off-diagonal cells, largest first. */
export function topConfusions(confusion: number[][], count = 10): Confusion[] {
  const cells: Confusion[] = [];
  confusion.forEach((row, trueLabel) =>
    row.forEach((n, predicted) => {
      if (trueLabel !== predicted && n > 0) cells.push({ trueLabel, predicted, count: n });
    }),
  );
  return cells.sort((a, b) => b.count - a.count || a.trueLabel - b.trueLabel || a.predicted - b.predicted).slice(0, count);
}
