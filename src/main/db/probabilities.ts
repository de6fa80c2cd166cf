/**
 * How a prediction's ten class probabilities are stored: one blob of ten little-endian float32 values,
 * in class order (`predictions.probabilities`, `photos.probabilities`).
 */
import { CLASS_COUNT } from '../../shared/classes.ts';

/** The ten probabilities of a stored blob. */
export function decodeProbabilities(blob: Buffer): number[] {
  return Array.from({ length: CLASS_COUNT }, (_, c) => blob.readFloatLE(c * 4));
}

/** The probability a stored blob gives one class. */
export function probabilityOf(blob: Buffer, label: number): number {
  return blob.readFloatLE(label * 4);
}
