import { describe, expect, it } from 'vitest';
import { epochAt, epochTicks, fitAxis, niceStep } from '../../src/renderer/src/lib/chart-axis.ts';

describe('chart axes', () => {
  it('fits accuracy to the data instead of starting at 0', () => {
    const axis = fitAxis([0.812, 0.853, 0.871, 0.88], { bounds: [0, 1] });
    expect(axis).toEqual({ lo: 0.8, hi: 0.88, ticks: [0.8, 0.82, 0.84, 0.86, 0.88] });
    for (const v of [0.812, 0.88]) expect(v >= axis.lo && v <= axis.hi).toBe(true);
  });

  it('never leaves its bounds and gives a flat series some room', () => {
    expect(fitAxis([0.2, 0.99], { bounds: [0, 1] })).toMatchObject({ lo: 0.2, hi: 1 });
    const flat = fitAxis([0.9]);
    expect(flat.lo).toBeLessThan(0.9);
    expect(flat.hi).toBeGreaterThan(0.9);
    expect(fitAxis([])).toMatchObject({ lo: 0, hi: 1 });
  });

  it('steps are 1, 2, 2.5 or 5 times a power of ten', () => {
    expect(niceStep(0.068, 4)).toBeCloseTo(0.02);
    expect(niceStep(49, 10)).toBe(5);
    expect(niceStep(0.9, 4)).toBeCloseTo(0.25);
  });

  it('has a tick for each epoch, thinned to round numbers for long runs, always the last', () => {
    expect(epochTicks(1)).toEqual([1]);
    expect(epochTicks(7)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(epochTicks(50)).toEqual([1, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50]);
    expect(epochTicks(12)).toEqual([1, 2, 4, 6, 8, 10, 12]);
  });

  it('finds the epoch under the pointer', () => {
    expect(epochAt(0, 7)).toBe(1);
    expect(epochAt(0.49, 7)).toBe(4);
    expect(epochAt(1.3, 7)).toBe(7);
    expect(epochAt(-1, 7)).toBe(1);
    expect(epochAt(0.7, 1)).toBe(1);
  });
});
