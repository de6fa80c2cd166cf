import { describe, expect, it } from 'vitest';
import { filteredIndices, needsReview, nextAfterDecision } from '../../src/renderer/src/store/classify-slice.ts';
import type { ClassifiedPhoto } from '../../src/shared/types.ts';

const photo = (fields: Partial<ClassifiedPhoto>): ClassifiedPhoto => ({
  photoId: 1,
  batchId: 'b',
  file: 'f',
  name: 'f',
  error: null,
  predicted: 0,
  confidence: 0.5,
  top3: [],
  pixels: null,
  background: 'light',
  label: null,
  reviewed: false,
  needsReview: false,
  position: 0,
  decidedBy: 'model',
  reviewReason: null,
  unusual: false,
  audit: false,
  seenBefore: false,
  ...fields,
});

describe('the review queue', () => {
  const results = [photo({ confidence: 0.95 }), photo({ confidence: 0.6 }), undefined, photo({ confidence: 0.4, reviewed: true, label: 3 }), photo({ error: 'broken', confidence: null })];

  it('holds undecided photos under the threshold, and follows the threshold', () => {
    expect(results.map((p) => (p ? needsReview(p, 0.9) : null))).toEqual([false, true, null, false, false]);
    expect(filteredIndices(results, 'review', 0.9)).toEqual([1]);
    expect(filteredIndices(results, 'review', 0.99)).toEqual([0, 1]);
    expect(filteredIndices(results, 'done', 0.9)).toEqual([3]);
    expect(filteredIndices(results, 'all', 0.9)).toEqual([0, 1, 3, 4]);
  });

  it('moves to the next photo needing review after a decision', () => {
    expect(nextAfterDecision(results, 0, 0.9)).toBe(1);
    expect(nextAfterDecision(results, 1, 0.9)).toBe(2);
  });
});
