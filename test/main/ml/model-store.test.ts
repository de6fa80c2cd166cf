import * as tf from '@tensorflow/tfjs-core';
import { loadLayersModel } from '@tensorflow/tfjs-layers';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRun } from '../../../src/main/db/runs.ts';
import { initBackend } from '../../../src/main/ml/backend.ts';
import { predictProbabilities } from '../../../src/main/ml/evaluate.ts';
import { exportModelFiles, workspaceLoadHandler, workspaceSaveHandler } from '../../../src/main/ml/model-store.ts';
import { buildModel } from '../../../src/main/ml/models.ts';
import { realSplit, tempDir, tempWorkspace, TEST_BACKEND } from '../../helpers.ts';
import { importDataset } from '../../../src/main/dataset/import-service.ts';
import { writeIdxSlice } from '../../fashion-data.ts';
import { resolveTrainConfig } from '../../../src/main/jobs/training-jobs.ts';

describe('models in the workspace', () => {
  beforeAll(async () => {
    expect(await initBackend(TEST_BACKEND)).toBe(TEST_BACKEND);
  });

  const pixels = new Uint8Array(realSplit('test').images.subarray(0, 50 * 784));

  async function savedRun(kind: 'mlp' | 'cnn') {
    const { db } = tempWorkspace();
    const dir = tempDir();
    writeIdxSlice(dir, 'train', 20);
    await importDataset(db, [dir], {});
    const runId = createRun(db, resolveTrainConfig(db, { model: kind }), new Date());
    const model = buildModel(kind, 3);
    await model.save(workspaceSaveHandler(db, runId));
    return { db, runId, model };
  }

  it.each(['mlp', 'cnn'] as const)('a %s round-trips through the workspace with identical predictions', async (kind) => {
    const { db, runId, model } = await savedRun(kind);
    const loaded = await loadLayersModel(workspaceLoadHandler(db, runId));
    expect(await predictProbabilities(loaded, pixels, kind)).toEqual(await predictProbabilities(model, pixels, kind));
    // And on another backend, as the app does when tfjs-node is not there.
    await tf.setBackend('cpu');
    const onCpu = await loadLayersModel(workspaceLoadHandler(db, runId));
    const cpuPredictions = await predictProbabilities(onCpu, pixels, kind);
    await tf.setBackend(TEST_BACKEND);
    const ownPredictions = await predictProbabilities(model, pixels, kind);
    for (let i = 0; i < cpuPredictions.length; i++) expect(cpuPredictions[i]).toBeCloseTo(ownPredictions[i], 4);
    tf.dispose([model, loaded, onCpu] as never);
  });

  it('exports the tfjs layers format that loadLayersModel reads, and never overwrites', async () => {
    const { db, runId, model } = await savedRun('mlp');
    const out = path.join(tempDir(), 'export');
    const { modelJson, weightsFile } = exportModelFiles(db, runId, out);
    const manifest = JSON.parse(fs.readFileSync(modelJson, 'utf8'));
    expect(manifest.format).toBe('layers-model');
    expect(manifest.weightsManifest[0].paths).toEqual(['weights.bin']);
    // What a browser's loadLayersModel('…/model.json') does: read the JSON, then the weights it names.
    const weights = fs.readFileSync(weightsFile);
    const loaded = await loadLayersModel(
      tf.io.fromMemory({ modelTopology: manifest.modelTopology, weightSpecs: manifest.weightsManifest[0].weights, weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.length) }),
    );
    expect(await predictProbabilities(loaded, pixels, 'mlp')).toEqual(await predictProbabilities(model, pixels, 'mlp'));
    expect(() => exportModelFiles(db, runId, out)).toThrow(/already exists/);
  });

  it('says so when a run has no model', async () => {
    const { db, runId } = await savedRun('mlp');
    db.prepare('DELETE FROM model_artifacts').run();
    await expect(loadLayersModel(workspaceLoadHandler(db, runId))).rejects.toThrow(/has no saved model/);
  });
});
