/**
 * Confident learning (Northcutt, Jiang & Chuang, "Confident Learning: Estimating Uncertainty in Dataset
 * Labels", JAIR 2021), as cleanlab's `find_label_issues` does it by default: per-class thresholds, the
 * confident joint calibrated to the label counts, the estimated joint and noise matrix, issues found by
 * prune-by-noise-rate, and label-quality scores to rank them.
 *
 * Pure functions over flat arrays: `labels` holds n given labels, `probabilities` holds n × k
 * out-of-fold probabilities row-major. No tensors, so the UI, the CLI and the tests share the numbers.
 *
 * Conventions (as in cleanlab): the confident joint and the joint have rows = given label and
 * columns = (estimated) true label. The noise matrix is P(given = i | true = j), columns summing to 1.
 */

/** A row-major square matrix of `k × k` numbers, as nested arrays (small: k = 10). */
export type Matrix = number[][];

/** Below this a probability counts as zero (cleanlab's small tolerance on thresholds). */
const THRESHOLD_TOLERANCE = 1e-6;

function classCount(labels: ArrayLike<number>, probabilities: ArrayLike<number>): number {
  const k = labels.length === 0 ? 0 : probabilities.length / labels.length;
  if (!Number.isInteger(k)) throw new Error(`probabilities has ${probabilities.length} values, not a whole multiple of the ${labels.length} labels.`);
  return k;
}

const zeros = (k: number): Matrix => Array.from({ length: k }, () => new Array<number>(k).fill(0));

/** How many images carry each label. */
export function labelCounts(labels: ArrayLike<number>, k: number): number[] {
  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return counts;
}

/**
 * Per-class thresholds: the mean probability the model gives class c over the images labeled c (the
 * class's mean self-confidence). An image "confidently" belongs to class c when p(c) reaches it.
 * A class no image carries gets threshold 1: only a certain prediction counts as confidently in it.
 */
export function perClassThresholds(labels: ArrayLike<number>, probabilities: ArrayLike<number>): number[] {
  const k = classCount(labels, probabilities);
  const sums = new Array<number>(k).fill(0);
  const counts = labelCounts(labels, k);
  for (let i = 0; i < labels.length; i++) sums[labels[i]] += probabilities[i * k + labels[i]];
  return sums.map((sum, c) => (counts[c] ? sum / counts[c] : 1));
}

/**
 * Each image's confident guess of its true class, or -1 when no class reaches its threshold. With exactly
 * one class at or above its threshold, that class; with several, the most probable class, as cleanlab does.
 */
export function confidentGuesses(labels: ArrayLike<number>, probabilities: ArrayLike<number>, thresholds: readonly number[]): Int32Array {
  const k = classCount(labels, probabilities);
  const guesses = new Int32Array(labels.length).fill(-1);
  for (let i = 0; i < labels.length; i++) {
    let confident = -1;
    let many = false;
    for (let c = 0; c < k; c++) {
      if (probabilities[i * k + c] < thresholds[c] - THRESHOLD_TOLERANCE) continue;
      if (confident >= 0) many = true;
      confident = c;
    }
    guesses[i] = many ? argmaxRow(probabilities, i, k) : confident;
  }
  return guesses;
}

/**
 * The confident joint C[given][true], uncalibrated: counts of images by given label and confident guess.
 * Every diagonal entry is at least 1, so each class keeps one correctly labeled image (as cleanlab does).
 */
export function confidentJoint(labels: ArrayLike<number>, probabilities: ArrayLike<number>, thresholds = perClassThresholds(labels, probabilities)): Matrix {
  const k = classCount(labels, probabilities);
  const guesses = confidentGuesses(labels, probabilities, thresholds);
  const joint = zeros(k);
  for (let i = 0; i < labels.length; i++) if (guesses[i] >= 0) joint[labels[i]][guesses[i]]++;
  for (let c = 0; c < k; c++) joint[c][c] = Math.max(1, joint[c][c]);
  return joint;
}

/**
 * Rounds each row to whole numbers keeping its total (largest remainders get the extra units), so the
 * counts still add up to the label counts. cleanlab's `round_preserving_row_totals`.
 */
