/**
 * Models live in the workspace: a tfjs IO handler saves the topology and weights of a run into
 * `model_artifacts`, and loads them back on any backend. Export writes the standard tfjs layers format
 * (model.json plus one weights file) that `tf.loadLayersModel` reads in a browser.
 */
import type { io } from '@tensorflow/tfjs-core';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors.ts';
import type { Db } from '../db/connection.ts';
import type { StoredModel } from '../db/run-results.ts';

type ModelArtifacts = io.ModelArtifacts;

/** Saves into the workspace for `runId`. Run inside the transaction that completes the run. */
export function workspaceSaveHandler(db: Db, runId: number, now: () => Date = () => new Date()): io.IOHandler {
  return {
    async save(artifacts: ModelArtifacts): Promise<io.SaveResult> {
      const weights = weightBytes(artifacts.weightData);
      db.prepare('INSERT OR REPLACE INTO model_artifacts (run_id, topology, weight_specs, weights, created_at) VALUES (?, ?, ?, ?, ?)').run(
        runId,
        JSON.stringify(artifacts.modelTopology),
        JSON.stringify(artifacts.weightSpecs),
        weights,
        now().toISOString(),
      );
      return { modelArtifactsInfo: { dateSaved: now(), modelTopologyType: 'JSON', weightDataBytes: weights.length } };
    },
  };
}

/** The model's topology and weights, ready to store with `insertModelArtifacts` in a short transaction. */
export async function storedModelOf(model: { save(handler: io.IOHandler): Promise<io.SaveResult> }): Promise<StoredModel> {
  let stored: StoredModel | null = null;
  await model.save({
    async save(artifacts: ModelArtifacts): Promise<io.SaveResult> {
      const weights = weightBytes(artifacts.weightData);
      stored = { topology: JSON.stringify(artifacts.modelTopology), weightSpecs: JSON.stringify(artifacts.weightSpecs), weights };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weights.length } };
    },
  });
  return stored!;
}

function weightBytes(data: ModelArtifacts['weightData']): Buffer {
  if (!data) return Buffer.alloc(0);
  const parts = Array.isArray(data) ? data : [data];
  return Buffer.concat(parts.map((part) => Buffer.from(part)));
}

/** Loads the model of `runId` from the workspace. */
export function workspaceLoadHandler(db: Db, runId: number): io.IOHandler {
  return {
    async load(): Promise<ModelArtifacts> {
      const row = db.prepare('SELECT topology, weight_specs, weights FROM model_artifacts WHERE run_id = ?').get(runId) as
        | { topology: string; weight_specs: string; weights: Buffer }
        | undefined;
      if (!row) throw new AppError('not-found', `Run ${runId} has no saved model (it may have failed or been cancelled).`);
      const weights = row.weights.buffer.slice(row.weights.byteOffset, row.weights.byteOffset + row.weights.length);
      return { modelTopology: JSON.parse(row.topology), weightSpecs: JSON.parse(row.weight_specs), weightData: weights as ArrayBuffer, format: 'layers-model', generatedBy: 'Fashion Sorter' };
    },
  };
}

/**
 * Writes `model.json` and `weights.bin` into `outDir` (created if needed). Refuses to overwrite
 * existing files: export never destroys what a person already has.
 */
export function exportModelFiles(db: Db, runId: number, outDir: string): { modelJson: string; weightsFile: string } {
  const row = db.prepare('SELECT topology, weight_specs, weights FROM model_artifacts WHERE run_id = ?').get(runId) as
    | { topology: string; weight_specs: string; weights: Buffer }
    | undefined;
  if (!row) throw new AppError('not-found', `Run ${runId} has no saved model (it may have failed or been cancelled).`);
  fs.mkdirSync(outDir, { recursive: true });
  const modelJson = path.join(outDir, 'model.json');
  const weightsFile = path.join(outDir, 'weights.bin');
  for (const file of [modelJson, weightsFile]) {
    if (fs.existsSync(file)) throw new AppError('conflict', `${file} already exists; choose an empty folder.`);
  }
  const manifest = {
    format: 'layers-model',
    generatedBy: 'Fashion Sorter',
    convertedBy: null,
    modelTopology: JSON.parse(row.topology),
    weightsManifest: [{ paths: ['weights.bin'], weights: JSON.parse(row.weight_specs) }],
  };
  fs.writeFileSync(weightsFile, row.weights, { flag: 'wx' });
  fs.writeFileSync(modelJson, JSON.stringify(manifest), { flag: 'wx' });
  return { modelJson, weightsFile };
}
