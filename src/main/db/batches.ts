/**
 * Stored classification batches: the batch, its photos with what the model said and what a person
 * decided, the files that failed, the history of decisions (the undo stack), and where it was sorted.
 */
import { batchName } from '../../shared/batch-name.ts';
import type { BatchSummary, DecidedBy, ReviewGate } from '../../shared/types.ts';
import type { Db } from './connection.ts';

export interface FailureRow {
  batch_id: string;
  position: number;
  file: string;
  name: string;
  error: string;
}

interface BatchRow {
  id: string;
  run_id: number | null;
  created_at: string;
  opened_at: string;
  total: number;
  upload_dir: string | null;
  gate: string;
  state: BatchSummary['state'];
  error: string | null;
  sorted_into: string | null;
  sorted_at: string | null;
  sorted_moved: number;
  name: string | null;
}

/** Records a new batch before its first photo is classified. */
export function insertBatch(db: Db, batch: { batchId: string; runId: number | null; total: number; gate: ReviewGate; uploadDir: string | null; name?: string | null }, now: Date): void {
  db.prepare('INSERT INTO batches (id, run_id, created_at, opened_at, total, upload_dir, gate, name) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
    batch.batchId,
    batch.runId,
    now.toISOString(),
    now.toISOString(),
    batch.total,
    batch.uploadDir,
    JSON.stringify(batch.gate),
    batch.name ?? null,
  );
}

/** Sets where an uploaded batch's files are kept, so that deleting the batch removes them. */
export function setBatchUploadDir(db: Db, batchId: string, dir: string): void {
  db.prepare('UPDATE batches SET upload_dir = ? WHERE id = ?').run(dir, batchId);
}

/** Records how classifying the batch ended. */
export function finishBatchRow(db: Db, batchId: string, state: BatchSummary['state'], error: string | null): void {
  db.prepare('UPDATE batches SET state = ?, error = ? WHERE id = ?').run(state, error, batchId);
}

export function insertFailure(db: Db, f: FailureRow): void {
  db.prepare('INSERT OR REPLACE INTO batch_failures (batch_id, position, file, name, error) VALUES (?, ?, ?, ?, ?)').run(f.batch_id, f.position, f.file, f.name, f.error);
}

export function batchFailureRows(db: Db, batchId: string): FailureRow[] {
  return db.prepare('SELECT * FROM batch_failures WHERE batch_id = ? ORDER BY position').all(batchId) as FailureRow[];
}

export interface DecisionRow {
  id: number;
  photo_id: number;
  batch_id: string;
  decided_at: string;
  old_label: number | null;
  old_decided_by: DecidedBy;
  new_label: number;
  new_decided_by: DecidedBy;
  image_id: number | null;
  created_image: number;
  undone_at: string | null;
  note: string | null;
}

