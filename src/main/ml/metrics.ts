/**
 * The metrics computed from predictions: the predicted class, accuracy, loss, the confusion matrix,
 * per-class precision/recall/F1 and the most confused pairs. Pure functions without TensorFlow.js, so
 * the UI's numbers and the stored ones come from the same code, and loading them costs nothing.
 */
import { CLASS_COUNT } from '../../shared/classes.ts';
import type { ClassMetrics, Confusion, Evaluation, Split } from '../../shared/types.ts';

/** The most probable class and its probability for image `i`. */
export function argmax(probabilities: Float32Array, i: number): { label: number; confidence: number } {
  let label = 0;
  for (let c = 1; c < CLASS_COUNT; c++) if (probabilities[i * CLASS_COUNT + c] > probabilities[i * CLASS_COUNT + label]) label = c;
  return { label, confidence: probabilities[i * CLASS_COUNT + label] };
}

/** Each image's most probable class and its probability, from probabilities `count × 10`: what storage is handed. */
export function topClasses(probabilities: Float32Array): { predicted: Uint8Array; confidences: Float32Array } {
  const count = probabilities.length / CLASS_COUNT;
  const predicted = new Uint8Array(count);
  const confidences = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const { label, confidence } = argmax(probabilities, i);
    predicted[i] = label;
    confidences[i] = confidence;
  }
  return { predicted, confidences };
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
