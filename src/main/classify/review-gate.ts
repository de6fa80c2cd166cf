/**
 * The review gate: which classified photos may skip a person's review.
 *
 * A person states the error rate they accept among photos that skip review ("at most 1% wrong").
 * For each class the model can predict, the gate is the lowest confidence at which the run's own
 * validation images say so with 95% certainty: among the validation images predicted as that class
 * at or above that confidence, the one-sided 95% Clopper–Pearson upper bound on the share that were
 * wrong is at most the accepted rate. A class with too few validation images to show that (with no
 * mistakes at all, 1% needs 299 images) always goes to review.
 */
import { CLASS_COUNT } from '../../shared/classes.ts';
import type { ClassGate, ReviewGate } from '../../shared/types.ts';

/** The accepted error rate when a person has not chosen one. */
export const DEFAULT_MAX_ERROR = 0.01;
/** Share of gate-passed photos sent to review anyway, to measure the real error rate. */
export const DEFAULT_AUDIT_SHARE = 0.02;
/** How sure the gate's bound is. */
export const GATE_CONFIDENCE = 0.95;

/** ln Γ(x) by the Lanczos approximation (g = 7, n = 9), accurate to about 1e-15 for x > 0. */
function logGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 1000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-14) break;
  }
  return h;
}

/** The regularised incomplete beta function I_x(a, b). */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaContinuedFraction(x, a, b)) / a : 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

/**
 * One-sided Clopper–Pearson upper bound on a rate after `errors` in `trials`: the p at which seeing
 * `errors` or fewer has probability 1 − `confidence`. Equals the `confidence` quantile of Beta(errors + 1, trials − errors).
 */
export function clopperPearsonUpper(errors: number, trials: number, confidence = GATE_CONFIDENCE): number {
  if (!Number.isInteger(errors) || !Number.isInteger(trials) || errors < 0 || trials < 0 || errors > trials) {
    throw new Error(`clopperPearsonUpper: need whole numbers 0 ≤ errors ≤ trials, got ${errors} of ${trials}`);
  }
  if (errors === trials) return 1;
  if (errors === 0) return 1 - Math.pow(1 - confidence, 1 / trials);
  let low = 0;
  let high = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2;
    if (regularizedBeta(mid, errors + 1, trials - errors) < confidence) low = mid;
    else high = mid;
  }
  return high;
}

/** The fewest images that could show an error rate ≤ `maxError` at all (with no mistakes among them). */
export function minimumImagesFor(maxError: number, confidence = GATE_CONFIDENCE): number {
  return Math.ceil(Math.log(1 - confidence) / Math.log(1 - maxError));
}

/**
 * The per-class gate from validation images' true labels and predicted probabilities (10 per image).
 * For each predicted class, scans confidences from the top down and keeps the lowest one at which the
 * images at or above it satisfy the bound.
 */
export function perClassGate(labels: Uint8Array, probabilities: Float32Array, maxError: number, auditShare = DEFAULT_AUDIT_SHARE): ReviewGate & { kind: 'per-class' } {
  if (!(maxError > 0 && maxError < 1)) throw new Error(`The accepted error rate must lie between 0% and 100%, got ${maxError * 100}%.`);
  const byClass: { confidence: number; right: boolean }[][] = Array.from({ length: CLASS_COUNT }, () => []);
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let c = 1; c < CLASS_COUNT; c++) if (probabilities[i * CLASS_COUNT + c] > probabilities[i * CLASS_COUNT + best]) best = c;
    byClass[best].push({ confidence: probabilities[i * CLASS_COUNT + best], right: labels[i] === best });
  }
  const minimum = minimumImagesFor(maxError);
  const classes: ClassGate[] = byClass.map((items) => {
    items.sort((a, b) => b.confidence - a.confidence);
    let threshold: number | null = null;
    let errors = 0;
    for (let m = 1; m <= items.length; m++) {
      if (!items[m - 1].right) errors++;
      // Only a cut between two different confidences is a threshold a photo can be held to.
      if (m < items.length && items[m].confidence === items[m - 1].confidence) continue;
      if (m >= minimum && clopperPearsonUpper(errors, m) <= maxError) threshold = items[m - 1].confidence;
    }
    return { threshold, validationImages: items.length };
  });
  let review = 0;
  for (const [c, items] of byClass.entries()) {
    const t = classes[c].threshold;
    review += t === null ? items.length : items.filter((item) => item.confidence < t).length;
  }
  return { kind: 'per-class', maxError, classes, expectedReviewShare: labels.length > 0 ? review / labels.length : 1, auditShare };
}

/** Why a photo must be reviewed under a gate (before the audit and unusual checks), or null when it passes. */
export function gateReason(gate: ReviewGate, predicted: number, confidence: number): 'low-confidence' | 'class-always-reviewed' | null {
  if (gate.kind === 'single') return confidence < gate.threshold ? 'low-confidence' : null;
  const threshold = gate.classes[predicted]?.threshold ?? null;
  if (threshold === null) return 'class-always-reviewed';
  return confidence < threshold ? 'low-confidence' : null;
}

/** How many of `passed` photos the audit takes: the share rounded up, at least one when any passed. */
export function auditSize(passed: number, share: number): number {
  if (passed === 0 || share <= 0) return 0;
  return Math.min(passed, Math.max(1, Math.ceil(passed * share)));
}

/** Picks `count` distinct positions out of `candidates` uniformly at random (partial Fisher–Yates). */
export function auditSample<T>(candidates: readonly T[], count: number, random: () => number = Math.random): T[] {
  const pool = [...candidates];
  const n = Math.min(count, pool.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, n);
}
