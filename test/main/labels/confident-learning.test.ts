import { describe, expect, it } from 'vitest';
import {
  calibrateConfidentJoint,
  capIssues,
  estimatedIssueCount,
  confidentGuesses,
  confidentJoint,
  estimateJoint,
  findLabelIssues,
  lowestQualityIssues,
  labelQuality,
  noiseMatrix,
  overlappingPairs,
  perClassThresholds,
  pruneByNoiseRate,
  rankIssues,
  roundPreservingRowTotals,
} from '../../../src/main/labels/confident-learning.ts';

/*
 * Six images, three classes. Image 2 is labeled 0 but looks like class 1.
 *   i  label  p(0) p(1) p(2)
 *   0  0      0.9  0.1  0.0
 *   1  0      0.7  0.2  0.1
 *   2  0      0.2  0.8  0.0   ← wrong label
 *   3  1      0.1  0.9  0.0
 *   4  1      0.3  0.6  0.1   ← no class confident
 *   5  2      0.1  0.1  0.8
 * Thresholds (mean self-confidence): t0 = (0.9+0.7+0.2)/3 = 0.6, t1 = (0.9+0.6)/2 = 0.75, t2 = 0.8.
 * Confident guesses: 0, 0, 1, 1, none (0.3 < 0.6, 0.6 < 0.75, 0.1 < 0.8), 2.
 * Confident joint (rows given): [2 1 0] [0 1 0] [0 0 1].
 * Calibrated to the label counts 3, 2, 1: [2 1 0] [0 2 0] [0 0 1].
 * Joint = calibrated / 6; columns sum to 2/6, 3/6, 1/6, so the noise matrix is
 *   [1 1/3 0] [0 2/3 0] [0 0 1] and the noise rates are 0, 1/3, 0.
 * Prune: given 0 → truth 1 takes 1 image, the largest p(1) − p(0): image 2 (0.6; others −0.8, −0.5).
 */
const LABELS = Uint8Array.from([0, 0, 0, 1, 1, 2]);
const PROBS = Float32Array.from([0.9, 0.1, 0.0, 0.7, 0.2, 0.1, 0.2, 0.8, 0.0, 0.1, 0.9, 0.0, 0.3, 0.6, 0.1, 0.1, 0.1, 0.8]);

const close = (actual: number[][], expected: number[][]): void => actual.forEach((row, i) => row.forEach((x, j) => expect(x).toBeCloseTo(expected[i][j], 6)));

