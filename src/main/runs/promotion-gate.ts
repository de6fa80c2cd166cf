/**
 * The promotion gate ("only if no worse"): a run that just finished becomes the active model only if it
 * is no worse than the active one. Pure decisions over counts; the counts come from `db/promotion.ts`,
 * and the decision is made and stored in the transaction that saves the run (see `active-run.ts`).
 */
import { CLASS_NAMES } from '../../shared/classes.ts';
import type { PairedOutcomes } from '../db/promotion.ts';

/** A class may lose at most this much recall (2 percentage points) against the active run. */
export const MAX_RECALL_LOSS = 0.02;
/** Significance level of the one-sided McNemar test for "significantly worse". */
export const MCNEMAR_ALPHA = 0.05;

/**
 * Exact one-sided McNemar test: the probability, if both runs were equally good, that of the
 * `b + c` images they disagree on the candidate would win `b` or fewer. Under that hypothesis each
 * disagreement is a fair coin, so this is the binomial(b + c, ½) lower tail. Small means "worse".
 */
export function mcnemarWorseP(candidateOnlyRight: number, activeOnlyRight: number): number {
  const b = candidateOnlyRight;
  const n = b + activeOnlyRight;
  if (n === 0) return 1;
  // Sum C(n, k) / 2^n for k ≤ b in log space: n runs to thousands, where 2^n overflows.
  let logTerm = -n * Math.LN2; // k = 0
  let logSum = logTerm;
  for (let k = 0; k < b; k++) {
    logTerm += Math.log((n - k) / (k + 1));
    const high = Math.max(logSum, logTerm);
    logSum = high + Math.log(Math.exp(logSum - high) + Math.exp(logTerm - high));
  }
  return Math.min(1, Math.exp(logSum));
}

export interface GateInput {
  candidateRunId: number;
  candidateAccuracy: number;
  /** The active run, or null when no model is active yet. */
  active: { runId: number; accuracy: number | null } | null;
  /** How both did on the test images both were scored on; null when there is no active run. */
  paired: PairedOutcomes | null;
}

export interface GateDecision {
  promoted: boolean;
  reason: string;
}

const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;

/** Decides whether a finished run replaces the active model, with the reason in a user's words. */
export function decidePromotion(input: GateInput): GateDecision {
  const { active, paired } = input;
  if (!active) return { promoted: true, reason: 'No model was active, so this run became the active model.' };
  const other = `run ${active.runId}`;
  if (active.accuracy !== null && input.candidateAccuracy < active.accuracy) {
    return { promoted: false, reason: `Not made active: its test accuracy ${pct(input.candidateAccuracy)} is below ${other}'s ${pct(active.accuracy)}.` };
  }
  if (!paired || paired.images === 0) {
    return {
      promoted: true,
      reason: `Made active: its test accuracy ${pct(input.candidateAccuracy)} is no lower than ${other}'s; the two share no scored test images, so per-class recall and significance could not be compared.`,
    };
  }
  let worst: { label: number; loss: number } | null = null;
  paired.support.forEach((n, label) => {
    if (n === 0) return;
    const loss = (paired.activeRight[label] - paired.candidateRight[label]) / n;
    if (loss > MAX_RECALL_LOSS + 1e-12 && (!worst || loss > worst.loss)) worst = { label, loss };
  });
  if (worst) {
    const { label, loss } = worst as { label: number; loss: number };
    const n = paired.support[label];
    return {
      promoted: false,
      reason: `Not made active: recall of ${CLASS_NAMES[label]} fell ${(loss * 100).toFixed(1)} points against ${other} (${pct(paired.activeRight[label] / n)} → ${pct(paired.candidateRight[label] / n)}); the gate allows at most ${MAX_RECALL_LOSS * 100}.`,
    };
  }
  const p = mcnemarWorseP(paired.candidateOnlyRight, paired.activeOnlyRight);
  const count = (n: number): string => n.toLocaleString('en-US');
  // Where the two runs disagree is what the test weighs; the images both got right or wrong do not count.
  const counts = `of the ${count(paired.images)} test images both were scored on, the two disagree on ${count(paired.candidateOnlyRight + paired.activeOnlyRight)}: this run got ${count(paired.candidateOnlyRight)} of them right, ${other} ${count(paired.activeOnlyRight)}`;
  if (p < MCNEMAR_ALPHA) {
    return { promoted: false, reason: `Not made active: it is significantly worse than ${other} (exact one-sided McNemar ${formatP(p)}, below ${MCNEMAR_ALPHA}): ${counts}.` };
  }
  return {
    promoted: true,
    reason: `Made active: test accuracy ${pct(input.candidateAccuracy)} against ${other}'s ${active.accuracy === null ? '—' : pct(active.accuracy)}, no class lost more than ${MAX_RECALL_LOSS * 100} points of recall, and it is not significantly worse (McNemar ${formatP(p)}; ${counts}).`,
  };
}

/** A p-value as people read one: "p = 0.028", and "p < 0.0001" rather than an exponent. */
function formatP(p: number): string {
  return p < 0.0001 ? 'p < 0.0001' : `p = ${p.toPrecision(2)}`;
}
