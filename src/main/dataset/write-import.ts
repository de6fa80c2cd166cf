/**
 * Writing an import that has been read and checked, all or nothing, without holding the workspace's write
 * lock for long. Fashion-MNIST's 70,000 images took 3.5 s in one transaction, and every other writer (a
 * training run's save, a relabel in the app) had to wait that long. A new dataset is therefore written in
 * chunks into a hidden dataset that one last short transaction names and shows; adding to an existing
 * dataset, usually a few images, stays one transaction.
 */
import { AppError } from '../../shared/errors.ts';
import { PIXELS_PER_IMAGE } from '../../shared/classes.ts';
import type { Db } from '../db/connection.ts';
import { ensureDataset, insertImages } from '../db/datasets.ts';
import { createStagingDataset, datasetIdByName, discardStagingDataset, publishStagingDataset } from '../db/staged-imports.ts';
import { processStartTime } from '../runs/process-identity.ts';
import type { ImageBatch } from './image-batch.ts';

/** Images written per transaction: a few hundred milliseconds of lock on a busy machine. */
export const IMPORT_CHUNK = 5_000;
/** Pause between chunks, longer than SQLite's longest busy-handler sleep (100 ms), so waiting writers get in. */
export const IMPORT_PAUSE_MS = 150;

export interface WrittenImport {
  datasetId: number;
  added: number;
  skipped: number;
  /** The longest time one of the import's transactions held the write lock, in milliseconds. */
  longestHoldMs: number;
  transactions: number;
}

/** Images `from` to `to` of a batch, as a batch of their own. */
function slice(batch: ImageBatch, from: number, to: number): ImageBatch {
  return {
    split: batch.split,
    labels: batch.labels.subarray(from, to),
    pixels: batch.pixels.subarray(from * PIXELS_PER_IMAGE, to * PIXELS_PER_IMAGE),
    sourceOf: (index) => batch.sourceOf(from + index),
  };
}

/** Writes checked batches into the dataset `name` (created when missing), all or nothing. */
export async function writeImport(
  db: Db,
  name: string,
  batches: readonly ImageBatch[],
  now: Date,
  options: { chunk?: number; pauseMs?: number; onChunk?(done: number, total: number): void } = {},
): Promise<WrittenImport> {
  const chunk = options.chunk ?? IMPORT_CHUNK;
  const pauseMs = options.pauseMs ?? IMPORT_PAUSE_MS;
  let longestHoldMs = 0;
  let transactions = 0;
  const timed = <T>(work: () => T): T => {
    const started = performance.now();
    try {
      return db.transaction(work)();
    } finally {
      longestHoldMs = Math.max(longestHoldMs, performance.now() - started);
      transactions++;
    }
  };
  const total = batches.reduce((sum, b) => sum + b.labels.length, 0);

  if (total <= chunk || datasetIdByName(db, name) !== null) {
    const written = timed(() => {
      const datasetId = ensureDataset(db, name, now);
      return { datasetId, ...insertImages(db, datasetId, batches) };
    });
    return { ...written, longestHoldMs, transactions };
  }

  const stagingId = timed(() => createStagingDataset(db, { pid: process.pid, startedAt: processStartTime(process.pid) }, now));
  try {
    const seen = new Map<string, number>();
    let added = 0;
    let skipped = 0;
    let done = 0;
    for (const batch of batches) {
      for (let from = 0; from < batch.labels.length; from += chunk) {
        const part = slice(batch, from, Math.min(batch.labels.length, from + chunk));
        const counts = timed(() => insertImages(db, stagingId, [part], seen));
        added += counts.added;
        skipped += counts.skipped;
        done += part.labels.length;
        options.onChunk?.(done, total);
        await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
    }
    const published = timed(() => publishStagingDataset(db, stagingId, name));
    if (!published) throw new AppError('conflict', `Another import created the dataset "${name}" meanwhile; nothing of this import was kept. Import again to add to it.`);
    return { datasetId: stagingId, added, skipped, longestHoldMs, transactions };
  } catch (error) {
    db.transaction(() => discardStagingDataset(db, stagingId))();
    throw error;
  }
}
