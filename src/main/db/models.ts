/**
 * Trained models stored in the workspace (`model_artifacts`): a run's topology, weight specs and weight
 * bytes, exactly as TensorFlow.js hands them over. The tfjs IO handlers in ml/model-store.ts use these.
 */
import type { Db } from './connection.ts';

/** A stored model: topology and weight specs as JSON text, the weights as bytes. */
export interface StoredModel {
  topology: string;
  weightSpecs: string;
  weights: Buffer;
}

/** Saves (or replaces) the model of a run. Run inside the transaction that completes the run. */
export function saveModel(db: Db, runId: number, model: StoredModel, now: Date): void {
  db.prepare('INSERT OR REPLACE INTO model_artifacts (run_id, topology, weight_specs, weights, created_at) VALUES (?, ?, ?, ?, ?)').run(
    runId,
    model.topology,
    model.weightSpecs,
    model.weights,
    now.toISOString(),
  );
}

/** The stored model of a run, or null when it has none (it failed or was cancelled). */
export function loadModel(db: Db, runId: number): StoredModel | null {
  const row = db.prepare('SELECT topology, weight_specs, weights FROM model_artifacts WHERE run_id = ?').get(runId) as
    | { topology: string; weight_specs: string; weights: Buffer }
    | undefined;
  return row ? { topology: row.topology, weightSpecs: row.weight_specs, weights: row.weights } : null;
}