export function roundPreservingRowTotals(matrix: Matrix): Matrix {
  return matrix.map((row) => {
    const total = Math.round(row.reduce((a, b) => a + b, 0));
    const floors = row.map(Math.floor);
    let missing = total - floors.reduce((a, b) => a + b, 0);
    const byRemainder = row.map((x, c) => ({ c, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.c - b.c);
    for (const { c } of byRemainder) {
      if (missing <= 0) break;
      floors[c]++;
      missing--;
    }
    return floors;
  });
}

/**
 * The confident joint calibrated to the label counts: each row (given label c) is scaled so it sums to
 * the number of images labeled c, then rounded keeping that total. The images no class was confident
 * about are thereby spread in the proportions of those that were.
 */
export function calibrateConfidentJoint(joint: Matrix, counts: readonly number[]): Matrix {
  return roundPreservingRowTotals(
    joint.map((row, c) => {
      const total = row.reduce((a, b) => a + b, 0);
      return row.map((x) => (total > 0 ? (x / total) * counts[c] : 0));
    }),
  );
}

/** The estimated joint distribution Q[given][true] of given and true labels: the calibrated joint over its total. */
export function estimateJoint(calibrated: Matrix): Matrix {
  const total = calibrated.flat().reduce((a, b) => a + b, 0);
  return calibrated.map((row) => row.map((x) => (total > 0 ? x / total : 0)));
}

/** The noise matrix P(given = i | true = j): the joint with each column normalised (a column with no mass stays an identity column). */
export function noiseMatrix(joint: Matrix): Matrix {
  const k = joint.length;
  const columnSums = Array.from({ length: k }, (_, j) => joint.reduce((sum, row) => sum + row[j], 0));
  return joint.map((row, i) => row.map((x, j) => (columnSums[j] > 0 ? x / columnSums[j] : i === j ? 1 : 0)));
}

/**
 * Each class's estimated noise rate, the paper's P(given ≠ j | true = j): the share of the images truly of
 * class j that carry another label, one minus the noise matrix's diagonal.
 */
export function noiseRates(noise: Matrix): number[] {
  return noise.map((row, j) => 1 - row[j]);
}

/**
 * Label issues by prune-by-noise-rate: for each given label i and each other class j, the
 * `calibrated[i][j]` images labeled i with the largest margin p(j) − p(i) are issues. Images whose most
 * probable class is their own label are never issues. Returns a mask over the images.
 */
export function pruneByNoiseRate(labels: ArrayLike<number>, probabilities: ArrayLike<number>, calibrated: Matrix): Uint8Array {
  const k = classCount(labels, probabilities);
  const issues = new Uint8Array(labels.length);
  const byLabel: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < labels.length; i++) byLabel[labels[i]].push(i);
  for (let given = 0; given < k; given++) {
    const members = byLabel[given];
    for (let truth = 0; truth < k; truth++) {
      const count = Math.min(members.length, calibrated[given][truth]);
      if (truth === given || count <= 0) continue;
      const margins = members.map((i) => ({ i, m: probabilities[i * k + truth] - probabilities[i * k + given] }));
      margins.sort((a, b) => b.m - a.m || a.i - b.i);
      for (let r = 0; r < count; r++) issues[margins[r].i] = 1;
    }
  }
  for (let i = 0; i < labels.length; i++) if (issues[i] && argmaxRow(probabilities, i, k) === labels[i]) issues[i] = 0;
  return issues;
}

/** The most probable class of image i. */
export function argmaxRow(probabilities: ArrayLike<number>, i: number, k: number): number {
  let best = 0;
  for (let c = 1; c < k; c++) if (probabilities[i * k + c] > probabilities[i * k + best]) best = c;
  return best;
}

/** The label-quality scores this module knows, from the confident-learning literature (cleanlab's `rank.py`). */
export type QualityMethod = 'self-confidence' | 'normalized-margin' | 'confidence-weighted-entropy' | 'confidence-ratio';

/**
 * The score a scan ranks by, chosen by measurement (README, Label scans): on the label benchmark's
 * out-of-fold probabilities it put more flipped labels in the top N than self-confidence in every one
 * of thirteen scans and ensembles tried (by 0.3–1.0 points), and normalized margin fewer.
 */
export const SCAN_QUALITY_METHOD: QualityMethod = 'confidence-ratio';

/**
 * Label quality of every image, 0–1, lower meaning more likely wrong:
 * - `self-confidence`: p(given label);
 * - `normalized-margin`: (p(given) − max other p + 1) / 2;
 * - `confidence-weighted-entropy`: entropy / p(given), mapped to 0–1 by log(1 + x) / max, inverted
 *   so that lower is worse (cleanlab's `get_confidence_weighted_entropy_for_each_label`);
 * - `confidence-ratio`: p(given) / (p(given) + max other p), the normalized margin taken as a ratio
 *   rather than a difference: 0.5 where the label ties the strongest other class. It ranks like the log
 *   odds of the label against its strongest rival, so a label at 0.05 against 0.5 counts as more
 *   likely wrong than one at 0.25 against 0.7, which the difference of probabilities treats alike.
 */
export function labelQuality(labels: ArrayLike<number>, probabilities: ArrayLike<number>, method: QualityMethod = 'self-confidence'): Float64Array {
  const k = classCount(labels, probabilities);
  const scores = new Float64Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const own = probabilities[i * k + labels[i]];
    if (method === 'self-confidence') scores[i] = own;
    else if (method === 'normalized-margin' || method === 'confidence-ratio') {
      let other = 0;
      for (let c = 0; c < k; c++) if (c !== labels[i]) other = Math.max(other, probabilities[i * k + c]);
      scores[i] = method === 'normalized-margin' ? (own - other + 1) / 2 : own + other > 0 ? own / (own + other) : 0.5;
    } else {
      let entropy = 0;
      for (let c = 0; c < k; c++) {
        const p = Math.max(1e-12, probabilities[i * k + c]);
        entropy -= p * Math.log(p);
      }
      scores[i] = entropy / Math.log(k) / Math.max(1e-12, own);
    }
  }
  if (method === 'confidence-weighted-entropy') {
    // Larger is worse here; cleanlab squashes it with log(1 + x), scales by the largest and inverts.
    let max = 0;
    for (let i = 0; i < scores.length; i++) max = Math.max(max, Math.log1p(scores[i]));
    for (let i = 0; i < scores.length; i++) scores[i] = max > 0 ? 1 - Math.log1p(scores[i]) / max : 1;
  }
  return scores;
}

