import { describe, expect, it } from 'vitest';
import { importDataset } from '../../../src/main/dataset/import-service.ts';
import { getRun, listRuns, runEpochs } from '../../../src/main/db/runs.ts';
import { resolveTrainConfig, TrainingJobs, type WorkerHandle } from '../../../src/main/jobs/training-jobs.ts';
import { trainingEngine } from '../../../src/main/ml/tensorflow-available.ts';
import { activateRun, activeRunId } from '../../../src/main/runs/active-run.ts';
import { nodeWorkerLauncher } from '../../../src/main/workers/node-launcher.ts';
import { modelDefaults } from '../../../src/shared/model-defaults.ts';
import type { TrainJobUpdate } from '../../../src/shared/types.ts';
import { tempDir, tempWorkspace, TEST_BACKEND, writeIdxSlice } from '../../helpers.ts';

/** A workspace with 400 real training and 100 real test images. */
async function workspace() {
  const { db, file } = tempWorkspace();
  const dir = tempDir();
  writeIdxSlice(dir, 'train', 400);
  writeIdxSlice(dir, 'test', 100);
  await importDataset(db, [dir], {});
  return { db, file };
}

function jobsFor(db: ReturnType<typeof tempWorkspace>['db'], file: string, onLaunch?: (handle: WorkerHandle) => void) {
  const updates: TrainJobUpdate[] = [];
  const launch = nodeWorkerLauncher();
  const jobs = new TrainingJobs({
    db,
    dbPath: file,
    launch: () => {
      const handle = launch();
      onLaunch?.(handle);
      return handle;
    },
    publish: (update) => updates.push(update as TrainJobUpdate),
  });
  return { jobs, updates };
}

/** Resolves once a running job has trained its first batch. */
function firstBatchTrained(jobs: TrainingJobs): Promise<void> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (jobs.running().some((u) => u.progress.batch > 0)) {
        clearInterval(timer);
        resolve();
      }
    }, 20);
  });
}

