import { describe, expect, it } from 'vitest';
import {
  NO_SELECTION,
  actionTargets,
  afterDecision,
  keepShown,
  moveFocus,
  onArrival,
  selectAllShown,
  selectOne,
  selectRange,
  shownIndices,
  toggleOne,
} from '../../src/renderer/src/store/classify-selection.ts';
import type { ClassifiedPhoto } from '../../src/shared/types.ts';

const photo = (position: number, fields: Partial<ClassifiedPhoto> = {}): ClassifiedPhoto => ({
  photoId: position + 1,
  batchId: 'b',
  position,
  file: 'f',
  name: 'f',
  error: null,
  predicted: 0,
  confidence: 0.5,
  top3: [],
  pixels: null,
  background: 'light',
  label: null,
  decidedBy: 'model',
  reviewed: false,
  reviewReason: null,
  needsReview: false,
  unusual: false,
  audit: false,
  seenBefore: false,
  ...fields,
});

// 0 passed the gate, 1 needs review, 2 not arrived yet, 3 decided, 4 failed, 5 needs review (unusual).
const photos = [
  photo(0),
  photo(1, { needsReview: true, reviewReason: 'low-confidence' }),
  undefined,
  photo(3, { reviewed: true, decidedBy: 'corrected', label: 3 }),
  photo(4, { photoId: null, error: 'broken' }),
  photo(5, { needsReview: true, reviewReason: 'unusual', unusual: true }),
];

describe('what the filters show', () => {
  it('lists shown photos in batch order', () => {
    expect(shownIndices(photos, 'all')).toEqual([0, 1, 3, 4, 5]);
    expect(shownIndices(photos, 'review')).toEqual([1, 5]);
    expect(shownIndices(photos, 'done')).toEqual([3]);
    expect(shownIndices(photos, 'unusual')).toEqual([5]);
  });
});

describe('a key acts only on what the person can see and has selected', () => {
  it('does nothing with a selection the filter hides', () => {
    // Photo 0 was selected under "All"; the person switches to "Needs review" without the selection moving.
    expect(actionTargets(selectOne(0), photos, 'review')).toEqual([]);
    expect(actionTargets(selectOne(1), photos, 'review').map((p) => p.position)).toEqual([1]);
    expect(actionTargets(NO_SELECTION, photos, 'all')).toEqual([]);
    // A failed file has nothing to decide.
    expect(actionTargets(selectOne(4), photos, 'all')).toEqual([]);
  });

  it('moves the selection to a shown photo, or none, when the filter changes', () => {
    expect(keepShown(selectOne(0), shownIndices(photos, 'review'))).toEqual(selectOne(1));
    expect(keepShown(selectOne(5), shownIndices(photos, 'review'))).toEqual(selectOne(5));
    expect(keepShown(selectOne(0), [])).toEqual(NO_SELECTION);
    const many = selectAllShown(shownIndices(photos, 'all'));
    expect(keepShown(many, shownIndices(photos, 'review'))).toMatchObject({ selected: [1, 5], focus: 1 });
  });

  it('selects the first arriving result only when it is shown', () => {
    expect(onArrival(NO_SELECTION, photos, 'review', 0)).toEqual(NO_SELECTION);
    expect(onArrival(NO_SELECTION, photos, 'review', 1)).toEqual(selectOne(1));
    expect(onArrival(selectOne(1), photos, 'all', 0)).toEqual(selectOne(1));
  });
});

describe('selecting many', () => {
  it('takes a shift-click range of shown photos, Ctrl-click toggles, Ctrl+A takes the filter', () => {
    const shown = shownIndices(photos, 'all');
    expect(selectRange(selectOne(1), 5, shown).selected).toEqual([1, 3, 4, 5]);
    expect(toggleOne(selectOne(1), 3).selected).toEqual([1, 3]);
    expect(toggleOne({ focus: 3, selected: [1, 3], anchor: 3 }, 3).selected).toEqual([1]);
    expect(selectAllShown(shownIndices(photos, 'review')).selected).toEqual([1, 5]);
  });
});

describe('moving', () => {
  it('follows the arrow keys within what is shown', () => {
    const shown = shownIndices(photos, 'all');
    expect(moveFocus(selectOne(1), shown, 1)).toEqual(selectOne(3));
    expect(moveFocus(selectOne(5), shown, 1)).toEqual(selectOne(5));
    expect(moveFocus(NO_SELECTION, shown, -1)).toEqual(selectOne(5));
  });

  it('goes to the next photo needing review after a decision, within the filter', () => {
    const decided = photos.map((p, i) => (i === 1 ? { ...p!, needsReview: false, reviewed: true } : p));
    expect(afterDecision(decided, 'review', [1])).toEqual(selectOne(5));
    expect(afterDecision(decided, 'all', [1])).toEqual(selectOne(5));
    const allDone = decided.map((p, i) => (i === 5 ? { ...p!, needsReview: false, reviewed: true } : p));
    expect(afterDecision(allDone, 'review', [5])).toEqual(NO_SELECTION);
  });
});