/** A pair of classes the labels mix up, with their share of the estimated joint (both directions). */
export interface OverlappingPair {
  a: number;
  b: number;
  share: number;
}

/**
 * Class pairs ranked by how much of the joint lies between them, Q[a][b] + Q[b][a]: pairs that
 * annotators (or the classes' definitions) confuse. cleanlab's `find_overlapping_classes`.
 */
export function overlappingPairs(joint: Matrix): OverlappingPair[] {
  const pairs: OverlappingPair[] = [];
  for (let a = 0; a < joint.length; a++) for (let b = a + 1; b < joint.length; b++) pairs.push({ a, b, share: joint[a][b] + joint[b][a] });
  return pairs.sort((x, y) => y.share - x.share || x.a - y.a || x.b - y.b);
}

/** Everything a scan concludes from out-of-fold probabilities. */
export interface ConfidentLearningResult {
  thresholds: number[];
  /** Calibrated confident joint, counts: rows given label, columns estimated true label. */
  confidentJoint: Matrix;
  joint: Matrix;
  noiseMatrix: Matrix;
  noiseRates: number[];
  /** 1 where the image's label is found to be wrong. */
  issues: Uint8Array;
  /** Label quality 0–1 of every image, lower meaning more likely wrong. */
  quality: Float64Array;
  /** The most probable class of each image: the label a person is offered instead. */
  suggested: Uint8Array;
  overlapping: OverlappingPair[];
}

/**
 * How many labels are wrong, estimated as the off-diagonal sum of the uncalibrated confident joint:
 * cleanlab's `num_label_issues` default (`off_diagonal`). It counts only images some class is
 * confident about, so it is smaller than the calibrated joint's estimate, which spreads the unsure
 * images in proportion and, with a model that is itself often wrong, takes its mistakes for noise.
 */
