/**
 * Photos people classified (`photos`): what the model saw (28×28 pixels), what it said, why it needs
 * review, and what a person decided. A decided photo links to the training image it became (`image_id`).
 */
import type { DecidedBy, ReviewReason } from '../../shared/types.ts';
import type { Db } from './connection.ts';

/** A photo row as stored. */
export interface PhotoRow {
  id: number;
  batch_id: string;
  position: number;
  file: string;
  name: string;
  pixels: Buffer;
  background: 'light' | 'dark';
  predicted: number;
  confidence: number;
  probabilities: Buffer;
  label: number | null;
  decided_by: DecidedBy;
  reviewed_at: string | null;
  image_id: number | null;
  run_id: number | null;
  review_reason: ReviewReason | null;
  unusual: number;
  feature_distance: number | null;
  audit: number;
  seen_before: number;
  moved_to: string | null;
  sha256: string | null;
}

/** The columns a `PhotoRow` holds (not `classified_at`, which nothing reads back). */
const PHOTO_COLUMNS =
  'id, batch_id, position, file, name, pixels, background, predicted, confidence, probabilities, label, decided_by, reviewed_at, image_id, run_id, review_reason, unusual, feature_distance, audit, seen_before, moved_to, sha256';

/** Inserts a classified photo and returns its row. */
export function insertPhoto(
  db: Db,
  p: Omit<PhotoRow, 'id' | 'reviewed_at' | 'image_id' | 'moved_to' | 'audit'> & { classified_at: string; image_id: number | null; reviewed_at: string | null },
): PhotoRow {
  return db
    .prepare(
      `INSERT INTO photos (batch_id, position, file, name, classified_at, run_id, pixels, background, predicted, confidence, probabilities, label, decided_by, reviewed_at, image_id, review_reason, unusual, feature_distance, seen_before, sha256)
       VALUES (@batch_id, @position, @file, @name, @classified_at, @run_id, @pixels, @background, @predicted, @confidence, @probabilities, @label, @decided_by, @reviewed_at, @image_id, @review_reason, @unusual, @feature_distance, @seen_before, @sha256) RETURNING *`,
    )
    .get(p) as PhotoRow;
}

export function getPhoto(db: Db, photoId: number): PhotoRow | undefined {
  return db.prepare('SELECT * FROM photos WHERE id = ?').get(photoId) as PhotoRow | undefined;
}

export function batchPhotoRows(db: Db, batchId: string): PhotoRow[] {
  return db.prepare(`SELECT ${PHOTO_COLUMNS} FROM photos WHERE batch_id = ? ORDER BY position, id`).all(batchId) as PhotoRow[];
}

/** Marks photos as part of the batch's audit sample (they go to review although they passed the gate). */
export function markAudit(db: Db, photoIds: readonly number[]): void {
  const mark = db.prepare("UPDATE photos SET audit = 1, review_reason = COALESCE(review_reason, 'audit') WHERE id = ?");
  for (const id of photoIds) mark.run(id);
}

/** The latest decision a person made on a file with these bytes, in any batch; null when none. */
export function latestHumanDecision(db: Db, sha256: string): { label: number; decidedBy: DecidedBy; imageId: number | null } | null {
  const row = db
    .prepare("SELECT label, decided_by, image_id FROM photos WHERE sha256 = ? AND decided_by != 'model' AND label IS NOT NULL ORDER BY reviewed_at DESC, id DESC LIMIT 1")
    .get(sha256) as { label: number; decided_by: DecidedBy; image_id: number | null } | undefined;
  return row ? { label: row.label, decidedBy: row.decided_by, imageId: row.image_id } : null;
}

/** Sets a photo's decision fields. */
export function setPhotoDecision(db: Db, photoId: number, d: { label: number | null; decidedBy: DecidedBy; reviewedAt: string | null; imageId: number | null }): void {
  db.prepare('UPDATE photos SET label = ?, decided_by = ?, reviewed_at = ?, image_id = ?, seen_before = 0 WHERE id = ?').run(d.label, d.decidedBy, d.reviewedAt, d.imageId, photoId);
}

/** Other photos linked to this training image (a removed image must not be removed under them). */
export function photosUsingImage(db: Db, imageId: number, exceptPhotoId: number): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM photos WHERE image_id = ? AND id != ?').get(imageId, exceptPhotoId) as { n: number }).n;
}
