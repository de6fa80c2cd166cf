/** Which classified photos a person should look at: the one rule, for the back end and the UI. */

/** The review threshold of a run that has none stored (runs trained before thresholds were chosen). */
export const FALLBACK_REVIEW_THRESHOLD = 0.9;

/** True when a person should look at this photo: read, not decided yet, and below the threshold. */
export function needsReview(photo: { error: string | null; reviewed: boolean; confidence: number | null }, threshold: number): boolean {
  return photo.error === null && !photo.reviewed && (photo.confidence ?? 0) < threshold;
}
