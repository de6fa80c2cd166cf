/**
 * Near-duplicates and outliers in a scan model's penultimate-layer embeddings, as FiftyOne's brain and
 * cleanlab's Datalab look for them.
 *
 * - Near-duplicate pairs that matter: one image in train (or user) and one in test, which leaks test
 *   images into training; and pairs whose labels differ, where at least one label is wrong.
 * - Outliers: images far from every class, scored by the shared feature-distance scorer (the same one
 *   that flags unusual photos in the warehouse review), calibrated the same way, at a quantile.
 *
 * Finding the nearest neighbours of 70,000 images exactly would take ~5·10¹¹ multiply-adds; near-
 * duplicates are so close that random-hyperplane hashing (SimHash) puts them in the same bucket of at
 * least one of several tables with near certainty, so only images sharing a bucket are compared.
 */
import type { Split } from '../../shared/types.ts';
import { featureDistances, fitFeatureDistance, thresholdAtQuantile } from '../ml/feature-distance.ts';
import { seededRandom } from '../ml/random.ts';

/** Share of the scanned images flagged as outliers: the scorer's quantile, as the review uses it. */
export const OUTLIER_QUANTILE = 0.99;
/** Two embeddings closer than this (Euclidean, after scaling every embedding to unit length) are near-duplicates. */
export const NEAR_DUPLICATE_DISTANCE = 0.03;
/** Hash tables and bits per table: near-duplicates collide in at least one with probability ≈ 1. */
const HASH_TABLES = 8;
const HASH_BITS = 14;
/** Buckets larger than this are compared only between neighbours along a random projection. */
const BUCKET_CAP = 48;

export interface EmbeddedImages {
  imageIds: Int32Array;
  labels: Uint8Array;
  splits: readonly Split[];
  embeddings: Float32Array;
  size: number;
}

export interface NearDuplicate {
  imageA: number;
  imageB: number;
  distance: number;
  kind: 'leakage' | 'different-labels';
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Each embedding scaled to unit length (a zero embedding stays zero). */
function unitRows(embeddings: Float32Array, size: number): Float32Array {
  const out = new Float32Array(embeddings.length);
  for (let r = 0; r < embeddings.length / size; r++) {
    let norm = 0;
    for (let j = 0; j < size; j++) norm += embeddings[r * size + j] ** 2;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let j = 0; j < size; j++) out[r * size + j] = embeddings[r * size + j] * scale;
  }
  return out;
}

/**
 * Near-duplicate pairs that cross the train/test boundary (leakage) or carry different labels. Pairs
 * that are neither (two train images with the same label) are harmless and not reported.
 */
export function findNearDuplicates(images: EmbeddedImages, maxDistance = NEAR_DUPLICATE_DISTANCE, seed = 1): NearDuplicate[] {
  const { size } = images;
  const n = images.imageIds.length;
  if (n < 2 || size === 0) return [];
  const unit = unitRows(images.embeddings, size);
  const random = seededRandom(seed);
  const seen = new Set<number>();
  const pairs: NearDuplicate[] = [];
  const consider = (a: number, b: number): void => {
    if (a === b) return;
    const [x, y] = a < b ? [a, b] : [b, a];
    const isLeak = (images.splits[x] === 'test') !== (images.splits[y] === 'test');
    const differs = images.labels[x] !== images.labels[y];
    if (!isLeak && !differs) return;
    const key = x * n + y;
    if (seen.has(key)) return;
    let d2 = 0;
    for (let j = 0; j < size && d2 <= maxDistance * maxDistance; j++) d2 += (unit[x * size + j] - unit[y * size + j]) ** 2;
    if (d2 > maxDistance * maxDistance) return;
    seen.add(key);
    pairs.push({ imageA: images.imageIds[x], imageB: images.imageIds[y], distance: Math.sqrt(d2), kind: isLeak ? 'leakage' : 'different-labels' });
  };
  for (let t = 0; t < HASH_TABLES; t++) {
    const planes = Float32Array.from({ length: HASH_BITS * size }, () => gaussian(random));
    const line = unitRows(Float32Array.from({ length: size }, () => gaussian(random)), size);
    const buckets = new Map<number, number[]>();
    for (let r = 0; r < n; r++) {
      let code = 0;
      for (let b = 0; b < HASH_BITS; b++) {
        let dot = 0;
        for (let j = 0; j < size; j++) dot += planes[b * size + j] * unit[r * size + j];
        if (dot > 0) code |= 1 << b;
      }
      const bucket = buckets.get(code);
      if (bucket) bucket.push(r);
      else buckets.set(code, [r]);
    }
    for (const members of buckets.values()) {
      if (members.length <= BUCKET_CAP) {
        for (let a = 0; a < members.length; a++) for (let b = a + 1; b < members.length; b++) consider(members[a], members[b]);
        continue;
      }
      // A crowded bucket (a dense region of one class): compare neighbours along a random line only.
      const projected = members.map((r) => {
        let dot = 0;
        for (let j = 0; j < size; j++) dot += line[j] * unit[r * size + j];
        return { r, dot };
      });
      projected.sort((a, b) => a.dot - b.dot);
      for (let a = 0; a < projected.length; a++) {
        for (let b = a + 1; b < projected.length && projected[b].dot - projected[a].dot <= maxDistance; b++) consider(projected[a].r, projected[b].r);
      }
    }
  }
  return pairs.sort((p, q) => p.distance - q.distance || p.imageA - q.imageA || p.imageB - q.imageB);
}

/**
 * Outlier scores of every image: the shared feature-distance scorer fitted on the labeled images'
 * embeddings (the first `fitCount` rows) with their labels, and how many labeled images score above
 * its `OUTLIER_QUANTILE` threshold. Null when there is nothing to fit.
 */
export function outlierScores(embeddings: Float32Array, size: number, labels: Uint8Array, fitCount = labels.length): { scores: Float64Array; threshold: number; flagged: number } | null {
  if (size === 0 || fitCount === 0) return null;
  const model = fitFeatureDistance(embeddings.subarray(0, fitCount * size), size, labels.subarray(0, fitCount));
  const scores = featureDistances(model, embeddings);
  const threshold = thresholdAtQuantile(scores.subarray(0, fitCount), OUTLIER_QUANTILE);
  let flagged = 0;
  for (let i = 0; i < fitCount; i++) if (scores[i] > threshold) flagged++;
  return { scores: Float64Array.from(scores), threshold, flagged };
}