describe('training jobs in a separate process', () => {
  it('trains, reports progress per batch and epoch, and stores the model and a prediction for every image', async () => {
    const { db, file } = await workspace();
    const { jobs, updates } = jobsFor(db, file);
    const { jobId, runId } = jobs.start({ model: 'mlp', epochs: 2, batchSize: 50 });
    expect(getRun(db, runId)!.status).toBe('running');

    const final = await jobs.whenFinished(jobId);
    expect(final.state).toBe('succeeded');
    expect(final.progress.fraction).toBe(1);
    expect(updates.filter((u) => u.progress.phase === 'training').length).toBeGreaterThan(2);
    expect(updates.filter((u) => u.epoch).map((u) => u.epoch!.epoch)).toEqual([1, 2]);
    expect(updates.every((u) => u.jobId === jobId)).toBe(true);

    const run = getRun(db, runId)!;
    expect(run).toMatchObject({ status: 'succeeded', backend: TEST_BACKEND, epochsCompleted: 2, trainImages: 360, validationImages: 40 });
    expect(run.testAccuracy).toBeGreaterThan(0.3);
    expect(runEpochs(db, runId)).toHaveLength(2);
    expect(db.prepare('SELECT COUNT(*) AS n FROM predictions WHERE run_id = ?').get(runId)).toEqual({ n: 500 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM model_artifacts WHERE run_id = ?').get(runId)).toEqual({ n: 1 });
  });

  it('cancels within a batch: the run is kept, marked cancelled, without predictions', async () => {
    const { db, file } = await workspace();
    const { jobs } = jobsFor(db, file);
    const { jobId, runId } = jobs.start({ model: 'mlp', epochs: 200, batchSize: 20, patience: 0 });
    await firstBatchTrained(jobs);
    jobs.cancel(jobId);
    const final = await jobs.whenFinished(jobId);
    expect(final.state).toBe('cancelled');
    expect(getRun(db, runId)!.status).toBe('cancelled');
    expect(db.prepare('SELECT COUNT(*) AS n FROM predictions WHERE run_id = ?').get(runId)).toEqual({ n: 0 });
  });

  it('marks the run failed, with the reason, when the training process dies', async () => {
    const { db, file } = await workspace();
    let handle: WorkerHandle | undefined;
    const { jobs } = jobsFor(db, file, (h) => (handle = h));
    const { jobId, runId } = jobs.start({ model: 'mlp', epochs: 200, batchSize: 20, patience: 0 });
    await firstBatchTrained(jobs);
    handle!.kill();
    const final = await jobs.whenFinished(jobId);
    expect(final.state).toBe('failed');
    // kill() sends SIGKILL; the reason says so rather than an exit code the process never gave.
    expect(final.error).toMatch(/^The training process stopped unexpectedly \(killed by SIGKILL\)[.:]/);
    const run = getRun(db, runId)!;
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/stopped unexpectedly/);
    // The workspace stays consistent: nothing half-written for this run.
    expect(db.prepare('SELECT COUNT(*) AS n FROM predictions WHERE run_id = ?').get(runId)).toEqual({ n: 0 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM model_artifacts WHERE run_id = ?').get(runId)).toEqual({ n: 0 });
  });

  it('the promotion gate: a worse new run does not replace the active model, unless a person chooses it', async () => {
    const { db, file } = await workspace();
    const { jobs } = jobsFor(db, file);
    const good = jobs.start({ model: 'mlp', epochs: 3, batchSize: 50, seed: 1 });
    const first = await jobs.whenFinished(good.jobId);
    expect(first.promoted).toBe(true);
    expect(activeRunId(db)).toBe(good.runId);

    // A learning rate this small leaves the model close to chance: worse on the test split.
    const poor = jobs.start({ model: 'mlp', epochs: 1, batchSize: 50, seed: 1, learningRate: 1e-6 });
    const second = await jobs.whenFinished(poor.jobId);
    expect(second.state).toBe('succeeded');
    expect(second.run!.testAccuracy!).toBeLessThan(first.run!.testAccuracy!);
    expect(second.promoted).toBe(false);
    expect(activeRunId(db)).toBe(good.runId);

    activateRun(db, poor.runId);
    expect(activeRunId(db)).toBe(poor.runId);
  });

  it('refuses to train without a dataset, in words', async () => {
    const { db, file } = tempWorkspace();
    const { jobs } = jobsFor(db, file);
    expect(() => jobs.start({ model: 'mlp' })).toThrow(/no dataset to train on/);
    expect(listRuns(db)).toEqual([]);
  });

  it('refuses a bad FASHION_SORTER_MAX_REPLICAS before making a run, in the setting\'s words', async () => {
    const { db, file } = await workspace();
    const { jobs } = jobsFor(db, file);
    const before = process.env.FASHION_SORTER_MAX_REPLICAS;
    process.env.FASHION_SORTER_MAX_REPLICAS = '1.5';
    try {
      expect(() => jobs.start({ model: 'mlp' })).toThrow(/FASHION_SORTER_MAX_REPLICAS must be a whole number of at least 1, not "1\.5"/);
      expect(listRuns(db)).toEqual([]);
    } finally {
      if (before === undefined) delete process.env.FASHION_SORTER_MAX_REPLICAS;
      else process.env.FASHION_SORTER_MAX_REPLICAS = before;
    }
  });
});

describe('resolveTrainConfig', () => {
  it("fills what a request leaves out from the defaults of the engine the run will use, and keeps what it gives", async () => {
    const { db } = await workspace();
    expect(resolveTrainConfig(db, { model: 'cnn' }, 'tensorflow')).toMatchObject({ epochs: 15, augment: true, patience: 5, batchSize: 64 });
    expect(resolveTrainConfig(db, { model: 'cnn' }, 'wasm')).toMatchObject({ epochs: 15, augment: true, patience: 5, batchSize: 64 });
    expect(resolveTrainConfig(db, { model: 'cnn', epochs: 2, augment: false }, 'tensorflow')).toMatchObject({ epochs: 2, augment: false });
    // Without an engine named, it is the one training processes here will get.
    expect(resolveTrainConfig(db, { model: 'cnn' })).toMatchObject(modelDefaults('cnn', trainingEngine()));
  });
});
