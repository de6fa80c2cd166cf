import { describe, expect, it } from 'vitest';
import { accuracyAndLoss, classMetrics, confusionMatrix, topConfusions } from '../../../src/main/ml/evaluate.ts';

describe('metrics', () => {
  const trueLabels = [6, 6, 6, 0, 0, 1];
  const predicted = [0, 0, 6, 0, 6, 1];

  it('counts true classes in rows and predictions in columns', () => {
    const m = confusionMatrix(trueLabels, predicted);
    expect(m[6][0]).toBe(2);
    expect(m[6][6]).toBe(1);
    expect(m[0][6]).toBe(1);
    expect(m.flat().reduce((a, b) => a + b, 0)).toBe(6);
  });

  it('computes precision, recall and F1 per class', () => {
    const metrics = classMetrics(confusionMatrix(trueLabels, predicted));
    // Shirt (6): 1 of 3 found; 1 of 2 predicted shirts right.
    expect(metrics[6]).toEqual({ precision: 0.5, recall: 1 / 3, f1: 0.4, support: 3 });
    expect(metrics[1]).toEqual({ precision: 1, recall: 1, f1: 1, support: 1 });
    expect(metrics[5]).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
  });

  it('lists the most confused pairs first', () => {
    expect(topConfusions(confusionMatrix(trueLabels, predicted))).toEqual([
      { trueLabel: 6, predicted: 0, count: 2 },
      { trueLabel: 0, predicted: 6, count: 1 },
    ]);
  });

  it('takes accuracy and cross-entropy from probabilities', () => {
    const probabilities = new Float32Array(20);
    probabilities.set([0.9, 0.1], 0); // image 0: class 0 at 0.9
    probabilities.set([0.2, 0.8], 10); // image 1: class 1 at 0.8
    const { accuracy, loss } = accuracyAndLoss(Uint8Array.from([0, 0]), probabilities);
    expect(accuracy).toBe(0.5);
    expect(loss).toBeCloseTo((-Math.log(0.9) - Math.log(0.2)) / 2, 6);
  });
});
