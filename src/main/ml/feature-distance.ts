/**
 * How unlike the training data an input is, scored from the model's penultimate-layer features.
 *
 * The model's confidence says nothing useful about inputs it has never seen the like of: a blank
 * photo or a photo of a mug still gets a softmax, often a confident one. The features the last
 * layer reads are a better witness: training images of each class cluster, foreign inputs land
 * far from every cluster. This module is pure arithmetic on Float32Arrays (no tfjs), so the
 * classifier, the label scans and tests can all share it.
 *
 * Method: one mean per class and one covariance shared by all classes (pooled within-class),
 * shrunk towards a scaled identity with the Ledoit–Wolf intensity so it stays invertible when
 * features are few or dead (ReLU units that never fire). The score of an input is its smallest
 * Mahalanobis distance to any class mean. To make scoring cheap the model stores the whitening
 * matrix W = L⁻¹ (Σ = L·Lᵀ) and the whitened means, so a score is ‖W·x − W·μ_c‖ minimised over c.
 */

/** A fitted scorer: plain JSON-serialisable numbers, stored per run. */
export interface FeatureDistanceModel {
  kind: 'mahalanobis-min-class';
  /** Length of one embedding. */
  dim: number;
  /** The classes that had at least one training embedding, in the order of `whitenedMeans`. */
  classes: number[];
  /** `classes.length` rows of `dim` numbers: W·μ_c. */
  whitenedMeans: number[][];
  /** Lower-triangular W = L⁻¹, row-major `dim × dim`. */
  whitening: number[];
  /** Ledoit–Wolf shrinkage intensity used (0 = sample covariance, 1 = scaled identity). */
  shrinkage: number;
}

/**
 * Fits the scorer to labelled embeddings (row-major, `dim` numbers per row).
 * Throws when the sizes disagree or there is nothing to fit, since a silent empty model would
 * flag nothing and look like a working one.
 */
export function fitFeatureDistance(embeddings: Float32Array, dim: number, labels: Uint8Array): FeatureDistanceModel {
  if (!Number.isInteger(dim) || dim < 1) throw new Error(`fitFeatureDistance: dim must be a positive integer, got ${dim}`);
  const n = labels.length;
  if (n === 0) throw new Error('fitFeatureDistance: no embeddings to fit');
  if (embeddings.length !== n * dim) {
    throw new Error(`fitFeatureDistance: ${embeddings.length} numbers do not make ${n} embeddings of ${dim}`);
  }

  // Per-class means.
  const classCount = Math.max(...labels) + 1;
  const sums = new Float64Array(classCount * dim);
  const counts = new Uint32Array(classCount);
  for (let i = 0; i < n; i++) {
    const c = labels[i];
    counts[c]++;
    const row = i * dim;
    const sumRow = c * dim;
    for (let j = 0; j < dim; j++) sums[sumRow + j] += embeddings[row + j];
  }
  const means = new Float64Array(classCount * dim);
  for (let c = 0; c < classCount; c++) {
    if (counts[c] === 0) continue;
    for (let j = 0; j < dim; j++) means[c * dim + j] = sums[c * dim + j] / counts[c];
  }

  // Pooled within-class scatter S = Σ x xᵀ / n on centred rows, plus Σ ‖x‖⁴ for Ledoit–Wolf.
  const scatter = new Float64Array(dim * dim);
  const centred = new Float64Array(dim);
  let sumNorm4 = 0;
  for (let i = 0; i < n; i++) {
    const row = i * dim;
    const meanRow = labels[i] * dim;
    let norm2 = 0;
    for (let j = 0; j < dim; j++) {
      const v = embeddings[row + j] - means[meanRow + j];
      centred[j] = v;
      norm2 += v * v;
    }
    sumNorm4 += norm2 * norm2;
    for (let a = 0; a < dim; a++) {
      const va = centred[a];
      if (va === 0) continue;
      const base = a * dim;
      for (let b = 0; b <= a; b++) scatter[base + b] += va * centred[b];
    }
  }
  for (let a = 0; a < dim; a++) {
    for (let b = 0; b <= a; b++) {
      const v = scatter[a * dim + b] / n;
      scatter[a * dim + b] = v;
      scatter[b * dim + a] = v;
    }
  }

  // Ledoit–Wolf (2004) intensity towards μ·I, with the Frobenius norm scaled by 1/dim.
  let trace = 0;
  let frob2 = 0;
  for (let a = 0; a < dim; a++) trace += scatter[a * dim + a];
  for (let k = 0; k < dim * dim; k++) frob2 += scatter[k] * scatter[k];
  const mu = trace / dim;
  const delta2 = (frob2 - 2 * mu * trace + mu * mu * dim) / dim;
  const betaBar2 = Math.max(0, (sumNorm4 - n * frob2) / (n * n * dim));
  const shrinkage = delta2 > 0 ? Math.min(1, betaBar2 / delta2) : 1;
  // A floor keeps the matrix invertible when every feature is constant (all-zero embeddings).
  const floor = Math.max(mu, 1e-12) * 1e-6;
  const covariance = new Float64Array(dim * dim);
  for (let a = 0; a < dim; a++) {
    for (let b = 0; b < dim; b++) {
      covariance[a * dim + b] = (1 - shrinkage) * scatter[a * dim + b] + (a === b ? shrinkage * mu + floor : 0);
    }
  }

  const whitening = invertLower(cholesky(covariance, dim), dim);
  const classes: number[] = [];
  const whitenedMeans: number[][] = [];
  for (let c = 0; c < classCount; c++) {
    if (counts[c] === 0) continue;
    classes.push(c);
    whitenedMeans.push(Array.from(multiplyLower(whitening, dim, means.subarray(c * dim, (c + 1) * dim))));
  }
  return { kind: 'mahalanobis-min-class', dim, classes, whitenedMeans, whitening: Array.from(whitening), shrinkage };
}

