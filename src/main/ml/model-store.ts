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
import { loadModel, saveModel, type StoredModel } from '../db/models.ts';

type ModelArtifacts = io.ModelArtifacts;

/** Saves into the workspace for `runId`. Run inside the transaction that completes the run. */
export function workspaceSaveHandler(db: Db, runId: number, now: () => Date = () => new Date()): io.IOHandler {
  return {
    async save(artifacts: ModelArtifacts): Promise<io.SaveResult> {
      const weights = weightBytes(artifacts.weightData);
      saveModel(db, runId, { topology: JSON.stringify(artifacts.modelTopology), weightSpecs: JSON.stringify(artifacts.weightSpecs), weights }, now());
      return { modelArtifactsInfo: { dateSaved: now(), modelTopologyType: 'JSON', weightDataBytes: weights.length } };
    },
  };
}

/** The model's topology and weights, ready to store with `saveModel` in a short transaction. */
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

/** The stored model of a run, or a not-found error a person can act on. */
function storedModel(db: Db, runId: number): StoredModel {
  const row = loadModel(db, runId);
  if (!row) throw new AppError('not-found', `Run ${runId} has no saved model (it may have failed or been cancelled).`);
  return row;
}

/** Loads the model of `runId` from the workspace. */
export function workspaceLoadHandler(db: Db, runId: number): io.IOHandler {
  return {
    async load(): Promise<ModelArtifacts> {
      const row = storedModel(db, runId);
      const weights = row.weights.buffer.slice(row.weights.byteOffset, row.weights.byteOffset + row.weights.length);
      return { modelTopology: JSON.parse(row.topology), weightSpecs: JSON.parse(row.weightSpecs), weightData: weights as ArrayBuffer, format: 'layers-model', generatedBy: 'Fashion Sorter' };
    },
  };
}

/**
 * Writes `model.json` and `weights.bin` into `outDir` (created if needed). Refuses to overwrite
 * existing files: export never destroys what a person already has.
 */
export function exportModelFiles(db: Db, runId: number, outDir: string): { modelJson: string; weightsFile: string } {
  const row = storedModel(db, runId);
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
    weightsManifest: [{ paths: ['weights.bin'], weights: JSON.parse(row.weightSpecs) }],
  };
  fs.writeFileSync(weightsFile, row.weights, { flag: 'wx' });
  fs.writeFileSync(modelJson, JSON.stringify(manifest), { flag: 'wx' });
  return { modelJson, weightsFile };
}
