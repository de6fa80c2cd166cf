/**
 * Saving a finished training run without holding the workspace's write lock for long. The final save
 * of a CNN over all of Fashion-MNIST writes 70,000 predictions; in one transaction that held the lock for
 * seconds, and every other writer (an import, a relabel, a photo decision) had to wait or fail.
 *
 * So predictions go in first, in short transactions, while the run is still marked running: nothing
 * shows a running run's predictions, and if the process dies or anything fails, `endRun` deletes them
 * when it marks the run failed. Then one short transaction stores the model, the results and the
 * promotion gate's decision, and marks the run succeeded. The save stays all or nothing.
 */
import { CLASS_COUNT } from '../../shared/classes.ts';
import { AppError } from '../../shared/errors.ts';
import type { Evaluation } from '../../shared/types.ts';
import type { Db } from '../db/connection.ts';
import { saveModel, type StoredModel } from '../db/models.ts';
import { insertPredictions, type PredictionsToStore } from '../db/predictions.ts';
import { completeRun, isRunRunning, recordRunEvaluation, type RunResults } from '../db/runs.ts';
import { applyPromotionGate } from './active-run.ts';
import type { GateDecision } from './promotion-gate.ts';

/** Predictions written per transaction: a few hundred milliseconds of lock on a busy machine. */
export const PREDICTION_CHUNK = 5_000;
/**
 * Pause between chunks. SQLite's busy handler polls a waiting writer at most every 100 ms, so a gap
 * longer than that lets every waiting writer in between two chunks.
 */
export const CHUNK_PAUSE_MS = 150;

export interface RunToSave {
  model: StoredModel;
  predictions: PredictionsToStore;
  results: RunResults;
  evaluation: Evaluation;
  reviewThreshold: number | null;
}

export interface SaveReport {
  decision: GateDecision;
  /** The longest time one of the save's transactions held the write lock, in milliseconds. */
  longestHoldMs: number;
  transactions: number;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function stillRunning(db: Db, runId: number): void {
  if (!isRunRunning(db, runId)) throw new AppError('conflict', `Run ${runId} was ended by another process while it was being saved; its results were discarded.`);
}

/** Saves a finished run's predictions in chunks, then completes it and applies the promotion gate in one short transaction. */
export async function saveRunResults(
  db: Db,
  runId: number,
  run: RunToSave,
  now: () => Date,
  options: { chunk?: number; pauseMs?: number; onChunk?: (done: number, total: number) => void } = {},
): Promise<SaveReport> {
  const chunk = options.chunk ?? PREDICTION_CHUNK;
  const pauseMs = options.pauseMs ?? CHUNK_PAUSE_MS;
  let longestHoldMs = 0;
  let transactions = 0;
  const timed = <T>(work: () => T): T => {
    // The lock is taken by BEGIN IMMEDIATE inside db.transaction, so the hold is the time spent in it.
    const started = performance.now();
    try {
      return db.transaction(work)();
    } finally {
      longestHoldMs = Math.max(longestHoldMs, performance.now() - started);
      transactions++;
    }
  };
  const { imageIds, predicted, confidences, probabilities } = run.predictions;
  const total = imageIds.length;
  for (let from = 0; from < total; from += chunk) {
    const to = Math.min(total, from + chunk);
    timed(() => {
      stillRunning(db, runId);
      insertPredictions(db, runId, {
        imageIds: imageIds.subarray(from, to),
        predicted: predicted.subarray(from, to),
        confidences: confidences.subarray(from, to),
        probabilities: probabilities.subarray(from * CLASS_COUNT, to * CLASS_COUNT),
      });
    });
    options.onChunk?.(to, total);
    await pause(pauseMs);
  }
  const decision = timed(() => {
    stillRunning(db, runId);
    saveModel(db, runId, run.model, now());
    recordRunEvaluation(db, runId, run.evaluation, run.reviewThreshold);
    const gate = applyPromotionGate(db, runId, run.results.testAccuracy);
    completeRun(db, runId, run.results, now());
    return gate;
  });
  return { decision, longestHoldMs, transactions };
}
