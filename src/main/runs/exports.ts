/**
 * A run's exports as every door asks for them (`run:export-predictions`, `run:export-model`): with `out`
 * they are written there (desktop save dialog, CLI `--out`); without, they come back as downloads that
 * the web UI saves through the browser.
 */
import type { ExportResult } from '../../shared/types.ts';
import type { Db } from '../db/connection.ts';
import { exportModelFiles, modelFiles } from '../ml/model-store.ts';
import { exportPredictionsCsv, predictionsCsv } from './export-predictions.ts';

/** A run's predictions as CSV: written to `out`, or returned as a download. */
export function exportPredictions(db: Db, runId: number, out?: string): ExportResult {
  if (out !== undefined) return { runId, count: exportPredictionsCsv(db, runId, out), written: [out], downloads: [] };
  const { csv, rows } = predictionsCsv(db, runId);
  return { runId, count: rows, written: [], downloads: [{ name: `predictions-run-${runId}.csv`, mime: 'text/csv', data: new TextEncoder().encode(csv) }] };
}

/** A run's model in the TensorFlow.js layers format: written into the folder `out`, or returned as two downloads. */
export function exportModel(db: Db, runId: number, out?: string): ExportResult {
  if (out !== undefined) {
    const files = exportModelFiles(db, runId, out);
    return { runId, count: 2, written: [files.modelJson, files.weightsFile], downloads: [] };
  }
  const files = modelFiles(db, runId);
  return {
    runId,
    count: 2,
    written: [],
    downloads: [
      { name: 'model.json', mime: 'application/json', data: files.modelJson },
      // model.json names its weights file, so it keeps this name.
      { name: 'weights.bin', mime: 'application/octet-stream', data: files.weights },
    ],
  };
}
