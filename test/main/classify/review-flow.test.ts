/**
 * The warehouse review flow on a real trained model: stored batches, who decided what, the undo
 * stack, photos seen before, the per-class gate with its audit sample, unusual photos, and sorting.
 */
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteBatch, listBatches, openBatch, pruneStaleBatches } from '../../../src/main/classify/batch-store.ts';
import { PhotoClassifier } from '../../../src/main/classify/photo-classifier.ts';
import { decidePhotos, undoLastDecision, undoLastDecisions } from '../../../src/main/classify/decisions.ts';
import { saveReviewSettings } from '../../../src/main/classify/run-gate.ts';
import { sortBatch } from '../../../src/main/classify/sort-batch.ts';
import { importDataset } from '../../../src/main/dataset/import-service.ts';
import { setBatchUploadDir } from '../../../src/main/db/batches.ts';
import { ensureWorkspaceId, findWorkspaceId } from '../../../src/main/db/workspace-id.ts';
import { UploadStore } from '../../../src/main/uploads/upload-store.ts';
import { openWorkspace, type Db } from '../../../src/main/db/connection.ts';
import { saveRunValidation } from '../../../src/main/db/run-validation.ts';
import { completeRun, createRun } from '../../../src/main/db/runs.ts';
import { resolveTrainConfig } from '../../../src/main/jobs/training-jobs.ts';
import { initBackend } from '../../../src/main/ml/backend.ts';
import { loadImages, splitForTraining } from '../../../src/main/ml/data.ts';
import { workspaceSaveHandler } from '../../../src/main/ml/model-store.ts';
import { buildModel } from '../../../src/main/ml/models.ts';
import { seededRandom } from '../../../src/main/ml/random.ts';
import { reviewCalibration } from '../../../src/main/ml/review-calibration.ts';
import { trainModel } from '../../../src/main/ml/train.ts';
import { tempDir, writeIdxSlice } from '../../helpers.ts';
import { writeForeignPhoto } from '../../foreign-photos.ts';
import { writePhoto } from '../../photo-fixtures.ts';

/** A workspace with a small MLP trained on 4,000 real images, with its review calibration stored. */
async function calibratedWorkspace(root: string): Promise<{ db: Db; runId: number }> {
  const db = openWorkspace(path.join(root, 'workspace.db'));
  const dir = path.join(root, 'idx');
  fs.mkdirSync(dir);
  writeIdxSlice(dir, 'train', 4000);
  await importDataset(db, [dir], {});
  const config = resolveTrainConfig(db, { model: 'mlp', epochs: 8, batchSize: 64 });
  const runId = createRun(db, config, new Date());
  const data = splitForTraining(loadImages(db, 1, ['train']), { validationFraction: 0.25, limit: null, random: seededRandom(1) });
  const model = buildModel('mlp', 1);
  await trainModel(model, data, config, seededRandom(1));
  await model.save(workspaceSaveHandler(db, runId));
  completeRun(db, runId, { bestEpoch: 1, secondsPerEpoch: 1, testAccuracy: 0.8, testLoss: 0.5 }, new Date());
  saveRunValidation(db, runId, (await reviewCalibration(model, 'mlp', data.train, data.validation))!);
  model.dispose();
  return { db, runId };
}

const userImages = (db: Db): { id: number; label: number }[] => db.prepare("SELECT id, label FROM images WHERE split = 'user' ORDER BY id").all() as { id: number; label: number }[];

