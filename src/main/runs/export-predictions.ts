import fs from 'node:fs';
import { CLASS_NAMES } from '../../shared/classes.ts';
import { AppError } from '../../shared/errors.ts';
import type { Db } from '../db/connection.ts';
import { iteratePredictions } from '../db/predictions.ts';

const csvField = (value: string | number): string => (typeof value === 'string' && /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : String(value));

/** Rows written per write call. */
const CHUNK_ROWS = 5000;

/**
 * Writes every prediction of a run to a new CSV file: image id, split, label, prediction, confidence and
 * all ten probabilities. Refuses to overwrite an existing file. Returns the number of rows.
 */
export function exportPredictionsCsv(db: Db, runId: number, file: string): number {
  if (fs.existsSync(file)) throw new AppError('conflict', `${file} already exists; choose another file name.`);
  const header = ['image_id', 'split', 'label', 'class', 'predicted', 'predicted_class', 'confidence', ...CLASS_NAMES.map((_, c) => `p${c}`)];
  const fd = fs.openSync(file, 'wx');
  let rows = 0;
  try {
    fs.writeSync(fd, header.join(',') + '\n');
    let chunk: string[] = [];
    for (const p of iteratePredictions(db, runId)) {
      chunk.push([p.imageId, p.split, p.label, CLASS_NAMES[p.label], p.predicted, CLASS_NAMES[p.predicted], p.confidence.toFixed(6), ...p.probabilities.map((v) => v.toFixed(6))].map(csvField).join(','));
      rows++;
      if (chunk.length === CHUNK_ROWS) {
        fs.writeSync(fd, chunk.join('\n') + '\n');
        chunk = [];
      }
    }
    if (chunk.length) fs.writeSync(fd, chunk.join('\n') + '\n');
  } finally {
    fs.closeSync(fd);
  }
  return rows;
}
