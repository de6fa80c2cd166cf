import { CLASS_COUNT } from '../../shared/classes.ts';
import type { Split } from '../../shared/types.ts';
import type { Db } from './connection.ts';

/** What a run predicted for a set of images: the class, its confidence, and all ten probabilities (`count × 10`). */
export interface PredictionsToStore {
  imageIds: Int32Array;
  predicted: Uint8Array;
  confidences: Float32Array;
  probabilities: Float32Array;
}

/** Stores a prediction per image; call inside a transaction. */
export function insertPredictions(db: Db, runId: number, predictions: PredictionsToStore): void {
  const { imageIds, predicted, confidences, probabilities } = predictions;
  const insert = db.prepare('INSERT OR REPLACE INTO predictions (run_id, image_id, predicted, confidence, probabilities) VALUES (?, ?, ?, ?, ?)');
  for (let i = 0; i < imageIds.length; i++) {
    const bytes = Buffer.from(probabilities.buffer, probabilities.byteOffset + i * CLASS_COUNT * 4, CLASS_COUNT * 4);
    insert.run(runId, imageIds[i], predicted[i], confidences[i], bytes);
  }
}

/** True and predicted labels of every predicted image of a split; labels are the images' current ones. */
export function predictedPairs(db: Db, runId: number, split: Split): { trueLabels: Uint8Array; predicted: Uint8Array; probabilityOfTrue: Float32Array } {
  const rows = db
    .prepare('SELECT i.label, p.predicted, p.probabilities FROM predictions p JOIN images i ON i.id = p.image_id WHERE p.run_id = ? AND i.split = ?')
    .raw()
    .all(runId, split) as [number, number, Buffer][];
  const trueLabels = new Uint8Array(rows.length);
  const predicted = new Uint8Array(rows.length);
  const probabilityOfTrue = new Float32Array(rows.length);
  rows.forEach(([label, prediction, probabilities], i) => {
    trueLabels[i] = label;
    predicted[i] = prediction;
    probabilityOfTrue[i] = probabilities.readFloatLE(label * 4);
  });
  return { trueLabels, predicted, probabilityOfTrue };
}

export interface PredictionRow {
  imageId: number;
  split: Split;
  label: number;
  predicted: number;
  confidence: number;
  probabilities: number[];
}

/** Every prediction of a run with its image's current label, in image order, for export. */
export function* iteratePredictions(db: Db, runId: number): Generator<PredictionRow> {
  const rows = db
    .prepare('SELECT p.image_id, i.split, i.label, p.predicted, p.confidence, p.probabilities FROM predictions p JOIN images i ON i.id = p.image_id WHERE p.run_id = ? ORDER BY p.image_id')
    .raw()
    .iterate(runId) as IterableIterator<[number, Split, number, number, number, Buffer]>;
  for (const [imageId, split, label, predicted, confidence, probabilities] of rows) {
    yield { imageId, split, label, predicted, confidence, probabilities: Array.from({ length: CLASS_COUNT }, (_, c) => probabilities.readFloatLE(c * 4)) };
  }
}

/** `[label, predicted by runId, predicted by otherRunId]` for every image of a split both runs predicted. */
export function sharedPredictions(db: Db, runId: number, otherRunId: number, split: Split): [number, number, number][] {
  return db
    .prepare(
      `SELECT i.label, p.predicted, q.predicted FROM predictions p
       JOIN predictions q ON q.image_id = p.image_id AND q.run_id = ?
       JOIN images i ON i.id = p.image_id
       WHERE p.run_id = ? AND i.split = ?`,
    )
    .raw()
    .all(otherRunId, runId, split) as [number, number, number][];
}