export function estimatedIssueCount(joint: Matrix): number {
  return joint.reduce((sum, row, i) => sum + row.reduce((s, x, j) => s + (i === j ? 0 : x), 0), 0);
}

/**
 * The `count` images of lowest quality among those whose most probable class is not their label:
 * cleanlab's `filter_by='low_self_confidence'` / `'low_normalized_margin'` with its count from the
 * confident joint, here with the scan's quality score.
 */
export function lowestQualityIssues(labels: ArrayLike<number>, probabilities: ArrayLike<number>, quality: ArrayLike<number>, count: number): Uint8Array {
  const k = classCount(labels, probabilities);
  const candidates = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++) if (argmaxRow(probabilities, i, k) !== labels[i]) candidates[i] = 1;
  return capIssues(candidates, quality, count);
}

/**
 * How a scan picks its issues, both sized by the estimated number of wrong labels:
 * - `prune-by-noise-rate` (cleanlab's default): per off-diagonal cell of the calibrated joint, that many
 *   images of the largest margin, then capped at the estimate, lowest quality kept;
 * - `low-quality`: simply the lowest-quality images (`lowestQualityIssues`).
 */
export type IssueFilter = 'prune-by-noise-rate' | 'low-quality';

/**
 * The filter a scan uses, chosen by measurement (README, Label scans): on the same out-of-fold
 * probabilities of three scans and ensembles, `low-quality` raised F1 by 1.2–1.7 points and precision of
 * the top N by 1.0–1.6 over `prune-by-noise-rate`, which leaves out low-quality images once their cell of
 * the joint is full.
 */
export const SCAN_ISSUE_FILTER: IssueFilter = 'low-quality';

/** Keeps at most `count` issues, those of lowest quality. */
export function capIssues(issues: Uint8Array, quality: ArrayLike<number>, count: number): Uint8Array {
  const kept = new Uint8Array(issues.length);
  for (const i of rankIssues(issues, quality).slice(0, Math.max(0, count))) kept[i] = 1;
  return kept;
}

/**
 * The whole of confident learning on one set of out-of-fold probabilities. Issues are as many as the
 * estimated number of wrong labels, picked by `filter` (with prune-by-noise-rate, the cap at that
 * estimate lifted F1 from 0.58 to 0.66 on an MLP scan: README).
 */
export function findLabelIssues(labels: ArrayLike<number>, probabilities: ArrayLike<number>, method: QualityMethod = SCAN_QUALITY_METHOD, filter: IssueFilter = SCAN_ISSUE_FILTER): ConfidentLearningResult {
  const k = classCount(labels, probabilities);
  const thresholds = perClassThresholds(labels, probabilities);
  const uncalibrated = confidentJoint(labels, probabilities, thresholds);
  const calibrated = calibrateConfidentJoint(uncalibrated, labelCounts(labels, k));
  const joint = estimateJoint(calibrated);
  const noise = noiseMatrix(joint);
  const suggested = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++) suggested[i] = argmaxRow(probabilities, i, k);
  const quality = labelQuality(labels, probabilities, method);
  return {
    thresholds,
    confidentJoint: calibrated,
    joint,
    noiseMatrix: noise,
    noiseRates: noiseRates(noise),
    issues:
      filter === 'low-quality'
        ? lowestQualityIssues(labels, probabilities, quality, estimatedIssueCount(uncalibrated))
        : capIssues(pruneByNoiseRate(labels, probabilities, calibrated), quality, estimatedIssueCount(uncalibrated)),
    quality,
    suggested,
    overlapping: overlappingPairs(joint),
  };
}

/** Indices of the issues, most likely wrong first (lowest quality; ties by index). */
export function rankIssues(issues: Uint8Array, quality: ArrayLike<number>): number[] {
  const ranked: number[] = [];
  for (let i = 0; i < issues.length; i++) if (issues[i]) ranked.push(i);
  return ranked.sort((x, y) => quality[x] - quality[y] || x - y);
}