export function insertDecision(db: Db, d: Omit<DecisionRow, 'id' | 'undone_at' | 'note'>): number {
  return Number(
    db
      .prepare('INSERT INTO photo_decisions (photo_id, batch_id, decided_at, old_label, old_decided_by, new_label, new_decided_by, image_id, created_image) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(d.photo_id, d.batch_id, d.decided_at, d.old_label, d.old_decided_by, d.new_label, d.new_decided_by, d.image_id, d.created_image).lastInsertRowid,
  );
}

/** The batch's latest decision not yet undone: the top of its undo stack. */
export function lastOpenDecision(db: Db, batchId: string): DecisionRow | undefined {
  return db.prepare('SELECT * FROM photo_decisions WHERE batch_id = ? AND undone_at IS NULL ORDER BY id DESC LIMIT 1').get(batchId) as DecisionRow | undefined;
}

export function markDecisionUndone(db: Db, decisionId: number, now: Date, note: string): void {
  db.prepare('UPDATE photo_decisions SET undone_at = ?, note = ? WHERE id = ?').run(now.toISOString(), note, decisionId);
}

export function decisionHistory(db: Db, batchId: string): DecisionRow[] {
  return db.prepare('SELECT * FROM photo_decisions WHERE batch_id = ? ORDER BY id').all(batchId) as DecisionRow[];
}

export function deleteImage(db: Db, imageId: number): void {
  db.prepare('DELETE FROM images WHERE id = ?').run(imageId);
}

// One pass over each batch's photos (photos_by_batch) instead of a subquery per count.
const SUMMARY_SQL = `
  SELECT b.*,
    COALESCE(p.classified, 0) AS classified,
    (SELECT COUNT(*) FROM batch_failures f WHERE f.batch_id = b.id) AS failed,
    COALESCE(p.need_review, 0) AS need_review,
    COALESCE(p.decided, 0) AS decided,
    COALESCE(p.audit_size, 0) AS audit_size,
    COALESCE(p.audit_checked, 0) AS audit_checked,
    COALESCE(p.audit_wrong, 0) AS audit_wrong,
    CASE WHEN b.name IS NULL THEN (SELECT q.name FROM photos q WHERE q.batch_id = b.id ORDER BY q.position LIMIT 1) END AS first_photo
  FROM batches b LEFT JOIN (
    SELECT batch_id,
      COUNT(*) AS classified,
      SUM(decided_by = 'model' AND review_reason IS NOT NULL) AS need_review,
      SUM(decided_by != 'model') AS decided,
      SUM(audit = 1) AS audit_size,
      SUM(audit = 1 AND decided_by != 'model') AS audit_checked,
      SUM(audit = 1 AND decided_by = 'corrected') AS audit_wrong
    FROM photos GROUP BY batch_id
  ) p ON p.batch_id = b.id`;

type SummaryRow = BatchRow & { classified: number; failed: number; need_review: number; decided: number; audit_size: number; audit_checked: number; audit_wrong: number; first_photo: string | null };

function toSummary(r: SummaryRow): BatchSummary {
  return {
    batchId: r.id,
    // Batches stored before they had names are named by their first photo.
    name: r.name ?? batchName(r.first_photo === null ? [] : [{ name: r.first_photo, folder: false }], r.total),
    runId: r.run_id,
    createdAt: r.created_at,
    openedAt: r.opened_at,
    total: r.total,
    classified: r.classified,
    failed: r.failed,
    needReview: r.need_review,
    decided: r.decided,
    state: r.state,
    error: r.error,
    sortedInto: r.sorted_into,
    sortedAt: r.sorted_at,
    moved: r.sorted_moved === 1,
    audit: { size: r.audit_size, checked: r.audit_checked, wrong: r.audit_wrong },
  };
}

/**
 * Every stored batch, newest first: the order of the dates the list shows, which opening a batch does
 * not change (a list that reordered itself on a click lost the person's place).
 */
export function listBatchSummaries(db: Db): BatchSummary[] {
  return (db.prepare(`${SUMMARY_SQL} ORDER BY b.created_at DESC, b.rowid DESC`).all() as SummaryRow[]).map(toSummary);
}

export function batchSummary(db: Db, batchId: string): BatchSummary | null {
  // Filtering inside the grouped subquery keeps one batch's summary from counting every batch.
  const row = db.prepare(SUMMARY_SQL.replace('FROM photos GROUP BY batch_id', 'FROM photos WHERE batch_id = ? GROUP BY batch_id') + ' WHERE b.id = ?').get(batchId, batchId) as SummaryRow | undefined;
  return row ? toSummary(row) : null;
}

/** The batch's gate as stored, and where its uploads live. */
export function batchRecord(db: Db, batchId: string): { gate: ReviewGate; uploadDir: string | null; runId: number | null } | null {
  const row = db.prepare('SELECT gate, upload_dir, run_id FROM batches WHERE id = ?').get(batchId) as { gate: string; upload_dir: string | null; run_id: number | null } | undefined;
  return row ? { gate: JSON.parse(row.gate) as ReviewGate, uploadDir: row.upload_dir, runId: row.run_id } : null;
}

export function touchBatch(db: Db, batchId: string, now: Date): void {
  db.prepare('UPDATE batches SET opened_at = ? WHERE id = ?').run(now.toISOString(), batchId);
}

/** Deletes a batch, its photos and their decision history (training images made from them stay). */
export function deleteBatchRows(db: Db, batchId: string): void {
  db.transaction(() => {
    db.prepare('DELETE FROM photos WHERE batch_id = ?').run(batchId);
    db.prepare('DELETE FROM photo_decisions WHERE batch_id = ?').run(batchId);
    db.prepare('DELETE FROM batches WHERE id = ?').run(batchId);
  })();
}

/** Batches last opened before `cutoff`, with their upload folders. */
export function batchesOpenedBefore(db: Db, cutoff: Date): { batchId: string; uploadDir: string | null }[] {
  return (db.prepare('SELECT id, upload_dir FROM batches WHERE opened_at < ?').all(cutoff.toISOString()) as { id: string; upload_dir: string | null }[]).map((r) => ({
    batchId: r.id,
    uploadDir: r.upload_dir,
  }));
}

/** Records a sort: the target, and for a move, where each photo went (its original is gone). */
export function recordSort(db: Db, batchId: string, target: string, moved: boolean, movedTo: readonly { photoId: number; to: string }[], now: Date): void {
  db.transaction(() => {
    db.prepare('UPDATE batches SET sorted_into = ?, sorted_at = ?, sorted_moved = MAX(sorted_moved, ?) WHERE id = ?').run(target, now.toISOString(), moved ? 1 : 0, batchId);
    db.prepare('INSERT INTO batch_sorts (batch_id, target, moved, sorted_at) VALUES (?, ?, ?, ?)').run(batchId, target, moved ? 1 : 0, now.toISOString());
    const set = db.prepare('UPDATE photos SET moved_to = ? WHERE id = ?');
    for (const m of movedTo) set.run(m.to, m.photoId);
  })();
}

/** Every target a batch was sorted into, from its sort log. */
export function batchSortTargets(db: Db, batchId: string): string[] {
  return (db.prepare('SELECT DISTINCT target FROM batch_sorts WHERE batch_id = ? ORDER BY id').all(batchId) as { target: string }[]).map((r) => r.target);
}

/** The latest recorded label change of a training image. */
export function lastLabelChange(db: Db, imageId: number): { old_label: number; new_label: number; changed_at: string; origin: string } | undefined {
  return db.prepare('SELECT old_label, new_label, changed_at, origin FROM label_changes WHERE image_id = ? ORDER BY id DESC LIMIT 1').get(imageId) as
    | { old_label: number; new_label: number; changed_at: string; origin: string }
    | undefined;
}

/** How many photos of this batch (by their bytes) were already sorted into `target`, by this batch or another. */
export function photosAlreadySortedInto(db: Db, batchId: string, target: string): number {
  const sql = `SELECT COUNT(*) AS n FROM photos p WHERE p.batch_id = ? AND p.moved_to IS NULL AND (
      EXISTS (SELECT 1 FROM batch_sorts s WHERE s.batch_id = p.batch_id AND s.target = ?)
      OR p.sha256 IN (SELECT q.sha256 FROM photos q JOIN batch_sorts s ON s.batch_id = q.batch_id WHERE s.target = ? AND q.sha256 IS NOT NULL))`;
  return (db.prepare(sql).get(batchId, target, target) as { n: number }).n;
}

/** The upload folders stored batches name: their photos stay as long as the batch does. */
export function storedUploadFolders(db: Db): string[] {
  return (db.prepare('SELECT upload_dir FROM batches WHERE upload_dir IS NOT NULL').all() as { upload_dir: string }[]).map((r) => r.upload_dir);
}
