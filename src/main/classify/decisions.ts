/**
 * A person's decisions on classified photos: accept the model's class or correct it, for one photo
 * or many, and undo them one at a time per batch.
 *
 * Only photos a person decided become training images (split `user`); photos that passed the gate
 * stay the model's. Every label change of a training image goes through `relabelImage`, which
 * records it (origin `classify`). Each decision is also kept in `photo_decisions`, the batch's undo
 * stack, which survives the removal of a training image that undo makes.
 */
import { AppError } from '../../shared/errors.ts';
import type { ClassifiedPhoto, DecidedBy } from '../../shared/types.ts';
import type { Db } from '../db/connection.ts';
import { ensureDataset, imageExists, insertImage } from '../db/datasets.ts';
import { relabelImage } from '../db/images.ts';
import { getRun } from '../db/runs.ts';
import { deleteImage, insertDecision, lastOpenDecision, markDecisionUndone, batchRecord, lastLabelChange } from '../db/batches.ts';
import { getPhoto, photosUsingImage, setPhotoDecision, type PhotoRow } from '../db/photos.ts';
import { photoFromRow } from './photo-view.ts';

/** The origin recorded in a training image's label history for decisions made here. */
export const CLASSIFY_ORIGIN = 'classify';
/** Dataset for decided photos when their run's dataset is gone. */
const FALLBACK_DATASET = 'Photos';

function imageSource(db: Db, row: PhotoRow): string {
  // Uploaded photos live in the app's own folder; their source is the name the browser gave.
  const uploaded = batchRecord(db, row.batch_id)?.uploadDir != null;
  return uploaded ? `upload:${row.name}#photo${row.id}` : `${row.file}#photo${row.id}`;
}

/** One photo decided: `label` null accepts the model's class. Runs inside the caller's transaction. */
function decideOne(db: Db, photoId: number, label: number | null, now: Date): void {
  const row = getPhoto(db, photoId);
  if (!row) throw new AppError('not-found', `There is no photo ${photoId}.`);
  const newLabel = label ?? row.predicted;
  const decidedBy: DecidedBy = newLabel === row.predicted ? 'accepted' : 'corrected';
  const oldLabel = row.decided_by === 'model' ? null : row.label;
  if (oldLabel === newLabel && row.decided_by === decidedBy) return; // nothing changes, nothing to undo
  let imageId = row.image_id;
  let created = false;
  if (imageId !== null && !imageExists(db, imageId)) imageId = null;
  if (imageId === null) {
    const datasetId = (row.run_id !== null ? getRun(db, row.run_id)?.datasetId : undefined) ?? ensureDataset(db, FALLBACK_DATASET, now);
    // An identical image may already exist (the same photo decided in another batch): it is linked, and relabelled if need be.
    ({ imageId, created } = insertImage(db, datasetId, { split: 'user', label: newLabel, pixels: new Uint8Array(row.pixels), source: imageSource(db, row) }));
  }
  if (!created) relabelImage(db, imageId, newLabel, CLASSIFY_ORIGIN, now);
  setPhotoDecision(db, photoId, { label: newLabel, decidedBy, reviewedAt: now.toISOString(), imageId });
  insertDecision(db, {
    photo_id: photoId,
    batch_id: row.batch_id,
    decided_at: now.toISOString(),
    old_label: oldLabel,
    old_decided_by: row.decided_by,
    new_label: newLabel,
    new_decided_by: decidedBy,
    image_id: imageId,
    created_image: created ? 1 : 0,
  });
}

/** A person accepts (`label` null) or sets the class of one or more photos, all at once. */
export function decidePhotos(db: Db, photoIds: readonly number[], label: number | null, now: Date): ClassifiedPhoto[] {
  return db.transaction(() => {
    for (const id of photoIds) decideOne(db, id, label, now);
    return photoIds.map((id) => photoFromRow(getPhoto(db, id)!));
  })();
}

/**
 * Undoes the batch's latest decision: the photo goes back to what it was. When that decision created
 * the training image, the image is removed (unless another photo uses it); otherwise its label change
 * is reverted through `relabelImage`. Returns the photo as it is now, or null when nothing is left to undo.
 */
export function undoLastDecision(db: Db, batchId: string, now: Date): ClassifiedPhoto | null {
  return db.transaction(() => {
    const decision = lastOpenDecision(db, batchId);
    if (!decision) return null;
    const row = getPhoto(db, decision.photo_id);
    if (!row) throw new AppError('not-found', `The photo of that decision is gone.`);
    let note: string;
    if (decision.old_decided_by === 'model') {
      if (decision.created_image === 1 && decision.image_id !== null && photosUsingImage(db, decision.image_id, row.id) === 0) {
        deleteImage(db, decision.image_id);
        note = `removed training image ${decision.image_id}`;
      } else {
        note = 'photo no longer decided';
        // The decision linked an image that already existed; put back a label it changed.
        const change = decision.image_id === null ? undefined : lastLabelChange(db, decision.image_id);
        if (change && change.changed_at === decision.decided_at && change.new_label === decision.new_label && change.origin === CLASSIFY_ORIGIN) {
          relabelImage(db, decision.image_id!, change.old_label, CLASSIFY_ORIGIN, now);
          note += `; training image ${decision.image_id} back to ${change.old_label}`;
        }
      }
      setPhotoDecision(db, row.id, { label: null, decidedBy: 'model', reviewedAt: null, imageId: decision.created_image === 1 ? null : row.image_id });
    } else {
      if (row.image_id !== null) relabelImage(db, row.image_id, decision.old_label!, CLASSIFY_ORIGIN, now);
      setPhotoDecision(db, row.id, { label: decision.old_label, decidedBy: decision.old_decided_by, reviewedAt: now.toISOString(), imageId: row.image_id });
      note = `label back to ${decision.old_label}`;
    }
    markDecisionUndone(db, decision.id, now, note);
    return photoFromRow(getPhoto(db, row.id)!);
  })();
}

/**
 * Undoes the batch's last decision as the person made it: one key press on many selected photos is one
 * decision to take back, so every open decision made at that same moment is undone with it, newest
 * first. Returns the photos as they are now, empty when nothing is left to undo.
 */
export function undoLastDecisions(db: Db, batchId: string, now: Date): ClassifiedPhoto[] {
  return db.transaction(() => {
    const last = lastOpenDecision(db, batchId);
    if (!last) return [];
    const undone: ClassifiedPhoto[] = [];
    for (let next: typeof last | undefined = last; next && next.decided_at === last.decided_at; next = lastOpenDecision(db, batchId)) {
      const photo = undoLastDecision(db, batchId, now);
      if (photo) undone.push(photo);
    }
    return undone;
  })();
}

