import { describe, expect, it } from 'vitest';
import { PhotoClassifier } from '../../src/main/classify/photo-classifier.ts';
import { importDataset } from '../../src/main/dataset/import-service.ts';
import { createRun, recordEpoch } from '../../src/main/db/runs.ts';
import { createHandlers, dispatch } from '../../src/main/handlers.ts';
import { resolveTrainConfig, TrainingJobs } from '../../src/main/jobs/training-jobs.ts';
import { nodeWorkerLauncher } from '../../src/main/workers/node-launcher.ts';
import { tempDir, tempWorkspace, writeIdxSlice } from '../helpers.ts';

describe('run:epochs', () => {
  it("serves a past run's stored epochs, in order, for its curves", async () => {
    const { db, file } = tempWorkspace();
    const dir = tempDir();
    writeIdxSlice(dir, 'train', 20);
    await importDataset(db, [dir], {});
    const handlers = createHandlers({
      db,
      dbPath: file,
      version: '1',
      host: 'web',
      bundledDatasetDirs: [],
      events: () => {},
      jobs: new TrainingJobs({ db, dbPath: file, launch: nodeWorkerLauncher(), publish: () => {} }),
      classifier: new PhotoClassifier(db),
    });
    const runId = createRun(db, resolveTrainConfig(db, { model: 'mlp' }), new Date());
    const epoch = (n: number) => ({ epoch: n, loss: 1 / n, accuracy: 0.5 + n / 10, valLoss: 1.1 / n, valAccuracy: 0.4 + n / 10, learningRate: 0.001, seconds: 2 });
    recordEpoch(db, runId, epoch(2), new Date());
    recordEpoch(db, runId, epoch(1), new Date());

    expect(await dispatch(handlers, 'run:epochs', { runId })).toEqual({ ok: true, value: [epoch(1), epoch(2)] });
    expect(await dispatch(handlers, 'run:epochs', { runId: runId + 1 })).toMatchObject({ ok: false, error: { code: 'not-found', message: `There is no run ${runId + 1}.` } });
  });
});
