import { describe, expect, it } from 'vitest';
import { csvLine } from '../../src/shared/csv.ts';
import { percent } from '../../src/shared/format.ts';
import { finalLabel } from '../../src/shared/review.ts';

describe('shared presentation rules', () => {
  it('quotes a CSV field only when it holds a comma, a quote or a line break', () => {
    expect(csvLine(['a', 1, 'b,c', 'say "hi"', 'two\nlines', 'cr\r'])).toBe('a,1,"b,c","say ""hi""","two\nlines","cr\r"');
  });

  it('writes shares as percentages, and a missing one as a dash', () => {
    expect(percent(0.92524)).toBe('92.52%');
    expect(percent(0.92524, 1)).toBe('92.5%');
    expect(percent(null)).toBe('—');
  });

  it("a photo's class is the person's decision when there is one, else the model's", () => {
    expect(finalLabel({ label: null, predicted: 3 })).toBe(3);
    expect(finalLabel({ label: 1, predicted: 3 })).toBe(1);
    expect(finalLabel({ label: null, predicted: null })).toBe(null);
  });
});
