import { createHash } from 'node:crypto';
import { CLASS_COUNT, PIXELS_PER_IMAGE } from '../../shared/classes.ts';
import type { DatasetSummary, ImageRecord, Split } from '../../shared/types.ts';
import type { ImageBatch } from '../../shared/image-batch.ts';
import type { Db } from './connection.ts';

interface DatasetRow {
  id: number;
  name: string;
  created_at: string;
}

/** The dataset with this name, creating it when there is none. */
export function ensureDataset(db: Db, name: string, now: Date): number {
  const existing = db.prepare('SELECT id FROM datasets WHERE name = ?').get(name) as { id: number } | undefined;
  if (existing) return existing.id;
  return Number(db.prepare('INSERT INTO datasets (name, created_at) VALUES (?, ?)').run(name, now.toISOString()).lastInsertRowid);
}

/**
 * Content hash of an image: split, label and pixels, plus which occurrence of that same content it is
 * within the import. Re-importing the same files gives the same hashes, so nothing is added twice,
 * while images that really occur twice in a dataset are both kept.
 */
function contentHashes(batch: ImageBatch, seen: Map<string, number>): Buffer[] {
  const hashes: Buffer[] = [];
  const count = batch.labels.length;
  for (let i = 0; i < count; i++) {
    const hash = createHash('sha1');
    hash.update(batch.split);
    hash.update(Uint8Array.of(batch.labels[i]));
    hash.update(batch.pixels.subarray(i * PIXELS_PER_IMAGE, (i + 1) * PIXELS_PER_IMAGE));
    const base = hash.digest();
    const key = base.toString('latin1');
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    hashes.push(occurrence === 0 ? base : createHash('sha1').update(base).update(String(occurrence)).digest());
  }
  return hashes;
}

/**
 * Inserts every image of the batches, skipping ones the dataset already holds.
 * Call inside a transaction: the caller decides what else belongs to the same all-or-nothing step.
 */
export function insertImages(
  db: Db,
  datasetId: number,
  batches: readonly ImageBatch[],
  /** Content already met in this import, when one import is written in several calls. */
  seen = new Map<string, number>(),
): { added: number; skipped: number } {
  const insert = db.prepare(
    'INSERT OR IGNORE INTO images (dataset_id, split, label, pixels, source, content_hash) VALUES (?, ?, ?, ?, ?, ?)',
  );
  let added = 0;
  let skipped = 0;
  for (const batch of batches) {
    const hashes = contentHashes(batch, seen);
    for (let i = 0; i < hashes.length; i++) {
      const pixels = batch.pixels.subarray(i * PIXELS_PER_IMAGE, (i + 1) * PIXELS_PER_IMAGE);
      const changes = insert.run(datasetId, batch.split, batch.labels[i], pixels, batch.sourceOf(i), hashes[i]).changes;
      if (changes) added++;
      else skipped++;
    }
  }
  return { added, skipped };
}

/**
 * Inserts one image and returns its id, or the id of the image of the dataset that already has the same
 * content (split, label and pixels). Call inside a transaction.
 */
export function insertImage(db: Db, datasetId: number, image: { split: Split; label: number; pixels: Uint8Array; source: string }): { imageId: number; created: boolean } {
  const batch: ImageBatch = { split: image.split, labels: Uint8Array.of(image.label), pixels: image.pixels, sourceOf: () => image.source };
  const { added } = insertImages(db, datasetId, [batch]);
  const [hash] = contentHashes(batch, new Map());
  const { id } = db.prepare('SELECT id FROM images WHERE dataset_id = ? AND content_hash = ?').get(datasetId, hash) as { id: number };
  return { imageId: id, created: added === 1 };
}

/** True when an image with this id is in the workspace. */
export function imageExists(db: Db, imageId: number): boolean {
  return db.prepare('SELECT 1 FROM images WHERE id = ?').get(imageId) !== undefined;
}

/** Counts per split and per label for every dataset, or for one. */
export function datasetSummaries(db: Db, datasetId?: number): DatasetSummary[] {
  const datasets = (
    datasetId === undefined
      ? db.prepare('SELECT id, name, created_at FROM datasets WHERE importing = 0 ORDER BY id').all()
      : db.prepare('SELECT id, name, created_at FROM datasets WHERE id = ? AND importing = 0').all(datasetId)
  ) as DatasetRow[];
  const counts = db.prepare('SELECT split, label, COUNT(*) AS n FROM images WHERE dataset_id = ? GROUP BY split, label');
  return datasets.map((row) => {
    const bySplit: Record<Split, number> = { train: 0, test: 0, user: 0 };
    const labelCounts = new Array<number>(CLASS_COUNT).fill(0);
    for (const { split, label, n } of counts.all(row.id) as { split: Split; label: number; n: number }[]) {
      bySplit[split] += n;
      labelCounts[label] += n;
    }
    return {
      datasetId: row.id,
      name: row.name,
      createdAt: row.created_at,
      images: bySplit.train + bySplit.test + bySplit.user,
      bySplit,
      labelCounts,
    };
  });
}

/** The first `perClass` images of each class, in import order, for the sample grid. */
export function sampleImages(db: Db, datasetId: number, perClass: number, split?: Split): ImageRecord[] {
  const statement = db.prepare(
    `SELECT id, dataset_id, split, label, pixels FROM images
     WHERE dataset_id = ? AND label = ? ${split ? 'AND split = ?' : ''}
     ORDER BY id LIMIT ?`,
  );
  const images: ImageRecord[] = [];
  for (let label = 0; label < CLASS_COUNT; label++) {
    const args = split ? [datasetId, label, split, perClass] : [datasetId, label, perClass];
    for (const row of statement.all(...args) as { id: number; dataset_id: number; split: Split; label: number; pixels: Buffer }[]) {
      images.push({ imageId: row.id, datasetId: row.dataset_id, split: row.split, label: row.label, pixels: new Uint8Array(row.pixels) });
    }
  }
  return images;
}

/** Images held flat, with their ids: `pixels` is `count × 784` bytes. */
export interface LabeledImages {
  imageIds: Int32Array;
  labels: Uint8Array;
  pixels: Uint8Array;
}

/** Every image of a dataset in the given splits, in id order, with its current label. */
export function loadImages(db: Db, datasetId: number, splits: readonly Split[]): LabeledImages {
  const placeholders = splits.map(() => '?').join(', ');
  const { n } = db.prepare(`SELECT COUNT(*) AS n FROM images WHERE dataset_id = ? AND split IN (${placeholders})`).get(datasetId, ...splits) as { n: number };
  const images: LabeledImages = { imageIds: new Int32Array(n), labels: new Uint8Array(n), pixels: new Uint8Array(n * PIXELS_PER_IMAGE) };
  const rows = db.prepare(`SELECT id, label, pixels FROM images WHERE dataset_id = ? AND split IN (${placeholders}) ORDER BY id`).raw().iterate(datasetId, ...splits);
  let i = 0;
  for (const [id, label, pixels] of rows as IterableIterator<[number, number, Buffer]>) {
    if (i === n) break;
    images.imageIds[i] = id;
    images.labels[i] = label;
    images.pixels.set(pixels, i * PIXELS_PER_IMAGE);
    i++;
  }
  // Rows deleted between the count and the read leave the arrays longer than what was read.
  return i === n ? images : { imageIds: images.imageIds.slice(0, i), labels: images.labels.slice(0, i), pixels: images.pixels.slice(0, i * PIXELS_PER_IMAGE) };
}
