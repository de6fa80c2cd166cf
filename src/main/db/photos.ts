/**
 * Photos people classified (`photos`): what the model saw (28×28 pixels), what it said, and what the
 * person decided. A decided photo links to the training image it became (`image_id`).
 */
import type { Db } from './connection.ts';

/** A stored photo, as the table holds it. */
export interface PhotoRow {
  id: number;
  batch_id: string;
  file: string;
  name: string;
  run_id: number | null;
  pixels: Buffer;
  background: 'light' | 'dark';
  predicted: number;
  confidence: number;
  probabilities: Buffer;
  label: number | null;
  reviewed_at: string | null;
  image_id: number | null;
}

/** What classifying one photo produced. */
export interface NewPhoto {
  batchId: string;
  file: string;
  name: string;
  runId: number;
  pixels: Uint8Array;
  background: 'light' | 'dark';
  predicted: number;
  confidence: number;
  /** The ten class probabilities. */
  probabilities: Float32Array;
}

/** Stores a classified photo and returns it as stored. */
export function insertPhoto(db: Db, photo: NewPhoto, now: Date): PhotoRow {
  return db
    .prepare(
      'INSERT INTO photos (batch_id, file, name, classified_at, run_id, pixels, background, predicted, confidence, probabilities) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *',
    )
    .get(
      photo.batchId,
      photo.file,
      photo.name,
      now.toISOString(),
      photo.runId,
      photo.pixels,
      photo.background,
      photo.predicted,
      photo.confidence,
      Buffer.from(photo.probabilities.buffer, photo.probabilities.byteOffset, photo.probabilities.byteLength),
    ) as PhotoRow;
}

/** Every photo of a batch, in the order classified. */
export function batchPhotoRows(db: Db, batchId: string): PhotoRow[] {
  return db.prepare('SELECT * FROM photos WHERE batch_id = ? ORDER BY id').all(batchId) as PhotoRow[];
}

/** One photo with the dataset of the run that classified it (null when that run is gone). */
export function photoWithDataset(db: Db, photoId: number): (PhotoRow & { dataset_id: number | null }) | null {
  const row = db.prepare('SELECT p.*, r.dataset_id FROM photos p LEFT JOIN runs r ON r.id = p.run_id WHERE p.id = ?').get(photoId) as
    | (PhotoRow & { dataset_id: number | null })
    | undefined;
  return row ?? null;
}

/** Records a person's decision on a photo and the training image it is; returns the photo as stored. */
export function markPhotoDecided(db: Db, photoId: number, label: number, imageId: number, now: Date): PhotoRow {
  db.prepare('UPDATE photos SET label = ?, reviewed_at = ?, image_id = ? WHERE id = ?').run(label, now.toISOString(), imageId, photoId);
  return db.prepare('SELECT * FROM photos WHERE id = ?').get(photoId) as PhotoRow;
}
