import { describe, expect, it } from 'vitest';
import { EtaEstimator, type EtaPlan } from '../../../src/main/ml/eta.ts';

const plan: EtaPlan = { epochs: 7, batchesPerEpoch: 100, batchSize: 64, validationImages: 6000, evaluationImages: 76_000 };

interface Timing {
  /** Slow first batches: compilation and warm caches. */
  warmupBatches: number;
  warmupSeconds: number;
  step: number;
  /** Forward-pass seconds per image (validation and the final evaluation). */
  forward: number;
}

/** Replays a run with the given timing; returns the estimator and the true end of the job. */
function replay(timing: Timing, stopAfterBatches: number): { eta: EtaEstimator; now: number; trueRemaining: number } {
  const eta = new EtaEstimator(plan);
  let t = 0;
  let now = 0;
  let seen = 0;
  for (let epoch = 0; epoch < plan.epochs; epoch++) {
    for (let batch = 1; batch <= plan.batchesPerEpoch; batch++) {
      t += seen < timing.warmupBatches ? timing.warmupSeconds : timing.step;
      seen++;
      if (seen <= stopAfterBatches) {
        eta.recordBatch(epoch, batch, t);
        now = t;
      }
    }
    t += plan.validationImages * timing.forward;
  }
  const end = t + plan.evaluationImages * timing.forward;
  return { eta, now, trueRemaining: end - now };
}

const steady: Timing = { warmupBatches: 5, warmupSeconds: 2, step: 0.1, forward: 0.1 / 64 / 3 };

describe('training ETA', () => {
  it('gives no estimate before 2% of the batches', () => {
    const { eta, now } = replay(steady, 13);
    expect(eta.remainingSeconds(now)).toBeNull();
  });

  it('leaves slow warm-up batches out of the first estimate and counts validation and evaluation', () => {
    const { eta, now, trueRemaining } = replay(steady, 14);
    const estimate = eta.remainingSeconds(now)!;
    // Elapsed time over batches done would say 534 s; leaving out the 61 s of forward passes would say 69 s.
    expect(estimate / trueRemaining).toBeGreaterThan(0.9);
    expect(estimate / trueRemaining).toBeLessThan(1.1);
  });

  it('measures forward passes from the pause between epochs once there is one', () => {
    // Forward passes four times slower than a third of a step: the first estimate is off, the one after epoch 1 is not.
    const slowForward = { ...steady, forward: (4 * 0.1) / 64 / 3 };
    const first = replay(slowForward, 14);
    expect(first.eta.remainingSeconds(first.now)! / first.trueRemaining).toBeLessThan(0.75);
    const later = replay(slowForward, 101);
    const ratio = later.eta.remainingSeconds(later.now)! / later.trueRemaining;
    expect(ratio).toBeGreaterThan(0.95);
    expect(ratio).toBeLessThan(1.05);
  });

  it('counts down through the final evaluation', () => {
    const { eta, now } = replay(steady, 700);
    eta.startEvaluation(now + 3);
    const atStart = eta.remainingSeconds(now + 3)!;
    expect(atStart).toBeCloseTo(76_000 * steady.forward, 0);
    expect(eta.remainingSeconds(now + 13)).toBeCloseTo(atStart - 10, 5);
    expect(eta.remainingSeconds(now + 1e6)).toBe(0);
  });
});
