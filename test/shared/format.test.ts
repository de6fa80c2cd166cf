import { describe, expect, it } from 'vitest';
import { csvLine } from '../../src/shared/csv.ts';
import { percent } from '../../src/shared/format.ts';
import { FALLBACK_REVIEW_THRESHOLD, needsReview } from '../../src/shared/review.ts';

describe('shared presentation rules', () => {
  it('quotes a CSV field only when it holds a comma, a quote or a line break', () => {
    expect(csvLine(['a', 1, 'b,c', 'say "hi"', 'two\nlines', 'cr\r'])).toBe('a,1,"b,c","say ""hi""","two\nlines","cr\r"');
  });

  it('writes shares as percentages, and a missing one as a dash', () => {
    expect(percent(0.92524)).toBe('92.52%');
    expect(percent(0.92524, 1)).toBe('92.5%');
    expect(percent(null)).toBe('—');
  });

  it('sends to review only readable, undecided photos below the threshold', () => {
    const photo = { error: null, reviewed: false, confidence: 0.89 };
    expect(needsReview(photo, FALLBACK_REVIEW_THRESHOLD)).toBe(true);
    expect(needsReview({ ...photo, confidence: 0.9 }, FALLBACK_REVIEW_THRESHOLD)).toBe(false);
    expect(needsReview({ ...photo, reviewed: true }, FALLBACK_REVIEW_THRESHOLD)).toBe(false);
    expect(needsReview({ ...photo, error: 'unreadable', confidence: null }, FALLBACK_REVIEW_THRESHOLD)).toBe(false);
  });
});
