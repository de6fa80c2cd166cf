import { describe, expect, it } from 'vitest';
import { auditSample, auditSize, clopperPearsonUpper, gateReason, minimumImagesFor, perClassGate, regularizedBeta } from '../../../src/main/classify/review-gate.ts';

describe('clopperPearsonUpper', () => {
  it('matches closed forms and published values', () => {
    // No errors: 1 − 0.05^(1/n).
    expect(clopperPearsonUpper(0, 10)).toBeCloseTo(0.258866, 5);
    expect(clopperPearsonUpper(0, 299)).toBeCloseTo(1 - Math.pow(0.05, 1 / 299), 8);
    // One success short of all errors: 0.95^(1/n).
    expect(clopperPearsonUpper(9, 10)).toBeCloseTo(Math.pow(0.95, 1 / 10), 6);
    // Published exact (Clopper–Pearson) 90% two-sided limits, i.e. 95% one-sided upper bounds:
    // 2 of 20 → 0.2826 (Agresti & Coull 1998, table); 1 of 10 → 0.3942; 5 of 100 → 0.1023.
    expect(clopperPearsonUpper(2, 20)).toBeCloseTo(0.2826, 3);
    expect(clopperPearsonUpper(1, 10)).toBeCloseTo(0.3942, 3);
    expect(clopperPearsonUpper(5, 100)).toBeCloseTo(0.1023, 3);
    expect(clopperPearsonUpper(4, 4)).toBe(1);
  });

  it('agrees with the binomial tail it inverts', () => {
    // P(X ≤ k) at p = upper bound is 1 − 0.95.
    const n = 50;
    const k = 3;
    const p = clopperPearsonUpper(k, n);
    let tail = 0;
    let term = Math.pow(1 - p, n);
    for (let i = 0; i <= k; i++) {
      tail += term;
      term *= ((n - i) / (i + 1)) * (p / (1 - p));
    }
    expect(tail).toBeCloseTo(0.05, 6);
    expect(regularizedBeta(0.5, 2, 2)).toBeCloseTo(0.5, 10);
  });

  it('refuses impossible counts', () => {
    expect(() => clopperPearsonUpper(3, 2)).toThrow(/0 ≤ errors ≤ trials/);
  });
});

/** Validation data: `n` images predicted as `cls`, with confidences from 1 down, the `wrongAt` ones wrong. */
function validation(parts: { cls: number; n: number; wrongAt?: number[] }[]): { labels: Uint8Array; probabilities: Float32Array } {
  const total = parts.reduce((s, p) => s + p.n, 0);
  const labels = new Uint8Array(total);
  const probabilities = new Float32Array(total * 10);
  let i = 0;
  for (const { cls, n, wrongAt = [] } of parts) {
    for (let k = 0; k < n; k++, i++) {
      const confidence = 0.999 - (0.45 * k) / n;
      probabilities[i * 10 + cls] = confidence;
      probabilities[i * 10 + ((cls + 1) % 10)] = 1 - confidence;
      labels[i] = wrongAt.includes(k) ? (cls + 1) % 10 : cls;
    }
  }
  return { labels, probabilities };
}

describe('perClassGate', () => {
  it('sets each class at the lowest confidence whose bound is within the accepted rate', () => {
    // Class 0: 1000 images, no errors in the top 600, then errors every 10th.
    const wrong = Array.from({ length: 40 }, (_, j) => 600 + j * 10);
    const { labels, probabilities } = validation([{ cls: 0, n: 1000, wrongAt: wrong }, { cls: 1, n: 100 }]);
    const gate = perClassGate(labels, probabilities, 0.01);
    const t0 = gate.classes[0].threshold!;
    // Must include at least the 299 images needed; the errors from 600 on push the bound over 1% soon after.
    const passed = Array.from({ length: 1000 }, (_, k) => 0.999 - (0.45 * k) / 1000).filter((c) => c >= t0 - 1e-7).length;
    expect(passed).toBeGreaterThanOrEqual(minimumImagesFor(0.01));
    let errors = wrong.filter((k) => k < passed).length;
    expect(clopperPearsonUpper(errors, passed)).toBeLessThanOrEqual(0.01);
    // One more image down would break the bound or is not a cut.
    errors = wrong.filter((k) => k < passed + 30).length;
    expect(clopperPearsonUpper(errors, passed + 30)).toBeGreaterThan(0.01);
    // Class 1 has only 100 validation images: it always goes to review; classes never predicted too.
    expect(gate.classes[1]).toEqual({ threshold: null, validationImages: 100 });
    expect(gate.classes[5].threshold).toBeNull();
    expect(gate.expectedReviewShare).toBeCloseTo((1000 - passed + 100) / 1100, 6);
  });

  it('gates more photos when the person accepts fewer errors', () => {
    const { labels, probabilities } = validation([{ cls: 3, n: 5000, wrongAt: Array.from({ length: 100 }, (_, j) => 2500 + j * 25) }]);
    const loose = perClassGate(labels, probabilities, 0.05);
    const strict = perClassGate(labels, probabilities, 0.005);
    expect(loose.classes[3].threshold!).toBeLessThan(strict.classes[3].threshold!);
    expect(loose.expectedReviewShare).toBeLessThan(strict.expectedReviewShare);
  });

  it('names the reason a photo goes to review', () => {
    const gate = { kind: 'per-class' as const, maxError: 0.01, auditShare: 0.02, expectedReviewShare: 0.3, classes: Array.from({ length: 10 }, (_, c) => ({ threshold: c === 2 ? null : 0.9, validationImages: 500 })) };
    expect(gateReason(gate, 0, 0.95)).toBeNull();
    expect(gateReason(gate, 0, 0.85)).toBe('low-confidence');
    expect(gateReason(gate, 2, 0.9999)).toBe('class-always-reviewed');
    expect(gateReason({ kind: 'single', threshold: 0.8, auditShare: 0.02 }, 2, 0.81)).toBeNull();
  });
});

describe('audit sample', () => {
  it('takes the share rounded up, at least one, distinct photos', () => {
    expect(auditSize(0, 0.02)).toBe(0);
    expect(auditSize(3, 0.02)).toBe(1);
    expect(auditSize(100, 0.02)).toBe(2);
    expect(auditSize(101, 0.02)).toBe(3);
    const sample = auditSample(Array.from({ length: 50 }, (_, i) => i), 5);
    expect(new Set(sample).size).toBe(5);
  });
});
