import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PhotoClassifier } from '../../../src/main/classify/photo-classifier.ts';
import { openBatch } from '../../../src/main/classify/batch-store.ts';
import { decidePhotos } from '../../../src/main/classify/decisions.ts';
import { importDataset } from '../../../src/main/dataset/import-service.ts';
import { imageDetail } from '../../../src/main/db/images.ts';
import { completeRun, createRun } from '../../../src/main/db/runs.ts';
import { resolveTrainConfig } from '../../../src/main/jobs/training-jobs.ts';
import { initBackend } from '../../../src/main/ml/backend.ts';
import { loadImages, splitForTraining } from '../../../src/main/ml/data.ts';
import { workspaceSaveHandler } from '../../../src/main/ml/model-store.ts';
import { buildModel } from '../../../src/main/ml/models.ts';
import { seededRandom } from '../../../src/main/ml/random.ts';
import { trainModel } from '../../../src/main/ml/train.ts';
import { reviewThreshold } from '../../../src/main/ml/train-job.ts';
import type { ClassifiedPhoto, JobUpdate } from '../../../src/shared/types.ts';
import type { Db } from '../../../src/main/db/connection.ts';
import { createHandlers } from '../../../src/main/handlers.ts';
import { TaskManager } from '../../../src/main/jobs/task-manager.ts';
import { TrainingJobs } from '../../../src/main/jobs/training-jobs.ts';
import { nodeWorkerLauncher } from '../../../src/main/workers/node-launcher.ts';
import { tempDir, tempWorkspace, TEST_BACKEND, writeIdxSlice } from '../../helpers.ts';
import { testLabel, writePhoto } from '../../photo-fixtures.ts';

/** A workspace with a small MLP trained on 3,000 real images, stored as a succeeded run. */
async function trainedWorkspace() {
  const { db } = tempWorkspace();
  const dir = tempDir();
  writeIdxSlice(dir, 'train', 3000);
  await importDataset(db, [dir], {});
  const config = resolveTrainConfig(db, { model: 'mlp', epochs: 8, batchSize: 64 });
  const runId = createRun(db, config, new Date());
  const data = splitForTraining(loadImages(db, 1, ['train']), { validationFraction: 0.1, limit: null, random: seededRandom(1) });
  const model = buildModel('mlp', 1);
  await trainModel(model, data, config, seededRandom(1));
  await model.save(workspaceSaveHandler(db, runId));
  completeRun(db, runId, { bestEpoch: 1, secondsPerEpoch: 1, testAccuracy: 0.8, testLoss: 0.5 }, new Date());
  model.dispose();
  return { db, runId };
}

/** The request handlers over a workspace, with one task manager whose updates go to `publish`. */
function backendFor(db: Db, publish: (update: JobUpdate) => void) {
  const tasks = new TaskManager(publish);
  const jobs = new TrainingJobs({ db, dbPath: db.name, launch: nodeWorkerLauncher(), publish, tasks });
  const classifier = new PhotoClassifier(db);
  const handlers = createHandlers({ db, dbPath: db.name, version: '0', host: 'web', bundledDatasetDirs: [], events: () => {}, jobs, tasks, classifier });
  return { handlers, tasks };
}

