/** Words and small rules about reviewing classified photos, shared by the app, the CLI and the web host. */
import type { BatchView, ClassifiedPhoto, ReviewReason } from './types.ts';

/** Words for a review reason, the same in the app and the CLI. */
export const REVIEW_REASON_TEXT: Record<ReviewReason, string> = {
  'low-confidence': 'below the gate for its class',
  'class-always-reviewed': 'the model is not yet sure enough of this class to skip review at the accepted error rate',
  unusual: 'unlike the training images',
  audit: 'random audit of photos that passed the gate',
};

/** The class a photo ends up in: the person's, else the model's. */
export function finalLabel(photo: Pick<ClassifiedPhoto, 'label' | 'predicted'>): number | null {
  return photo.label ?? photo.predicted;
}

/** The photos of a reopened batch with their pixels as views into the packed array (no copies). */
export function attachPixels(view: BatchView): ClassifiedPhoto[] {
  let k = 0;
  return view.photos.map((p) => (p.photoId === null ? p : { ...p, pixels: view.pixels.subarray(k * 784, ++k * 784) }));
}

/** A stored photo's original for the large view, or why only its 28×28 can be shown. */
export type PhotoOriginal = { available: true; mimeType: string; bytes: Uint8Array } | { available: false; reason: string };

/** The error rates a person may accept for photos that skip review, as fractions (0.1% to 50%). */
export const ACCEPTED_ERROR_RANGE = { min: 0.001, max: 0.5 } as const;

/**
 * The gate settings a person typed, in percent, checked against the contract's limits: the values to
 * save (only those that changed from what was shown), or the problem in the field's own words.
 */
export function gateSettingsFromFields(typed: { ratePercent: number; auditPercent: number }, shown: { ratePercent: number; auditPercent: number }): { save: { maxError?: number; auditShare?: number } } | { problem: string } {
  const { min, max } = ACCEPTED_ERROR_RANGE;
  if (!Number.isFinite(typed.ratePercent) || typed.ratePercent < min * 100 || typed.ratePercent > max * 100) {
    return { problem: `The accepted error rate must be between ${min * 100}% and ${max * 100}%; it stays at ${shown.ratePercent}%.` };
  }
  if (!Number.isFinite(typed.auditPercent) || typed.auditPercent < 0 || typed.auditPercent > 100) {
    return { problem: `The audit share must be between 0% and 100%; it stays at ${shown.auditPercent}%.` };
  }
  const save: { maxError?: number; auditShare?: number } = {};
  if (typed.ratePercent !== shown.ratePercent) save.maxError = typed.ratePercent / 100;
  if (typed.auditPercent !== shown.auditPercent) save.auditShare = typed.auditPercent / 100;
  return { save };
}
