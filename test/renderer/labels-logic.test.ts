import { describe, expect, it } from 'vitest';
import type { LabelScanSummary } from '../../src/shared/label-scan.ts';
import { afterResolving, scanFreshness, type IssueWithPixels } from '../../src/renderer/src/store/labels-slice.ts';

const issue = (imageId: number): IssueWithPixels => ({ imageId, rank: imageId, split: 'train', source: 's', label: 0, currentLabel: 0, suggestedLabel: 6, score: 0.1, confirmed: false, pixels: new Uint8Array(784) });

describe('label issue list logic', () => {
  it('an issue acted on leaves the list and the selection stays in place, moving back from the end', () => {
    const list = [issue(1), issue(2), issue(3)];
    expect(afterResolving(list, 1)).toMatchObject({ issues: [{ imageId: 1 }, { imageId: 3 }], selected: 1 });
    expect(afterResolving(list, 2)).toMatchObject({ issues: [{ imageId: 1 }, { imageId: 2 }], selected: 1 });
    expect(afterResolving([issue(1)], 0)).toEqual({ issues: [], selected: null });
  });

  it('says whether a scan is current or how many labels changed since', () => {
    const scan = { labelsChangedSince: 0 } as LabelScanSummary;
    expect(scanFreshness(scan)).toBe('current');
    expect(scanFreshness({ ...scan, labelsChangedSince: 1 })).toBe('out of date: 1 label changed since');
    expect(scanFreshness({ ...scan, labelsChangedSince: 1200 })).toBe('out of date: 1,200 labels changed since');
  });
});
