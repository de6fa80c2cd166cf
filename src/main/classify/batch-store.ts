/**
 * Batches that last: every classification batch stays in the workspace until a person deletes it
 * or it goes unopened for `BATCH_KEEP_DAYS`, so that a reload or a restart loses nothing.
 */
import { AppError } from '../../shared/errors.ts';
import type { BatchSummary, BatchView } from '../../shared/types.ts';
import { batchFailureRows, batchRecord, batchSummary, batchesOpenedBefore, deleteBatchRows, listBatchSummaries, touchBatch } from '../db/batches.ts';
import { batchPhotoRows } from '../db/photos.ts';
import type { Db } from '../db/connection.ts';
import { photoFromFailure, photoFromRow } from './photo-view.ts';

/** Settings key of the notice about batches removed at start. */
export const PRUNE_NOTICE_KEY = 'batches.pruneNotice';

/** Batches not opened for this many days are removed when the app starts. */
export const BATCH_KEEP_DAYS = 30;

export function listBatches(db: Db): BatchSummary[] {
  return listBatchSummaries(db);
}

/** A stored batch with every photo and failed file in batch order; marks it opened now. */
export function openBatch(db: Db, batchId: string, now: Date): BatchView {
  const record = batchRecord(db, batchId);
  if (!record) throw new AppError('not-found', `There is no batch ${batchId}; it may have been deleted. See the Batches list.`);
  touchBatch(db, batchId, now);
  const rows = batchPhotoRows(db, batchId);
  const photos = rows.map((row) => photoFromRow(row, false));
  const failures = batchFailureRows(db, batchId).map(photoFromFailure);
  const all = failures.length === 0 ? photos : [...photos, ...failures].sort((a, b) => a.position - b.position || (a.photoId === null ? 1 : -1));
  // Pixels packed in the order of the classified photos within `all`.
  const byId = new Map(rows.map((row) => [row.id, row.pixels]));
  const pixels = new Uint8Array(rows.length * 784);
  let k = 0;
  for (const p of all) if (p.photoId !== null) pixels.set(byId.get(p.photoId)!, 784 * k++);
  return { batch: batchSummary(db, batchId)!, gate: record.gate, photos: all, pixels };
}

/**
 * Removes the app's copies of a batch's uploaded photos. The folder's name comes from the workspace file,
 * so the uploads store decides what may go: only a batch folder it made itself (uploads/upload-store.ts).
 */
export type RemoveUploads = (folder: string) => Promise<void>;

/** Deletes a batch and the app's copies of its uploaded photos; training images made from it stay. */
export async function deleteBatch(db: Db, batchId: string, removeUploads: RemoveUploads): Promise<void> {
  const record = batchRecord(db, batchId);
  if (!record) throw new AppError('not-found', `There is no batch ${batchId}.`);
  deleteBatchRows(db, batchId);
  if (record.uploadDir) await removeUploads(record.uploadDir);
}

/** Removes batches not opened for `keepDays`; returns how many, for the notice shown at start. */
export async function pruneStaleBatches(db: Db, now: Date, removeUploads: RemoveUploads, keepDays = BATCH_KEEP_DAYS): Promise<number> {
  const stale = batchesOpenedBefore(db, new Date(now.getTime() - keepDays * 24 * 3600 * 1000));
  for (const { batchId } of stale) await deleteBatch(db, batchId, removeUploads);
  return stale.length;
}

/** Words for the start-up notice, or null when nothing was pruned. */
export function pruneNotice(count: number, keepDays = BATCH_KEEP_DAYS): string | null {
  if (count === 0) return null;
  return `${count} batch${count === 1 ? ' was' : 'es were'} removed because nobody opened ${count === 1 ? 'it' : 'them'} for ${keepDays} days. Training images made from their photos are kept.`;
}
