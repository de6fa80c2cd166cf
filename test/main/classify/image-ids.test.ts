/**
 * A training image removed by undo keeps its id to itself: the undo's history note names it, so the next
 * image must get another id (SQLite reuses the largest freed rowid unless the table has AUTOINCREMENT).
 */
import { describe, expect, it } from 'vitest';
import { decidePhotos, undoLastDecisions } from '../../../src/main/classify/decisions.ts';
import { decisionHistory, insertBatch } from '../../../src/main/db/batches.ts';
import { imageExists } from '../../../src/main/db/datasets.ts';
import { insertPhoto } from '../../../src/main/db/photos.ts';
import { tempWorkspace } from '../../helpers.ts';

const BATCH = '00000000-0000-4000-8000-0000000000bb';

describe('training image ids after undo', () => {
  it('an image made by a decision and removed by its undo: the next image gets a new id, and the note still names the removed one', () => {
    const { db } = tempWorkspace();
    insertBatch(db, { batchId: BATCH, runId: null, total: 2, gate: { kind: 'single', threshold: 0.9, auditShare: 0 }, uploadDir: null }, new Date());
    const photo = (position: number) =>
      insertPhoto(db, {
        batch_id: BATCH,
        position,
        file: `/photos/p${position}.jpg`,
        name: `p${position}.jpg`,
        classified_at: new Date().toISOString(),
        run_id: null,
        // Different pixels: each decision makes its own training image.
        pixels: Buffer.alloc(784, 10 + position),
        background: 'light',
        predicted: 3,
        confidence: 0.6,
        probabilities: Buffer.alloc(40),
        label: null,
        decided_by: 'model',
        reviewed_at: null,
        image_id: null,
        review_reason: 'low-confidence',
        unusual: 0,
        feature_distance: null,
        seen_before: 0,
        sha256: null,
      }).id;
    const [first, second] = [photo(0), photo(1)];

    const [decided] = decidePhotos(db, [first], 4, new Date('2026-01-01T10:00:00Z'));
    const removedId = (db.prepare('SELECT image_id FROM photos WHERE id = ?').get(first) as { image_id: number }).image_id;
    expect(decided.decidedBy).toBe('corrected');
    undoLastDecisions(db, BATCH, new Date('2026-01-01T10:01:00Z'));
    expect(imageExists(db, removedId)).toBe(false);

    decidePhotos(db, [second], 5, new Date('2026-01-01T10:02:00Z'));
    const nextId = (db.prepare('SELECT image_id FROM photos WHERE id = ?').get(second) as { image_id: number }).image_id;
    expect(nextId).not.toBe(removedId);
    expect(nextId).toBeGreaterThan(removedId);
    // The undo's note points at an image that no longer exists, never at the new one.
    const undone = decisionHistory(db, BATCH).find((d) => d.undone_at !== null)!;
    expect(undone.note).toBe(`removed training image ${removedId}`);
    expect(imageExists(db, removedId)).toBe(false);
  });
});
