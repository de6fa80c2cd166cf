/**
 * Sorting a stored batch into class folders: only to an absolute target, never twice into the same
 * target without being asked, and after a move the batch knows its files are gone.
 */
import path from 'node:path';
import { AppError } from '../../shared/errors.ts';
import { batchFailureRows, batchRecord, photosAlreadySortedInto, recordSort } from '../db/batches.ts';
import { batchPhotoRows } from '../db/photos.ts';
import type { Db } from '../db/connection.ts';
import { photoFromRow } from './photo-view.ts';
import { sortIntoFolders, sortItems, type SortOutcome } from './sort-files.ts';

export interface SortBatchOptions {
  move?: boolean;
  /** Sort again into a target this batch was already sorted into. */
  again?: boolean;
  now?: Date;
}

/** The words shown when a batch was already sorted into the target; the CLI names `--again` instead. */
export const ALREADY_SORTED_CODE = 'already-sorted';

/** Refuses a relative target: it would be resolved against wherever the app happens to run. */
export function checkSortTarget(target: string): void {
  if (!path.isAbsolute(target)) {
    throw new AppError('invalid-argument', `The target folder must be a full path, such as ${process.platform === 'win32' ? 'C:\\Users\\you\\Sorted' : '/home/you/sorted'}; "${target}" is relative.`);
  }
}

/** Sorts a stored batch; photos whose files were moved away already are left out. */
export async function sortBatch(db: Db, batchId: string, target: string, options: SortBatchOptions = {}): Promise<SortOutcome & { target: string; skippedMoved: number }> {
  checkSortTarget(target);
  const record = batchRecord(db, batchId);
  if (!record) throw new AppError('not-found', `There is no batch ${batchId}.`);
  const resolved = path.resolve(target);
  const already = options.again ? 0 : photosAlreadySortedInto(db, batchId, resolved);
  if (already > 0) {
    throw new AppError(ALREADY_SORTED_CODE, `${already} of these photos were already sorted into ${resolved}. Sorting again would copy them a second time.`);
  }
  const rows = batchPhotoRows(db, batchId);
  const present = rows.filter((r) => r.moved_to === null);
  if (present.length === 0) throw new AppError('conflict', rows.length === 0 ? 'That batch has no classified photos to sort.' : 'Every photo of this batch was moved already; there is nothing left to sort.');
  const photos = present.map((row) => photoFromRow(row));
  const outcome = await sortIntoFolders(sortItems(photos), resolved, { move: options.move, failures: batchFailureRows(db, batchId) });
  const idByFile = new Map(present.map((r) => [r.file, r.id]));
  recordSort(
    db,
    batchId,
    resolved,
    Boolean(options.move),
    // A moved photo whose original could not be removed is still there: it is not marked moved.
    options.move ? outcome.sorted.filter((s) => !s.originalKept).map((s) => ({ photoId: idByFile.get(s.file)!, to: s.to })) : [],
    options.now ?? new Date(),
  );
  return { ...outcome, target: resolved, skippedMoved: rows.length - present.length };
}
