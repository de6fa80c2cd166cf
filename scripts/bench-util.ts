import type { LayersModel } from '@tensorflow/tfjs-layers';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openBackend, type Backend } from '../src/main/app-backend.ts';
import { importDataset } from '../src/main/dataset/import-service.ts';
import type { Db } from '../src/main/db/connection.ts';
import { createRun } from '../src/main/db/runs.ts';
import { resolveTrainConfig } from '../src/main/jobs/training-jobs.ts';
import { initBackend } from '../src/main/ml/backend.ts';
import { loadImages } from '../src/main/ml/data.ts';
import { buildModel, modelDefaults } from '../src/main/ml/models.ts';
import { seededRandom } from '../src/main/ml/random.ts';
import { trainModel } from '../src/main/ml/train.ts';
import { FASHION_MNIST_DIR } from '../test/fashion-data.ts';

/** Runs `work` on a new temporary workspace holding Fashion-MNIST (as dataset 1), in a folder of its own, then deletes both. */
export async function withFashionWorkspace<T>(name: string, work: (backend: Backend, dir: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `fashion-sorter-bench-${name}-`));
  const backend = openBackend({ dbPath: path.join(dir, 'workspace.db'), host: 'web' });
  try {
    await importDataset(backend.db, [FASHION_MNIST_DIR], {});
    return await work(backend, dir);
  } finally {
    backend.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Median of a list of measurements. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return Number((sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2).toFixed(4));
}

/** Runs `work` once and returns its wall-clock seconds with its result. */
export async function timed<T>(work: () => Promise<T> | T): Promise<{ seconds: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { seconds: Number(((performance.now() - start) / 1000).toFixed(4)), value };
}

/** Trains the notebook's MLP for `epochs` epochs on the workspace's training split (no validation), and records a run for it. */
export async function trainQuickMlp(db: Db, epochs: number): Promise<{ runId: number; model: LayersModel }> {
  await initBackend();
  const runId = createRun(db, resolveTrainConfig(db, { model: 'mlp' }), new Date());
  const model = buildModel('mlp', 1);
  const empty = { imageIds: new Int32Array(0), labels: new Uint8Array(0), pixels: new Uint8Array(0) };
  const config = { model: 'mlp' as const, datasetId: 1, ...modelDefaults('mlp', 'wasm'), epochs, validationFraction: 0, seed: 1, limit: null, includeUserLabels: false };
  await trainModel(model, { train: loadImages(db, 1, ['train']), validation: empty }, config, seededRandom(1));
  return { runId, model };
}
