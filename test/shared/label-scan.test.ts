import { describe, expect, it } from 'vitest';
import { guidelineFor } from '../../src/shared/label-scan.ts';

const top = (...labels: number[]) => labels.map((label, i) => ({ label, probability: 0.5 - i / 10 }));

describe('which guideline card a photo gets', () => {
  // Ranked as a scan ranks them: Shirt ↔ T-shirt/top, Pullover ↔ Coat, Shirt ↔ Pullover.
  const cards = [
    { a: 0, b: 6, share: 0.03 },
    { a: 2, b: 4, share: 0.02 },
    { a: 2, b: 6, share: 0.01 },
  ];

  it('the pair of its two likeliest classes first, else the highest-ranked pair holding its predicted class', () => {
    expect(guidelineFor(cards, top(6, 2, 0))).toEqual(cards[2]);
    expect(guidelineFor(cards, top(6, 1, 0))).toEqual(cards[0]);
    expect(guidelineFor(cards, top(4, 9, 1))).toEqual(cards[1]);
  });

  it('the pair of its second class when its predicted class is in none, and none when neither class is', () => {
    expect(guidelineFor(cards, top(9, 4, 0))).toEqual(cards[1]);
    expect(guidelineFor(cards, top(9, 8, 0))).toBeNull();
    expect(guidelineFor([], top(0, 6))).toBeNull();
    expect(guidelineFor(cards, [])).toBeNull();
  });

  it('counts the second class only when the model gives it a real chance', () => {
    expect(guidelineFor(cards, [{ label: 8, probability: 1 }, { label: 0, probability: 0.0001 }])).toBeNull();
    expect(guidelineFor(cards, [{ label: 8, probability: 0.85 }, { label: 0, probability: 0.12 }])).toEqual(cards[0]);
    expect(guidelineFor(cards, [{ label: 6, probability: 0.95 }, { label: 2, probability: 0.04 }])).toEqual(cards[0]);
  });
});
