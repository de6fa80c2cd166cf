/**
 * A run's predictions as CSV: image id, split, label, prediction, confidence and all ten probabilities.
 * Written to a file (desktop save dialog, CLI `--out`) or returned whole for a browser to save.
 */
import fs from 'node:fs';
import { CLASS_NAMES } from '../../shared/classes.ts';
import { csvLine } from '../../shared/csv.ts';
import { AppError } from '../../shared/errors.ts';
import type { Db } from '../db/connection.ts';
import { iteratePredictions, predictionCount } from '../db/predictions.ts';
import { getRun } from '../db/runs.ts';

/** Rows written per write call. */
const CHUNK_ROWS = 5000;

const HEADER = csvLine(['image_id', 'split', 'label', 'class', 'predicted', 'predicted_class', 'confidence', ...CLASS_NAMES.map((_, c) => `p${c}`)]);

/** Throws unless the run exists and has predictions: a cancelled or failed run has none to export. */
function checkHasPredictions(db: Db, runId: number): void {
  const run = getRun(db, runId);
  if (!run) throw new AppError('not-found', `There is no run ${runId}.`);
  if (predictionCount(db, runId) === 0) {
    throw new AppError('not-found', `Run ${runId} has no predictions to export: it ${run.status === 'running' ? 'is still training' : run.status === 'cancelled' ? 'was cancelled' : run.status}. Only a run that finished has them.`);
  }
}

/** The CSV lines of a run's predictions, header first, in image order. */
function* predictionLines(db: Db, runId: number): Generator<string> {
  yield HEADER;
  for (const p of iteratePredictions(db, runId)) {
    yield csvLine([p.imageId, p.split, p.label, CLASS_NAMES[p.label], p.predicted, CLASS_NAMES[p.predicted], p.confidence.toFixed(6), ...p.probabilities.map((v) => v.toFixed(6))]);
  }
}

/** Writes every prediction of a run to a new CSV file; refuses to overwrite a file. Returns the number of rows. */
export function exportPredictionsCsv(db: Db, runId: number, file: string): number {
  checkHasPredictions(db, runId);
  if (fs.existsSync(file)) throw new AppError('conflict', `${file} already exists; choose another file name.`);
  const fd = fs.openSync(file, 'wx');
  let lines = 0;
  try {
    let chunk: string[] = [];
    for (const line of predictionLines(db, runId)) {
      chunk.push(line);
      lines++;
      if (chunk.length === CHUNK_ROWS) {
        fs.writeSync(fd, chunk.join('\n') + '\n');
        chunk = [];
      }
    }
    if (chunk.length) fs.writeSync(fd, chunk.join('\n') + '\n');
  } finally {
    fs.closeSync(fd);
  }
  return lines - 1;
}

/** Every prediction of a run as CSV text, for a browser to save. */
export function predictionsCsv(db: Db, runId: number): { csv: string; rows: number } {
  checkHasPredictions(db, runId);
  const lines = [...predictionLines(db, runId)];
  return { csv: lines.join('\n') + '\n', rows: lines.length - 1 };
}
