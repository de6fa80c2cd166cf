/**
 * Label scans in the workspace: the scan, what it saw and found per image, near-duplicate pairs, and
 * labels people confirmed. A scan remembers the label state it saw (each image's label and the last
 * label change), so it can say how many labels changed since.
 */
import { AppError } from '../../shared/errors.ts';
import type { LabelIssue, LabelScanResults, LabelScanSettings, LabelScanStatus, LabelScanSummary } from '../../shared/label-scan.ts';
import type { Split } from '../../shared/types.ts';
import type { Db } from './connection.ts';

/** Label changes made by acting on a scan's issues carry this origin; they do not make the scan out of date. */
export const SCAN_ORIGIN = 'scan';

interface ScanRow {
  id: number;
  dataset_id: number;
  settings: string;
  status: LabelScanStatus;
  error: string | null;
  backend: string | null;
  created_at: string;
  finished_at: string | null;
  seconds: number | null;
  images: number | null;
  issues: number | null;
  results: string | null;
  last_change_id: number;
}

/** The id of the newest label change, or 0: the label state a scan starting now sees. */
export function lastLabelChangeId(db: Db): number {
  return (db.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM label_changes').get() as { id: number }).id;
}

/** Records a scan that is starting; returns its id. */
export function createScan(db: Db, datasetId: number, settings: LabelScanSettings, now: Date): number {
  return Number(
    db.prepare("INSERT INTO label_scans (dataset_id, settings, status, created_at) VALUES (?, ?, 'running', ?)").run(datasetId, JSON.stringify(settings), now.toISOString())
      .lastInsertRowid,
  );
}

/** Ends a scan that did not succeed. */
export function endScan(db: Db, scanId: number, status: 'failed' | 'cancelled', error: string | null, now: Date): void {
  db.prepare("UPDATE label_scans SET status = ?, error = ?, finished_at = ? WHERE id = ? AND status = 'running'").run(status, error, now.toISOString(), scanId);
}

/** Everything a finished scan stores, per image in the order of `imageIds`. */
export interface ScanOutcome {
  backend: string;
  seconds: number;
  lastChangeId: number;
  results: LabelScanResults;
  /** Every image of the dataset: the labeled ones the scan judged, then the others it only embedded. */
  imageIds: Int32Array;
  labels: Uint8Array;
  /** How many of the first images were judged (have probabilities, quality and folds). */
  judged: number;
  fold: Uint8Array;
  probabilities: Float32Array;
  quality: Float64Array;
  suggested: Uint8Array;
  /** 1-based rank among issues for each judged image, 0 when it is not an issue. */
  issueRank: Int32Array;
  outlierScore: Float64Array | null;
  embeddings: Float32Array;
  embeddingSize: number;
  duplicates: { imageA: number; imageB: number; distance: number; kind: 'leakage' | 'different-labels' }[];
}

/** Stores a scan's results and marks it succeeded, all in one transaction. */
export function completeScan(db: Db, scanId: number, outcome: ScanOutcome, now: Date): void {
  const insert = db.prepare(
    'INSERT INTO label_scan_images (scan_id, image_id, label, fold, probabilities, quality, suggested, issue_rank, outlier_score, embedding) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const size = outcome.embeddingSize;
  const issues = outcome.issueRank.reduce((n, r) => n + (r > 0 ? 1 : 0), 0);
  db.transaction(() => {
    for (let i = 0; i < outcome.imageIds.length; i++) {
      const judged = i < outcome.judged;
      insert.run(
        scanId,
        outcome.imageIds[i],
        outcome.labels[i],
        judged ? outcome.fold[i] : null,
        judged ? Buffer.from(outcome.probabilities.buffer, outcome.probabilities.byteOffset + i * 40, 40) : null,
        judged ? outcome.quality[i] : null,
        judged ? outcome.suggested[i] : null,
        judged && outcome.issueRank[i] > 0 ? outcome.issueRank[i] : null,
        outcome.outlierScore ? outcome.outlierScore[i] : null,
        size ? Buffer.from(outcome.embeddings.buffer, outcome.embeddings.byteOffset + i * size * 4, size * 4) : null,
      );
    }
    const pair = db.prepare('INSERT OR IGNORE INTO label_scan_duplicates (scan_id, image_a, image_b, distance, kind) VALUES (?, ?, ?, ?, ?)');
    for (const d of outcome.duplicates) pair.run(scanId, d.imageA, d.imageB, d.distance, d.kind);
    const updated = db
      .prepare(
        "UPDATE label_scans SET status = 'succeeded', backend = ?, finished_at = ?, seconds = ?, images = ?, issues = ?, last_change_id = ?, embedding_size = ?, results = ? WHERE id = ? AND status = 'running'",
      )
      .run(outcome.backend, now.toISOString(), outcome.seconds, outcome.judged, issues, outcome.lastChangeId, size, JSON.stringify(outcome.results), scanId);
    if (updated.changes === 0) throw new AppError('conflict', `Scan ${scanId} is no longer running; its results were not stored.`);
  })();
}

/** Scanned images whose label differs from what the scan saw, other than through the scan's own issue list. */
function labelsChangedSince(db: Db, scanId: number, lastChangeId: number): number {
  return (
    db
      .prepare(
        `SELECT COUNT(*) AS n FROM label_scan_images s JOIN images i ON i.id = s.image_id
         WHERE s.scan_id = ? AND s.fold IS NOT NULL AND i.label != s.label
           AND EXISTS (SELECT 1 FROM label_changes c WHERE c.image_id = s.image_id AND c.id > ? AND c.origin != ?)`,
      )
      .get(scanId, lastChangeId, SCAN_ORIGIN) as { n: number }
  ).n;
}

function toSummary(db: Db, row: ScanRow): LabelScanSummary {
  return {
    scanId: row.id,
    datasetId: row.dataset_id,
    settings: JSON.parse(row.settings) as LabelScanSettings,
    status: row.status,
    error: row.error,
    backend: row.backend,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    seconds: row.seconds,
    images: row.images,
    issues: row.issues,
    results: row.results ? (JSON.parse(row.results) as LabelScanResults) : null,
    labelsChangedSince: row.status === 'succeeded' ? labelsChangedSince(db, row.id, row.last_change_id) : 0,
  };
}

const SCAN_COLUMNS = 'id, dataset_id, settings, status, error, backend, created_at, finished_at, seconds, images, issues, results, last_change_id';

export function getScan(db: Db, scanId: number): LabelScanSummary | null {
  const row = db.prepare(`SELECT ${SCAN_COLUMNS} FROM label_scans WHERE id = ?`).get(scanId) as ScanRow | undefined;
  return row ? toSummary(db, row) : null;
}

/** Every scan, newest first, of one dataset or all. */
export function listScans(db: Db, datasetId?: number): LabelScanSummary[] {
  const rows = (
    datasetId === undefined
      ? db.prepare(`SELECT ${SCAN_COLUMNS} FROM label_scans ORDER BY id DESC`).all()
      : db.prepare(`SELECT ${SCAN_COLUMNS} FROM label_scans WHERE dataset_id = ? ORDER BY id DESC`).all(datasetId)
  ) as ScanRow[];
  return rows.map((row) => toSummary(db, row));
}

/** The newest scan that succeeded, of one dataset or any. */
export function newestScan(db: Db, datasetId?: number): LabelScanSummary | null {
  return listScans(db, datasetId).find((s) => s.status === 'succeeded') ?? null;
}

/** Deletes a scan and everything it stored. */
export function deleteScan(db: Db, scanId: number): void {
  const row = db.prepare('SELECT status FROM label_scans WHERE id = ?').get(scanId) as { status: LabelScanStatus } | undefined;
  if (!row) throw new AppError('not-found', `There is no label scan ${scanId}.`);
  if (row.status === 'running') throw new AppError('conflict', `Scan ${scanId} is still running; cancel it first.`);
  db.prepare('DELETE FROM label_scans WHERE id = ?').run(scanId);
}

/** Deletes the dataset's scans older than `scanId` that are not running; returns how many. */
export function deleteOlderScans(db: Db, datasetId: number, scanId: number): number {
  return db.prepare("DELETE FROM label_scans WHERE dataset_id = ? AND id < ? AND status != 'running'").run(datasetId, scanId).changes;
}

type IssueRow = [number, number, Split, string, number, number, number, number, number | null];

/**
 * A scan's issues in rank order (most likely wrong first). Issues a person resolved since (confirmed
 * with K, or relabelled) are left out unless `includeResolved`; they can still be found that way.
 */
export function scanIssues(db: Db, scanId: number, options: { offset?: number; limit?: number; includeResolved?: boolean } = {}): { total: number; issues: LabelIssue[] } {
  // An issue is resolved once a person acted on it: confirmed its label (K), or changed the label since
  // the scan (a suggestion taken, a label set, anywhere). Undoing that brings the issue back.
  const confirmedFilter = options.includeResolved ? '' : 'AND c.image_id IS NULL AND i.label = s.label';
  const from = `FROM label_scan_images s JOIN images i ON i.id = s.image_id LEFT JOIN label_confirmations c ON c.image_id = s.image_id AND c.label = i.label
    WHERE s.scan_id = ? AND s.issue_rank IS NOT NULL ${confirmedFilter}`;
  const { total } = db.prepare(`SELECT COUNT(*) AS total ${from}`).get(scanId) as { total: number };
  const rows = db
    .prepare(`SELECT s.image_id, s.issue_rank, i.split, i.source, s.label, i.label, s.suggested, s.quality, c.label ${from} ORDER BY s.issue_rank LIMIT ? OFFSET ?`)
    .raw()
    .all(scanId, options.limit ?? -1, options.offset ?? 0) as IssueRow[];
  return {
    total,
    issues: rows.map(([imageId, rank, split, source, label, currentLabel, suggestedLabel, score, confirmedLabel]) => ({
      imageId,
      rank,
      split,
      source,
      label,
      currentLabel,
      suggestedLabel,
      score,
      confirmed: confirmedLabel !== null,
    })),
  };
}

/** A scan's stored embeddings, with each image's id, split and label at scan time. */
export function scanEmbeddings(db: Db, scanId: number): { imageIds: Int32Array; splits: Split[]; labels: Uint8Array; embeddings: Float32Array; size: number } {
  const { embedding_size: size } = (db.prepare('SELECT embedding_size FROM label_scans WHERE id = ?').get(scanId) as { embedding_size: number | null } | undefined) ?? { embedding_size: null };
  if (!size) throw new AppError('not-found', `Label scan ${scanId} has no embeddings.`);
  const rows = db.prepare('SELECT s.image_id, i.split, s.label, s.embedding FROM label_scan_images s JOIN images i ON i.id = s.image_id WHERE s.scan_id = ? ORDER BY s.image_id').raw().all(scanId) as [number, Split, number, Buffer][];
  const embeddings = new Float32Array(rows.length * size);
  rows.forEach(([, , , bytes], r) => embeddings.set(new Float32Array(bytes.buffer, bytes.byteOffset, size), r * size));
  return { imageIds: Int32Array.from(rows, (r) => r[0]), splits: rows.map((r) => r[1]), labels: Uint8Array.from(rows, (r) => r[2]), embeddings, size };
}

/** Records that a person checked an image's label and found it right (K). */
export function confirmLabel(db: Db, imageId: number, now: Date): void {
  const row = db.prepare('SELECT label FROM images WHERE id = ?').get(imageId) as { label: number } | undefined;
  if (!row) throw new AppError('not-found', `There is no image ${imageId}.`);
  db.prepare('INSERT OR REPLACE INTO label_confirmations (image_id, label, confirmed_at) VALUES (?, ?, ?)').run(imageId, row.label, now.toISOString());
}

/**
 * The most typical images of a class in a scan: labeled `label` when scanned and still, not issues, by
 * the out-of-fold probability of `label`; with `towards`, those of them nearest that class (highest
 * probability of it), the ones a guideline card shows at the boundary.
 */
export function typicalImages(db: Db, scanId: number, label: number, towards: number | undefined, count: number): { imageId: number; split: Split; label: number; pixels: Uint8Array }[] {
  const rows = db
    .prepare('SELECT s.image_id, s.probabilities FROM label_scan_images s JOIN images i ON i.id = s.image_id WHERE s.scan_id = ? AND s.label = ? AND i.label = ? AND s.issue_rank IS NULL AND s.suggested = ?')
    .raw()
    .all(scanId, label, label, label) as [number, Buffer][];
  const key = towards ?? label;
  const chosen = rows
    .map(([imageId, p]) => ({ imageId, p: p.readFloatLE(key * 4) }))
    .sort((a, b) => b.p - a.p || a.imageId - b.imageId)
    .slice(0, count);
  const pixels = db.prepare('SELECT split, pixels FROM images WHERE id = ?');
  return chosen.map(({ imageId }) => {
    const row = pixels.get(imageId) as { split: Split; pixels: Buffer };
    return { imageId, split: row.split, label, pixels: new Uint8Array(row.pixels) };
  });
}

/** Pixels of images by id, for lists that show them. */
export function imagePixels(db: Db, imageIds: readonly number[]): Map<number, Uint8Array> {
  const statement = db.prepare('SELECT pixels FROM images WHERE id = ?');
  return new Map(imageIds.map((id) => [id, new Uint8Array((statement.get(id) as { pixels: Buffer }).pixels)]));
}

/** Takes back a confirmation. */
export function unconfirmLabel(db: Db, imageId: number): void {
  db.prepare('DELETE FROM label_confirmations WHERE image_id = ?').run(imageId);
}
