/** Writes of a finished run's results: its model and its test evaluation. */
import type { Db } from './connection.ts';

/** A trained model as stored: the tfjs topology and weight specs as JSON, and the weights' bytes. */
export interface StoredModel {
  topology: string;
  weightSpecs: string;
  weights: Buffer;
}

/** Stores a run's model; call in the transaction that completes the run. */
export function insertModelArtifacts(db: Db, runId: number, model: StoredModel, now: Date): void {
  db.prepare('INSERT OR REPLACE INTO model_artifacts (run_id, topology, weight_specs, weights, created_at) VALUES (?, ?, ?, ?, ?)').run(
    runId,
    model.topology,
    model.weightSpecs,
    model.weights,
    now.toISOString(),
  );
}

/** Stores a run's test evaluation and the confidence below which its classifications go to review. */
export function recordRunEvaluation(db: Db, runId: number, evaluation: unknown, reviewThreshold: number | null): void {
  db.prepare('UPDATE runs SET evaluation = ?, review_threshold = ? WHERE id = ?').run(JSON.stringify(evaluation), reviewThreshold, runId);
}
