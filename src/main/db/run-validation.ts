/**
 * Per-run review calibration: the run's predictions on its validation images (for the per-class
 * gate) and its unusual-photo scorer with the threshold calibrated on those images.
 */
import type { Db } from './connection.ts';

export interface RunValidation {
  labels: Uint8Array;
  /** `labels.length × 10` probabilities. */
  probabilities: Float32Array;
  /** The unusual-photo scorer as JSON (ml/feature-distance.ts), or null when the run had no features. */
  featureModelJson: string | null;
  featureThreshold: number | null;
}

/** Stores a run's calibration, replacing any; call inside the run's save transaction. */
export function saveRunValidation(db: Db, runId: number, v: RunValidation): void {
  db.prepare('INSERT OR REPLACE INTO run_validation (run_id, labels, probabilities, feature_model, feature_threshold) VALUES (?, ?, ?, ?, ?)').run(
    runId,
    Buffer.from(v.labels.buffer, v.labels.byteOffset, v.labels.byteLength),
    Buffer.from(v.probabilities.buffer, v.probabilities.byteOffset, v.probabilities.byteLength),
    v.featureModelJson,
    v.featureThreshold,
  );
}

/** A run's calibration, or null for runs trained before it was stored. */
export function loadRunValidation(db: Db, runId: number): RunValidation | null {
  const row = db.prepare('SELECT labels, probabilities, feature_model, feature_threshold FROM run_validation WHERE run_id = ?').get(runId) as
    | { labels: Buffer; probabilities: Buffer; feature_model: string | null; feature_threshold: number | null }
    | undefined;
  if (!row) return null;
  const probabilities = new Float32Array(row.probabilities.byteLength / 4);
  for (let i = 0; i < probabilities.length; i++) probabilities[i] = row.probabilities.readFloatLE(i * 4);
  return {
    labels: new Uint8Array(row.labels),
    probabilities,
    featureModelJson: row.feature_model,
    featureThreshold: row.feature_threshold,
  };
}
