/**
 * Queries behind error analysis: galleries of images with their predictions, image detail, relabeling
 * with history and undo, and the "suspicious" flag.
 */
import { AppError } from '../../shared/errors.ts';
import type { GalleryImage, GalleryPage, GalleryQuery, GallerySort, ImageDetail, LabelChange, Split } from '../../shared/types.ts';
import type { Db } from './connection.ts';
import { decodeProbabilities, probabilityOf } from './probabilities.ts';

type GalleryRow = [number, Split, number, number, number, Buffer, number, Buffer];

const GALLERY_COLUMNS = 'i.id, i.split, i.label, p.predicted, p.confidence, p.probabilities, i.suspicious, i.pixels';

/** The FROM/WHERE part of a gallery, with its parameters. */
function galleryFilter(query: GalleryQuery): { from: string; params: unknown[] } {
  switch (query.kind) {
    case 'cell':
      return {
        from: 'FROM predictions p JOIN images i ON i.id = p.image_id WHERE p.run_id = ? AND i.split = ? AND i.label = ? AND p.predicted = ?',
        params: [query.runId, query.split, query.trueLabel, query.predicted],
      };
    case 'compare': {
      const right = query.change === 'fixed' ? 'q.predicted = i.label AND p.predicted != i.label' : 'q.predicted != i.label AND p.predicted = i.label';
      return {
        from: `FROM predictions p JOIN images i ON i.id = p.image_id JOIN predictions q ON q.image_id = p.image_id AND q.run_id = ? WHERE p.run_id = ? AND i.split = ? AND ${right}`,
        params: [query.otherRunId, query.runId, query.split],
      };
    }
  }
}

function toGalleryImage([imageId, split, label, predicted, confidence, probabilities, suspicious, pixels]: GalleryRow): GalleryImage {
  return { imageId, split, label, predicted, confidence, labelProbability: probabilityOf(probabilities, label), suspicious: suspicious === 1, pixels: new Uint8Array(pixels) };
}

/** One page of a gallery, sorted by the prediction's confidence. */
export function galleryPage(db: Db, query: GalleryQuery, sort: GallerySort, offset: number, limit: number): GalleryPage {
  const { from, params } = galleryFilter(query);
  const { total } = db.prepare(`SELECT COUNT(*) AS total ${from}`).get(...params) as { total: number };
  const order = sort === 'confidence-asc' ? 'p.confidence ASC, i.id' : 'p.confidence DESC, i.id';
  const rows = db.prepare(`SELECT ${GALLERY_COLUMNS} ${from} ORDER BY ${order} LIMIT ? OFFSET ?`).raw().all(...params, limit, offset) as GalleryRow[];
  return { total, offset, images: rows.map(toGalleryImage) };
}

export function labelHistory(db: Db, imageId: number): LabelChange[] {
  return (
    db.prepare('SELECT id, old_label, new_label, changed_at, origin FROM label_changes WHERE image_id = ? ORDER BY id').all(imageId) as {
      id: number;
      old_label: number;
      new_label: number;
      changed_at: string;
      origin: string;
    }[]
  ).map((r) => ({ changeId: r.id, oldLabel: r.old_label, newLabel: r.new_label, changedAt: r.changed_at, origin: r.origin }));
}

/** An image with its history and, when a run is given, that run's prediction for it. */
export function imageDetail(db: Db, imageId: number, runId: number | null): ImageDetail {
  const row = db.prepare('SELECT id, dataset_id, split, label, pixels, source, suspicious FROM images WHERE id = ?').get(imageId) as
    | { id: number; dataset_id: number; split: Split; label: number; pixels: Buffer; source: string; suspicious: number }
    | undefined;
  if (!row) throw new AppError('not-found', `There is no image ${imageId}.`);
  const prediction =
    runId === null
      ? undefined
      : (db.prepare('SELECT predicted, confidence, probabilities FROM predictions WHERE run_id = ? AND image_id = ?').get(runId, imageId) as
          | { predicted: number; confidence: number; probabilities: Buffer }
          | undefined);
  return {
    image: { imageId: row.id, datasetId: row.dataset_id, split: row.split, label: row.label, pixels: new Uint8Array(row.pixels), source: row.source, suspicious: row.suspicious === 1 },
    prediction: prediction
      ? { runId: runId!, predicted: prediction.predicted, confidence: prediction.confidence, probabilities: decodeProbabilities(prediction.probabilities) }
      : null,
    history: labelHistory(db, imageId),
  };
}

/** Sets an image's label and records the change; does nothing (and records nothing) when it is already that label. */
export function relabelImage(db: Db, imageId: number, label: number, origin: string, now: Date): void {
  db.transaction(() => {
    const row = db.prepare('SELECT label FROM images WHERE id = ?').get(imageId) as { label: number } | undefined;
    if (!row) throw new AppError('not-found', `There is no image ${imageId}.`);
    if (row.label === label) return;
    db.prepare('UPDATE images SET label = ? WHERE id = ?').run(label, imageId);
    db.prepare('INSERT INTO label_changes (image_id, old_label, new_label, changed_at, origin) VALUES (?, ?, ?, ?, ?)').run(imageId, row.label, label, now.toISOString(), origin);
  })();
}

/** Reverts the image's latest label change, recording the revert in the history as an undo. */
export function undoRelabel(db: Db, imageId: number, now: Date): void {
  const last = labelHistory(db, imageId).at(-1);
  if (!last) throw new AppError('not-found', 'This image has no label change to undo.');
  relabelImage(db, imageId, last.oldLabel, 'undo', now);
}

export function setSuspicious(db: Db, imageId: number, suspicious: boolean): void {
  if (db.prepare('UPDATE images SET suspicious = ? WHERE id = ?').run(suspicious ? 1 : 0, imageId).changes === 0) {
    throw new AppError('not-found', `There is no image ${imageId}.`);
  }
}