/**
 * Scores embeddings (row-major, `model.dim` per row): the smallest Mahalanobis distance to any
 * class mean. Larger means more unlike the training images.
 */
export function featureDistances(model: FeatureDistanceModel, embeddings: Float32Array): Float32Array {
  const { dim } = model;
  if (embeddings.length % dim !== 0) {
    throw new Error(`featureDistances: ${embeddings.length} numbers are not whole embeddings of ${dim}`);
  }
  const n = embeddings.length / dim;
  const w = Float64Array.from(model.whitening);
  const means = model.whitenedMeans.map((m) => Float64Array.from(m));
  const out = new Float32Array(n);
  const z = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    const row = i * dim;
    for (let a = 0; a < dim; a++) {
      let s = 0;
      const base = a * dim;
      for (let b = 0; b <= a; b++) s += w[base + b] * embeddings[row + b];
      z[a] = s;
    }
    let best = Infinity;
    for (const m of means) {
      let d2 = 0;
      for (let a = 0; a < dim; a++) {
        const diff = z[a] - m[a];
        d2 += diff * diff;
        if (d2 >= best) break;
      }
      if (d2 < best) best = d2;
    }
    out[i] = Math.sqrt(best);
  }
  return out;
}

/**
 * The score at a quantile of `scores` (linear interpolation between order statistics).
 * Used to calibrate: with the threshold at the 0.99 quantile of validation scores, about 1% of
 * similar inputs score above it and are flagged (`score > threshold`).
 */
export function thresholdAtQuantile(scores: Float32Array, quantile: number): number {
  if (scores.length === 0) throw new Error('thresholdAtQuantile: no scores');
  if (!(quantile >= 0 && quantile <= 1)) throw new Error(`thresholdAtQuantile: quantile must lie in [0, 1], got ${quantile}`);
  const sorted = Float64Array.from(scores).sort();
  const position = quantile * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.min(sorted.length - 1, low + 1);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

/** Cholesky factor L (lower, row-major) of a symmetric positive-definite matrix. */
function cholesky(matrix: Float64Array, dim: number): Float64Array {
  const l = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) {
    for (let j = 0; j <= i; j++) {
      let s = matrix[i * dim + j];
      for (let k = 0; k < j; k++) s -= l[i * dim + k] * l[j * dim + k];
      if (i === j) {
        if (!(s > 0)) throw new Error('fitFeatureDistance: covariance is not positive definite');
        l[i * dim + i] = Math.sqrt(s);
      } else {
        l[i * dim + j] = s / l[j * dim + j];
      }
    }
  }
  return l;
}

/** Inverse of a lower-triangular matrix, itself lower-triangular. */
function invertLower(l: Float64Array, dim: number): Float64Array {
  const inv = new Float64Array(dim * dim);
  for (let col = 0; col < dim; col++) {
    inv[col * dim + col] = 1 / l[col * dim + col];
    for (let i = col + 1; i < dim; i++) {
      let s = 0;
      for (let k = col; k < i; k++) s -= l[i * dim + k] * inv[k * dim + col];
      inv[i * dim + col] = s / l[i * dim + i];
    }
  }
  return inv;
}

function multiplyLower(w: Float64Array, dim: number, x: ArrayLike<number>): Float64Array {
  const out = new Float64Array(dim);
  for (let a = 0; a < dim; a++) {
    let s = 0;
    for (let b = 0; b <= a; b++) s += w[a * dim + b] * x[b];
    out[a] = s;
  }
  return out;
}

/**
 * The pixel contrast (standard deviation, 0–255) below which an image is featureless: a blank photo, or
 * noise that the conversion evens out to a grey square. No Fashion-MNIST test image comes near it (the
 * lowest of the 10,000 is 18.1, the 0.1% quantile 24.5), while blank photos convert to 0 and noise photos
 * to 5–9. Such inputs can sit close to a class in feature space (an even square looks like a bag to the
 * MLP), so the distance alone misses them.
 */
export const FEATURELESS_STD = 15;

/** True when an image has too little contrast to be a photo of an item: checked beside the feature distance. */
export function isFeatureless(pixels: Uint8Array): boolean {
  let sum = 0;
  let squares = 0;
  for (const v of pixels) {
    sum += v;
    squares += v * v;
  }
  const mean = sum / pixels.length;
  return Math.sqrt(Math.max(0, squares / pixels.length - mean * mean)) < FEATURELESS_STD;
}
