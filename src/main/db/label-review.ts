/**
 * Reviewing labels across the workspace: every label change newest first (with undo only where it is
 * still the image's latest change), the images flagged as suspicious, and which images training can
 * leave out because their label is under suspicion.
 */
import { AppError } from '../../shared/errors.ts';
import type { LabelChangeEntry } from '../../shared/label-api.ts';
import type { Split } from '../../shared/types.ts';
import type { Db } from './connection.ts';
import { relabelImage } from './images.ts';
import { newestScan } from './label-scans.ts';

type ChangeRow = [number, number, Split, number, number, string, string, number];

/** Label changes, newest first, of one dataset; only those from or to `label` when given. */
export function listLabelChanges(db: Db, datasetId: number, options: { label?: number; offset?: number; limit?: number } = {}): { total: number; changes: LabelChangeEntry[] } {
  const byLabel = options.label === undefined ? '' : 'AND (c.old_label = ? OR c.new_label = ?)';
  const params = options.label === undefined ? [datasetId] : [datasetId, options.label, options.label];
  const from = `FROM label_changes c JOIN images i ON i.id = c.image_id WHERE i.dataset_id = ? ${byLabel}`;
  const { total } = db.prepare(`SELECT COUNT(*) AS total ${from}`).get(...params) as { total: number };
  const rows = db
    .prepare(
      `SELECT c.id, c.image_id, i.split, c.old_label, c.new_label, c.origin, c.changed_at,
              c.id = (SELECT MAX(d.id) FROM label_changes d WHERE d.image_id = c.image_id) ${from} ORDER BY c.id DESC LIMIT ? OFFSET ?`,
    )
    .raw()
    .all(...params, options.limit ?? -1, options.offset ?? 0) as ChangeRow[];
  return {
    total,
    changes: rows.map(([changeId, imageId, split, oldLabel, newLabel, origin, changedAt, latest]) => ({ changeId, imageId, split, oldLabel, newLabel, origin, changedAt, latest: latest === 1 })),
  };
}

/**
 * Undoes one change from the list: puts the image's label back, recorded as an `undo`. Refused when a
 * later change of the same image exists, naming it, since undoing an older change would silently
 * discard the later one.
 */
export function undoLabelChange(db: Db, changeId: number, now: Date, classNames: readonly string[]): void {
  db.transaction(() => {
    const change = db.prepare('SELECT image_id, old_label FROM label_changes WHERE id = ?').get(changeId) as { image_id: number; old_label: number } | undefined;
    if (!change) throw new AppError('not-found', `There is no label change ${changeId}.`);
    const later = db.prepare('SELECT id, old_label, new_label, origin, changed_at FROM label_changes WHERE image_id = ? AND id > ? ORDER BY id DESC LIMIT 1').get(change.image_id, changeId) as
      | { id: number; old_label: number; new_label: number; origin: string; changed_at: string }
      | undefined;
    if (later) {
      throw new AppError(
        'conflict',
        `Change ${changeId} cannot be undone: image ${change.image_id} was changed again later, by change ${later.id} (${later.origin}, ${later.changed_at.slice(0, 19).replace('T', ' ')}: ${classNames[later.old_label]} → ${classNames[later.new_label]}). Undo that one first.`,
      );
    }
    relabelImage(db, change.image_id, change.old_label, 'undo', now);
  })();
}

/** Images flagged as suspicious (S), newest id first. */
export function flaggedImages(db: Db, datasetId: number): { imageId: number; split: Split; label: number; source: string; pixels: Uint8Array }[] {
  return (db.prepare('SELECT id, split, label, source, pixels FROM images WHERE dataset_id = ? AND suspicious = 1 ORDER BY id DESC').all(datasetId) as { id: number; split: Split; label: number; source: string; pixels: Buffer }[]).map(
    (r) => ({ imageId: r.id, split: r.split, label: r.label, source: r.source, pixels: new Uint8Array(r.pixels) }),
  );
}

/**
 * Images whose label is under suspicion, which training can leave out: flagged with S, or an unresolved
 * issue of the dataset's newest scan while that scan is still current (no label changed since other
 * than from its own list). An issue is unresolved while the image keeps the label the scan saw.
 * Images a person confirmed with K are never suspects.
 */
export function suspectImageIds(db: Db, datasetId: number): Set<number> {
  const suspects = new Set<number>();
  const flagged = db.prepare('SELECT i.id FROM images i LEFT JOIN label_confirmations c ON c.image_id = i.id AND c.label = i.label WHERE i.dataset_id = ? AND i.suspicious = 1 AND c.image_id IS NULL').raw().all(datasetId) as [number][];
  for (const [id] of flagged) suspects.add(id);
  const scan = newestScan(db, datasetId);
  if (scan && scan.labelsChangedSince === 0) {
    const issues = db
      .prepare(
        `SELECT s.image_id FROM label_scan_images s JOIN images i ON i.id = s.image_id LEFT JOIN label_confirmations c ON c.image_id = s.image_id AND c.label = i.label
         WHERE s.scan_id = ? AND s.issue_rank IS NOT NULL AND i.label = s.label AND c.image_id IS NULL`,
      )
      .raw()
      .all(scan.scanId) as [number][];
    for (const [id] of issues) suspects.add(id);
  }
  return suspects;
}