describe('PhotoClassifier', () => {
  beforeAll(async () => {
    expect(await initBackend(TEST_BACKEND)).toBe(TEST_BACKEND);
  });

  it('classifies real photos, streams each result, and reports broken files without stopping', async () => {
    const { db, runId } = await trainedWorkspace();
    const dir = tempDir();
    // Test images 1 (pullover), 2 and 3 (trousers), 8 (sandal), 16 (pullover): as photos.
    const good = await Promise.all([1, 2, 3, 8, 16].map((i) => writePhoto(dir, i)));
    const empty = path.join(dir, 'empty.jpg');
    fs.writeFileSync(empty, '');
    const text = path.join(dir, 'notes.jpg');
    fs.writeFileSync(text, 'not a photo at all');
    const truncated = path.join(dir, 'cut.jpg');
    fs.writeFileSync(truncated, fs.readFileSync(good[0]).subarray(0, 400));
    const vanished = path.join(dir, 'vanished.jpg');

    const classifier = new PhotoClassifier(db);
    const files = [...good, empty, text, truncated, vanished];
    const batch = classifier.plan(files);
    expect(batch).toMatchObject({ runId, total: 9 });
    const streamed: number[] = [];
    const photos = await classifier.classify(batch, files, { onResult: (_photo: ClassifiedPhoto, index: number) => streamed.push(index) });

    expect(streamed.sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    const right = photos.slice(0, 5).filter((p, k) => p.predicted === testLabel([1, 2, 3, 8, 16][k])).length;
    expect(right).toBeGreaterThanOrEqual(4);
    for (const p of photos.slice(0, 5)) {
      expect(p.pixels).toHaveLength(784);
      expect(p.top3).toHaveLength(3);
      expect(p.background).toBe('light');
    }
    expect(photos[5].error).toMatch(/not an image/);
    expect(photos[6].error).toMatch(/not an image/);
    expect(photos[7].error).toMatch(/damaged or incomplete|not an image/);
    expect(photos[8].error).toMatch(/no longer there|not an image/);
    // The batch is stored: its photos and its failed files with their reasons, in order.
    const stored = openBatch(db, batch.batchId, new Date());
    expect(stored.photos.map((p) => p.error === null)).toEqual([true, true, true, true, true, false, false, false, false]);
    expect(stored.batch).toMatchObject({ classified: 5, failed: 4, state: 'done' });
    classifier.dispose();
  });

  it('a workspace that refuses writes fails the batch naming the file; no photo is blamed for it', async () => {
    const { db } = await trainedWorkspace();
    const dir = tempDir();
    const classifier = new PhotoClassifier(db);
    const files = [await writePhoto(dir, 1), await writePhoto(dir, 2)];
    const batch = classifier.plan(files);
    // From here on every write fails with SQLITE_READONLY ("attempt to write a readonly database"), as a
    // workspace does whose file turned read-only.
    db.pragma('query_only = ON');
    const results: ClassifiedPhoto[] = [];
    await expect(classifier.classify(batch, files, { onResult: (photo: ClassifiedPhoto) => results.push(photo) })).rejects.toThrow(
      `The workspace ${db.name} is read-only, so nothing can be saved in it.`,
    );
    expect(results).toEqual([]);
    db.pragma('query_only = OFF');
    expect(db.prepare('SELECT COUNT(*) AS n FROM batch_failures').get()).toEqual({ n: 0 });
    classifier.dispose();
  });

  it('a confirmed or corrected photo becomes a labeled training image (split user)', async () => {
    const { db } = await trainedWorkspace();
    const dir = tempDir();
    const classifier = new PhotoClassifier(db);
    const files = [await writePhoto(dir, 1), await writePhoto(dir, 2)];
    const batch = classifier.plan(files);
    const [first, second] = await classifier.classify(batch, files);
    const [accepted] = decidePhotos(db, [first.photoId!], null, new Date());
    const [corrected] = decidePhotos(db, [second.photoId!], 4, new Date());
    expect(accepted).toMatchObject({ reviewed: true, label: first.predicted, decidedBy: 'accepted' });
    expect(corrected).toMatchObject({ reviewed: true, label: 4, predicted: second.predicted, confidence: second.confidence });
    expect(corrected.decidedBy).toBe(second.predicted === 4 ? 'accepted' : 'corrected');
    const userImages = db.prepare("SELECT label FROM images WHERE split = 'user' ORDER BY id").all();
    expect(userImages).toEqual([{ label: first.predicted }, { label: 4 }]);
    // Deciding again changes the same training image rather than adding another.
    decidePhotos(db, [second.photoId!], 2, new Date());
    expect(db.prepare("SELECT label FROM images WHERE split = 'user' ORDER BY id").all()).toEqual([{ label: first.predicted }, { label: 2 }]);
    // …and that change is in the image's history, like any relabel.
    const imageId = (db.prepare('SELECT image_id FROM photos WHERE id = ?').get(second.photoId!) as { image_id: number }).image_id;
    expect(imageDetail(db, imageId, null).history).toMatchObject([{ oldLabel: 4, newLabel: 2, origin: 'classify' }]);
    classifier.dispose();
  });

  it('links a photo decided again in a later batch to the training image it already is', async () => {
    const { db } = await trainedWorkspace();
    const file = await writePhoto(tempDir(), 3);
    const classifier = new PhotoClassifier(db);
    const decideIn = async (): Promise<number> => {
      const [photo] = await classifier.classify(classifier.plan([file]), [file]);
      decidePhotos(db, [photo.photoId!], 1, new Date());
      return photo.photoId!;
    };
    const [first, second] = [await decideIn(), await decideIn()];
    const linked = db.prepare('SELECT image_id FROM photos WHERE id IN (?, ?) ORDER BY id').all(first, second) as { image_id: number | null }[];
    expect(linked[0].image_id).not.toBeNull();
    expect(linked[1].image_id).toBe(linked[0].image_id);
    expect(db.prepare("SELECT COUNT(*) AS n FROM images WHERE split = 'user'").get()).toEqual({ n: 1 });
    classifier.dispose();
  });

  it('runs as a classify job: progress per photo, cancel between photos, and a final state always published', async () => {
    const { db } = await trainedWorkspace();
    const dir = tempDir();
    const files = await Promise.all([1, 2, 3, 8, 16, 17].map((i) => writePhoto(dir, i)));
    const updates: JobUpdate[] = [];
    let onUpdate: (update: JobUpdate) => void = () => {};
    const { handlers, tasks } = backendFor(db, (u) => {
      updates.push(u);
      onUpdate(u);
    });

    const batch = await handlers['classify:paths']({ paths: files });
    expect(batch.jobId).toBeDefined();
    const done = await tasks.whenFinished(batch.jobId!);
    expect(done).toMatchObject({ kind: 'classify', state: 'succeeded', progress: { done: 6, total: 6, fraction: 1 }, subject: { batchId: batch.batchId } });
    const fractions = updates.filter((u) => u.jobId === batch.jobId).map((u) => u.progress.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));

    // Cancelled as soon as the first photo is done: the rest are never classified.
    onUpdate = (u) => {
      if (u.kind === 'classify' && u.state === 'running' && u.progress.done === 1) void handlers['job:cancel']({ jobId: u.jobId });
    };
    const second = await handlers['classify:paths']({ paths: files });
    expect(await tasks.whenFinished(second.jobId!)).toMatchObject({ kind: 'classify', state: 'cancelled' });
    const kept = openBatch(db, second.batchId, new Date()).photos.length;
    expect(openBatch(db, second.batchId, new Date()).batch.state).toBe('cancelled');
    expect(kept).toBeGreaterThanOrEqual(1);
    expect(kept).toBeLessThan(files.length);
  });

  it('a model that fails to load reaches the UI as a failed classify job', async () => {
    const trained = await trainedWorkspace();
    // The run claims success, but its stored model is gone (e.g. a damaged workspace).
    trained.db.prepare('DELETE FROM model_artifacts').run();
    const updates: JobUpdate[] = [];
    const { handlers, tasks } = backendFor(trained.db, (u) => updates.push(u));
    const batch = await handlers['classify:paths']({ paths: [await writePhoto(tempDir(), 1)] });
    const final = await tasks.whenFinished(batch.jobId!);
    expect(final).toMatchObject({ kind: 'classify', state: 'failed', error: expect.stringMatching(/no saved model/) });
    expect(updates.at(-1)).toEqual(final);
  });

  it('says in words that there is no model to classify with', () => {
    const { db } = tempWorkspace();
    expect(() => new PhotoClassifier(db).plan(['x.jpg'])).toThrow(/no trained model yet/);
  });
});

describe('reviewThreshold', () => {
  it('is the lowest confidence above which predictions are right 97% of the time', () => {
    // 100 predictions with confidence falling from 0.99; the last 20 are all wrong.
    const labels = new Uint8Array(100);
    const probabilities = new Float32Array(1000);
    for (let i = 0; i < 100; i++) {
      const confidence = 0.99 - i * 0.005;
      const predicted = i < 80 ? 0 : 1;
      probabilities[i * 10 + predicted] = confidence;
      probabilities[i * 10 + (predicted === 0 ? 1 : 0)] = 1 - confidence;
    }
    // Top 82 hold 80 right (97.6%); top 83 hold 80 (96.4%): the threshold is the 82nd confidence.
    expect(reviewThreshold(labels, probabilities)).toBeCloseTo(0.99 - 81 * 0.005, 5);
  });
});
