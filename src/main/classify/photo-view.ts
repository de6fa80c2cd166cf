/** Stored photo rows as the UI and the CLI see them. */
import { CLASS_COUNT } from '../../shared/classes.ts';
import type { ClassifiedPhoto } from '../../shared/types.ts';
import type { FailureRow } from '../db/batches.ts';
import type { PhotoRow } from '../db/photos.ts';

export function top3(probabilities: ArrayLike<number>): { label: number; probability: number }[] {
  // Three passes of a selection: cheaper than sorting ten objects, which matters for 10,000 photos.
  const out: { label: number; probability: number }[] = [];
  for (let k = 0; k < 3; k++) {
    let best = -1;
    for (let c = 0; c < CLASS_COUNT; c++) {
      if (out.some((t) => t.label === c)) continue;
      if (best < 0 || probabilities[c] > probabilities[best]) best = c;
    }
    out.push({ label: best, probability: probabilities[best] });
  }
  return out;
}

/** The ten probabilities stored as little-endian float32 bytes. */
function readProbabilities(bytes: Buffer): Float32Array {
  const out = new Float32Array(CLASS_COUNT);
  for (let c = 0; c < CLASS_COUNT; c++) out[c] = bytes.readFloatLE(c * 4);
  return out;
}

/** A classified photo: the model's prediction and the person's decision side by side; `withPixels` false leaves them to a packed array. */
export function photoFromRow(row: PhotoRow, withPixels = true): ClassifiedPhoto {
  const probabilities = readProbabilities(row.probabilities);
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
    pixels: withPixels ? new Uint8Array(row.pixels) : null,
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
