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