describe('review flow', () => {
  let db: Db;
  let classifier: PhotoClassifier;
  let photos: string;
  let root: string;
  beforeAll(async () => {
    await initBackend('wasm');
    // Shared by the tests below, so made here rather than per test.
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'fashion-sorter-review-'));
    ({ db } = await calibratedWorkspace(root));
    classifier = new PhotoClassifier(db);
    photos = path.join(root, 'photos');
    for (const i of [1, 2, 3, 8, 16, 17, 20, 21]) await writePhoto(photos, i);
  });
  afterAll(() => {
    classifier.dispose();
    db.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const classifyAll = async (files: string[], random?: () => number) => {
    const batch = classifier.plan(files);
    return { batch, photos: await classifier.classify(batch, files, { random }) };
  };
  const files = (): string[] => fs.readdirSync(photos).filter((f) => f.endsWith('.jpg')).sort().map((f) => path.join(photos, f));

  it('uses a per-class gate from the run’s validation images, and audits a sample of what passed', async () => {
    // Arrange: a loose accepted error rate, so that some classes can skip review at all.
    saveReviewSettings(db, { maxError: 0.2, auditShare: 0.02 });
    const { batch, photos: result } = await classifyAll(files(), seededRandom(3));
    saveReviewSettings(db, { maxError: 0.01 });

    // Assert: the gate is per class and at least one photo passed it; exactly one audit photo goes to review.
    expect(batch.gate.kind).toBe('per-class');
    const gate = batch.gate as Extract<typeof batch.gate, { kind: 'per-class' }>;
    for (const p of result) {
      const threshold = gate.classes[p.predicted!].threshold;
      const passes = !p.unusual && threshold !== null && p.confidence! >= threshold;
      if (!p.audit) expect(p.needsReview).toBe(!passes);
    }
    const passed = result.filter((p) => p.reviewReason === null || p.audit);
    expect(passed.length).toBeGreaterThan(0);
    expect(result.filter((p) => p.audit)).toHaveLength(1);
    expect(openBatch(db, batch.batchId, new Date()).batch.audit).toEqual({ size: 1, checked: 0, wrong: 0 });
    // Photos that passed the gate are not training images: nobody looked at them.
    expect(userImages(db)).toEqual([]);
  });

  it('records who decided, changes labels only through the history, and undoes back to nothing', async () => {
    const { batch, photos: [first, second] } = await classifyAll(files().slice(0, 2));
    const other = (second.predicted! + 1) % 10;

    decidePhotos(db, [first.photoId!], null, new Date());
    const [corrected] = decidePhotos(db, [second.photoId!], other, new Date());
    // The person's class and the model's prediction, side by side.
    expect(corrected).toMatchObject({ label: other, decidedBy: 'corrected', predicted: second.predicted, confidence: second.confidence });
    const [again] = decidePhotos(db, [second.photoId!], second.predicted, new Date());
    expect(again.decidedBy).toBe('accepted');
    const image = userImages(db).at(-1)!;
    expect(image.label).toBe(second.predicted);
    expect(db.prepare('SELECT old_label, new_label, origin FROM label_changes WHERE image_id = ?').all(image.id)).toEqual([{ old_label: other, new_label: second.predicted, origin: 'classify' }]);

    // Undo, newest first: back to the correction, then to no decision (the image it created goes).
    expect(undoLastDecision(db, batch.batchId, new Date())).toMatchObject({ label: other, decidedBy: 'corrected' });
    expect(db.prepare('SELECT label FROM images WHERE id = ?').get(image.id)).toEqual({ label: other });
    expect(undoLastDecision(db, batch.batchId, new Date())).toMatchObject({ label: null, decidedBy: 'model', reviewed: false });
    expect(db.prepare('SELECT COUNT(*) AS n FROM images WHERE id = ?').get(image.id)).toEqual({ n: 0 });
    const history = db.prepare('SELECT note FROM photo_decisions WHERE photo_id = ? ORDER BY id').all(second.photoId) as { note: string | null }[];
    expect(history).toHaveLength(2);
    expect(history.some((h) => h.note === `removed training image ${image.id}`)).toBe(true);
    expect(undoLastDecision(db, batch.batchId, new Date())).toMatchObject({ photoId: first.photoId, decidedBy: 'model' });
    expect(undoLastDecision(db, batch.batchId, new Date())).toBeNull();
  });

  it('shows the latest decision a person made on the same bytes, never the model’s', async () => {
    const file = files()[2];
    const { photos: [before] } = await classifyAll([file]);
    const chosen = (before.predicted! + 3) % 10;
    decidePhotos(db, [before.photoId!], chosen, new Date());
    // The same bytes under another name.
    const copy = path.join(tempDir(), 'renamed.jpg');
    fs.copyFileSync(file, copy);
    const { photos: [seen] } = await classifyAll([copy]);
    expect(seen).toMatchObject({ label: chosen, decidedBy: 'corrected', seenBefore: true, needsReview: false, predicted: before.predicted });
  });

  it('accepts many photos at once, and one undo takes that whole decision back', async () => {
    const { photos: result, batch } = await classifyAll(files().slice(3, 6));
    decidePhotos(db, [result[0].photoId!], 2, new Date(Date.now() - 1000));
    const decided = decidePhotos(db, result.map((p) => p.photoId!), 5, new Date());
    expect(decided.map((p) => p.label)).toEqual([5, 5, 5]);
    // The group comes back together; the earlier single decision stays until the next undo.
    const undone = undoLastDecisions(db, batch.batchId, new Date());
    expect(undone.map((p) => p.photoId).sort()).toEqual(result.map((p) => p.photoId).sort());
    expect(openBatch(db, batch.batchId, new Date()).photos.map((p) => p.label)).toEqual([2, null, null]);
    expect(undoLastDecisions(db, batch.batchId, new Date()).map((p) => p.label)).toEqual([null]);
    expect(undoLastDecisions(db, batch.batchId, new Date())).toEqual([]);
  });

  it('flags photos unlike the training images, whatever their confidence', async () => {
    const dir = tempDir();
    const foreign = [await writeForeignPhoto(dir, 'noise', 1), await writeForeignPhoto(dir, 'checkerboard'), await writeForeignPhoto(dir, 'star'), await writeForeignPhoto(dir, 'blank')];
    const { photos: result } = await classifyAll(foreign);
    const flagged = result.filter((p) => p.unusual);
    // This small MLP separates the checkerboard clearly; a blank photo and noise have nothing to classify.
    // The README gives the measured rates of a full model.
    expect(flagged.map((p) => p.name)).toEqual(expect.arrayContaining(['checkerboard-1.png', 'noise-1.png', 'blank-1.png']));
    for (const p of flagged) expect(p).toMatchObject({ needsReview: true, reviewReason: 'unusual' });
  });

  it('keeps batches until deleted or unopened for 30 days, with their uploads', async () => {
    const { batch } = await classifyAll(files().slice(0, 1));
    // An uploaded batch: its files live in a folder of the app's own, recorded with the batch.
    const store = new UploadStore({ userDataDir: tempDir(), workspaceId: (create) => (create ? ensureWorkspaceId(db) : findWorkspaceId(db)) });
    const upload = await store.createBatch();
    await store.keep(upload);
    fs.copyFileSync(files()[0], path.join(upload.filesFolder, 'x.jpg'));
    setBatchUploadDir(db, batch.batchId, upload.folder);
    expect(listBatches(db).some((b) => b.batchId === batch.batchId)).toBe(true);
    // A stored batch keeps its uploads past the week that loose uploads get.
    const inAMonth = new Date(Date.now() + 31 * 24 * 3600 * 1000);
    expect(await store.prune(inAMonth, { storedBatch: (folder) => folder === upload.folder })).toEqual([]);
    expect(fs.existsSync(upload.folder)).toBe(true);
    // An uploaded photo's training image names it as the browser did, not by the app's own path.
    const [photo] = openBatch(db, batch.batchId, new Date()).photos;
    const [decided] = decidePhotos(db, [photo.photoId!], (photo.predicted! + 2) % 10, new Date());
    const { source } = db.prepare('SELECT i.source FROM images i JOIN photos p ON p.image_id = i.id WHERE p.id = ?').get(decided.photoId) as { source: string };
    expect(source).toBe(`upload:${photo.name}#photo${photo.photoId}`);
    expect(source).not.toContain(path.dirname(photo.file));
    const removeUploads = (folder: string): Promise<void> => store.removeFolder(folder);
    await deleteBatch(db, batch.batchId, removeUploads);
    expect(listBatches(db).some((b) => b.batchId === batch.batchId)).toBe(false);
    expect(fs.existsSync(upload.folder)).toBe(false);

    // A workspace file edited to name someone's folder as a batch's uploads: deleting the batch leaves it.
    const { batch: planted } = await classifyAll(files().slice(0, 1));
    const victim = tempDir();
    fs.writeFileSync(path.join(victim, 'taxes.txt'), 'mine');
    setBatchUploadDir(db, planted.batchId, victim);
    await deleteBatch(db, planted.batchId, removeUploads);
    expect(fs.readFileSync(path.join(victim, 'taxes.txt'), 'utf8')).toBe('mine');

    const { batch: old } = await classifyAll(files().slice(0, 1));
    const count = listBatches(db).length;
    const now = new Date();
    openBatch(db, old.batchId, new Date(now.getTime() - 31 * 24 * 3600 * 1000));
    expect(await pruneStaleBatches(db, now, removeUploads)).toBe(1);
    expect(listBatches(db)).toHaveLength(count - 1);
  });

  it('sorts only into full paths, asks before sorting into the same folder again, and knows moved files are gone', async () => {
    const source = tempDir();
    const mine = files().slice(6, 8).map((f) => {
      const copy = path.join(source, path.basename(f));
      fs.copyFileSync(f, copy);
      return copy;
    });
    const { batch } = await classifyAll(mine);
    await expect(sortBatch(db, batch.batchId, 'sorted')).rejects.toThrow(/must be a full path/);
    const target = tempDir();
    expect((await sortBatch(db, batch.batchId, target)).sorted).toHaveLength(2);
    await expect(sortBatch(db, batch.batchId, target)).rejects.toMatchObject({ code: 'already-sorted' });
    const moved = await sortBatch(db, batch.batchId, target, { again: true, move: true });
    expect(moved.sorted).toHaveLength(2);
    expect(mine.every((f) => !fs.existsSync(f))).toBe(true);
    expect(openBatch(db, batch.batchId, new Date()).batch).toMatchObject({ moved: true, sortedInto: target });
    await expect(sortBatch(db, batch.batchId, tempDir())).rejects.toThrow(/moved already/);
  });
});
