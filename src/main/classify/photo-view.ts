/** Stored photo rows as the UI and the CLI see them. */
import { CLASS_COUNT } from '../../shared/classes.ts';
import type { ClassifiedPhoto } from '../../shared/types.ts';
import type { FailureRow } from '../db/batches.ts';
import type { PhotoRow } from '../db/photos.ts';

export function top3(probabilities: ArrayLike<number>): { label: number; probability: number }[] {
  return Array.from({ length: CLASS_COUNT }, (_, label) => ({ label, probability: probabilities[label] }))
    .sort((a, b) => b.probability - a.probability)
    .slice(0, 3);
}

/** A classified photo: the model's prediction and the person's decision side by side. */
export function photoFromRow(row: PhotoRow): ClassifiedPhoto {
  const probabilities = Array.from({ length: CLASS_COUNT }, (_, c) => row.probabilities.readFloatLE(c * 4));
  const reviewed = row.decided_by !== 'model';
  return {
    photoId: row.id,
    batchId: row.batch_id,
    position: row.position,
    file: row.file,
    name: row.name,
    error: null,
    predicted: row.predicted,
    confidence: row.confidence,
    top3: top3(probabilities),
    pixels: new Uint8Array(row.pixels),
    background: row.background,
    label: reviewed ? row.label : null,
    decidedBy: row.decided_by,
    reviewed,
    reviewReason: row.review_reason,
    needsReview: !reviewed && row.review_reason !== null,
    unusual: row.unusual === 1,
    audit: row.audit === 1,
    seenBefore: row.seen_before === 1,
  };
}

/** A file of the batch that could not be classified, and why. */
export function photoFromFailure(row: FailureRow): ClassifiedPhoto {
  return {
    photoId: null,
    batchId: row.batch_id,
    position: row.position,
    file: row.file,
    name: row.name,
    error: row.error,
    predicted: null,
    confidence: null,
    top3: [],
    pixels: null,
    background: null,
    label: null,
    decidedBy: 'model',
    reviewed: false,
    reviewReason: null,
    needsReview: false,
    unusual: false,
    audit: false,
    seenBefore: false,
  };
}