describe('confident learning on a hand-made matrix', () => {
  it('takes each class\'s mean self-confidence as its threshold', () => {
    const t = perClassThresholds(LABELS, PROBS);
    expect(t[0]).toBeCloseTo(0.6, 6);
    expect(t[1]).toBeCloseTo(0.75, 6);
    expect(t[2]).toBeCloseTo(0.8, 6);
  });

  it('guesses a confident class per image, none when no class reaches its threshold', () => {
    expect(Array.from(confidentGuesses(LABELS, PROBS, perClassThresholds(LABELS, PROBS)))).toEqual([0, 0, 1, 1, -1, 2]);
  });

  it('with several classes confident, takes the most probable; with one, that one even when it is not the argmax', () => {
    // Image 0: p = 0.5, 0.45, 0.05 against thresholds 0.4, 0.45, 0.9 → 0 and 1 confident → argmax 0.
    // Image 1: p = 0.6, 0.35, 0.05 against thresholds 0.95, 0.3, 0.9 → only 1 is confident → 1.
    const probs = Float32Array.from([0.5, 0.45, 0.05, 0.6, 0.35, 0.05]);
    expect(Array.from(confidentGuesses([0, 0], probs, [0.4, 0.45, 0.9]))).toEqual([0, 0]);
    expect(Array.from(confidentGuesses([0, 0], probs, [0.95, 0.3, 0.9]))).toEqual([1, 1]);
  });

  it('counts the confident joint, calibrates it to the label counts and estimates the joint and noise', () => {
    const cj = confidentJoint(LABELS, PROBS);
    expect(cj).toEqual([
      [2, 1, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    const calibrated = calibrateConfidentJoint(cj, [3, 2, 1]);
    expect(calibrated).toEqual([
      [2, 1, 0],
      [0, 2, 0],
      [0, 0, 1],
    ]);
    const joint = estimateJoint(calibrated);
    close(joint, [
      [2 / 6, 1 / 6, 0],
      [0, 2 / 6, 0],
      [0, 0, 1 / 6],
    ]);
    close(noiseMatrix(joint), [
      [1, 1 / 3, 0],
      [0, 2 / 3, 0],
      [0, 0, 1],
    ]);
  });

  it('finds the wrong label by prune-by-noise-rate and suggests its likely class', () => {
    const result = findLabelIssues(LABELS, PROBS);
    expect(Array.from(result.issues)).toEqual([0, 0, 1, 0, 0, 0]);
    expect(result.suggested[2]).toBe(1);
    expect(result.noiseRates[0]).toBeCloseTo(0, 6);
    expect(result.noiseRates[1]).toBeCloseTo(1 / 3, 6);
    expect(result.noiseRates[2]).toBeCloseTo(0, 6);
    expect(result.overlapping[0]).toEqual({ a: 0, b: 1, share: expect.closeTo(1 / 6, 6) });
    expect(result.overlapping[1].share).toBe(0);
  });

  it('never marks an image whose most probable class is its own label', () => {
    // The calibrated joint asks for two images labeled 0 that are truly 1; only image 2 is predicted 1,
    // image 1 (next largest margin, −0.5) is predicted 0 and so stays.
    const issues = pruneByNoiseRate(LABELS, PROBS, [
      [1, 2, 0],
      [0, 2, 0],
      [0, 0, 1],
    ]);
    expect(Array.from(issues)).toEqual([0, 0, 1, 0, 0, 0]);
  });

  it('gives each image a quality score, lower for wrong labels, and ranks issues by it', () => {
    const self = labelQuality(LABELS, PROBS, 'self-confidence');
    expect(self[2]).toBeCloseTo(0.2, 6);
    const margin = labelQuality(LABELS, PROBS, 'normalized-margin');
    // (0.2 − 0.8 + 1) / 2 = 0.2 for image 2; (0.7 − 0.2 + 1) / 2 = 0.75 for image 1.
    expect(margin[2]).toBeCloseTo(0.2, 6);
    expect(margin[1]).toBeCloseTo(0.75, 6);
    const ratio = labelQuality(LABELS, PROBS, 'confidence-ratio');
    // 0.2 / (0.2 + 0.8) for image 2; 0.7 / (0.7 + 0.2) for image 1; 0.6 / (0.6 + 0.3) for image 4.
    expect(ratio[2]).toBeCloseTo(0.2, 6);
    expect(ratio[1]).toBeCloseTo(0.7 / 0.9, 6);
    expect(ratio[4]).toBeCloseTo(0.6 / 0.9, 6);
    // Where the margin treats two labels alike, the ratio ranks the one with the smaller share lower.
    const two = [0.05, 0.45, 0.5, 0.25, 0.7, 0.05];
    const margins = labelQuality([0, 0], two, 'normalized-margin');
    expect(margins[0]).toBeCloseTo(margins[1], 6);
    const ratios = labelQuality([0, 0], two, 'confidence-ratio');
    expect(ratios[0]).toBeCloseTo(0.05 / 0.55, 6);
    expect(ratios[0]).toBeLessThan(ratios[1]);
    const entropy = labelQuality(LABELS, PROBS, 'confidence-weighted-entropy');
    expect(Math.min(...entropy)).toBe(entropy[2]);
    expect(rankIssues(Uint8Array.from([1, 0, 1, 1]), [0.5, 0.1, 0.2, 0.2])).toEqual([2, 3, 0]);
  });

  it('picks issues either by prune-by-noise-rate or as the lowest-quality images, never one whose label is its most probable class', () => {
    // Both find image 2 here: the estimate is one wrong label, and image 2 has the lowest quality.
    expect(Array.from(findLabelIssues(LABELS, PROBS, 'confidence-ratio', 'low-quality').issues)).toEqual([0, 0, 1, 0, 0, 0]);
    expect(Array.from(findLabelIssues(LABELS, PROBS, 'confidence-ratio', 'prune-by-noise-rate').issues)).toEqual([0, 0, 1, 0, 0, 0]);
    // Four images of two classes; qualities 0.1, 0.2, 0.3, 0.05, but image 3's label is its most probable
    // class, so the two lowest-quality candidates are images 0 and 1.
    const labels = [0, 0, 1, 1];
    const probs = [0.3, 0.7, 0.4, 0.6, 0.8, 0.2, 0.45, 0.55];
    expect(Array.from(lowestQualityIssues(labels, probs, [0.1, 0.2, 0.3, 0.05], 2))).toEqual([1, 1, 0, 0]);
    expect(Array.from(lowestQualityIssues(labels, probs, [0.1, 0.2, 0.3, 0.05], 9))).toEqual([1, 1, 1, 0]);
  });

  it('estimates the number of wrong labels from the uncalibrated joint and keeps that many issues, lowest quality first', () => {
    // Off-diagonal of [2 1 0] [0 1 0] [0 0 1]: one image (image 2) is confidently of another class.
    expect(estimatedIssueCount(confidentJoint(LABELS, PROBS))).toBe(1);
    // Three candidates with qualities 0.5, 0.2, 0.3 capped at two: the 0.2 and the 0.3 stay.
    expect(Array.from(capIssues(Uint8Array.from([1, 1, 1, 0]), [0.5, 0.2, 0.3, 0.0], 2))).toEqual([0, 1, 1, 0]);
  });

  it('rounds rows to whole counts keeping their totals', () => {
    // 1.5 + 1.5 = 3: floors 1 + 1, the missing unit goes to the first of the equal remainders.
    expect(roundPreservingRowTotals([[1.5, 1.5, 0]])).toEqual([[2, 1, 0]]);
    // 0.4 + 0.4 + 2.2 = 3: floors 0 + 0 + 2, one unit to the larger remainder, in order of the ties.
    expect(roundPreservingRowTotals([[0.4, 0.4, 2.2]])).toEqual([[1, 0, 2]]);
  });

  it('ranks overlapping class pairs by their share of the joint in both directions', () => {
    const pairs = overlappingPairs([
      [0.3, 0.05, 0.01],
      [0.02, 0.3, 0.0],
      [0.07, 0.0, 0.25],
    ]);
    // (0,2): 0.01 + 0.07 = 0.08; (0,1): 0.05 + 0.02 = 0.07; (1,2): 0.
    expect(pairs.map((p) => [p.a, p.b])).toEqual([
      [0, 2],
      [0, 1],
      [1, 2],
    ]);
    expect(pairs[0].share).toBeCloseTo(0.08, 9);
  });

  it('refuses probabilities that do not match the labels', () => {
    expect(() => perClassThresholds([0, 1], [0.5, 0.5, 1])).toThrow(/not a whole multiple/);
  });
});
