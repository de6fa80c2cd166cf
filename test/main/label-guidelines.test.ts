/**
 * `scan:guidelines`: the guideline cards Classify shows warehouse staff, from the newest scan of the
 * dataset a run was trained on.
 */
import { describe, expect, it } from 'vitest';
import { PhotoClassifier } from '../../src/main/classify/photo-classifier.ts';
import { importDataset } from '../../src/main/dataset/import-service.ts';
import { completeScan, createScan, lastLabelChangeId } from '../../src/main/db/label-scans.ts';
import { createRun } from '../../src/main/db/runs.ts';
import { createHandlers, dispatch } from '../../src/main/handlers.ts';
import { resolveTrainConfig, TrainingJobs } from '../../src/main/jobs/training-jobs.ts';
import { nodeWorkerLauncher } from '../../src/main/workers/node-launcher.ts';
import type { Db } from '../../src/main/db/connection.ts';
import { tempDir, tempWorkspace, writeIdxSlice } from '../helpers.ts';

/** Stores a finished scan of every image of a dataset whose top overlapping pairs are `overlapping`. */
function storeScan(db: Db, datasetId: number, overlapping: { a: number; b: number; share: number }[]): number {
  const images = db.prepare('SELECT id, label FROM images WHERE dataset_id = ? ORDER BY id').all(datasetId) as { id: number; label: number }[];
  const n = images.length;
  const probabilities = new Float32Array(n * 10).fill(0.05);
  // Each image's own class likeliest, and (by its id) some more or less of Shirt.
  images.forEach((image, i) => {
    probabilities[i * 10 + image.label] = 0.5;
    probabilities[i * 10 + 6] += (image.id % 7) / 100;
  });
  const scanId = createScan(db, datasetId, { model: 'mlp', folds: 2, epochs: 1, seed: 1 }, new Date());
  completeScan(
    db,
    scanId,
    {
      backend: 'wasm',
      seconds: 1,
      lastChangeId: lastLabelChangeId(db),
      results: { thresholds: [], confidentJoint: [], joint: [], noiseMatrix: [], noiseRates: new Array(10).fill(0), overlapping, outOfFoldAccuracy: 1, nearDuplicates: { leakage: 0, differentLabels: 0 }, outliers: 0 },
      imageIds: Int32Array.from(images, (i) => i.id),
      labels: Uint8Array.from(images, (i) => i.label),
      judged: n,
      fold: new Uint8Array(n),
      probabilities,
      quality: new Float64Array(n).fill(0.9),
      suggested: Uint8Array.from(images, (i) => i.label),
      issueRank: new Int32Array(n),
      outlierScore: null,
      embeddings: new Float32Array(0),
      embeddingSize: 0,
      duplicates: [],
    },
    new Date(),
  );
  return scanId;
}

async function setup() {
  const { db, file } = tempWorkspace();
  const jobs = new TrainingJobs({ db, dbPath: file, launch: nodeWorkerLauncher(), publish: () => {} });
  const handlers = createHandlers({ db, dbPath: file, version: '1', host: 'web', bundledDatasetDirs: [], events: () => {}, jobs, classifier: new PhotoClassifier(db) });
  const data = tempDir();
  writeIdxSlice(data, 'train', 300);
  const { datasetId } = await importDataset(db, [data], {});
  const other = tempDir();
  writeIdxSlice(other, 'test', 50);
  const { datasetId: otherDatasetId } = await importDataset(db, [other], { name: 'Other' });
  const runId = createRun(db, resolveTrainConfig(db, { model: 'mlp', epochs: 1, datasetId }), new Date());
  const otherRunId = createRun(db, resolveTrainConfig(db, { model: 'mlp', epochs: 1, datasetId: otherDatasetId }), new Date());
  return { db, handlers, datasetId, runId, otherRunId };
}

describe('scan:guidelines', () => {
  it('is null, not an error, while the run\'s dataset has no finished scan, or there is no model', async () => {
    const { handlers, runId } = await setup();
    expect(await dispatch(handlers, 'scan:guidelines', { runId })).toEqual({ ok: true, value: null });
    // No run has succeeded: there is no active model.
    expect(await dispatch(handlers, 'scan:guidelines', {})).toEqual({ ok: true, value: null });
  });

  it('gives the top overlapping pairs of the newest scan of the run\'s dataset, each with typical images of both sides', async () => {
    const { db, handlers, datasetId, runId, otherRunId } = await setup();
    storeScan(db, datasetId, [{ a: 0, b: 5, share: 0.05 }]);
    const newest = storeScan(db, datasetId, [
      { a: 0, b: 6, share: 0.04 },
      { a: 2, b: 4, share: 0.03 },
      { a: 7, b: 5, share: 0.02 },
      { a: 1, b: 3, share: 0.01 },
    ]);
    const result = await dispatch(handlers, 'scan:guidelines', { runId });
    expect(result.ok).toBe(true);
    const value = (result as { value: { scanId: number; cards: { a: number; b: number; typical: { label: number; imageId: number; pixels: Uint8Array }[][] }[] } }).value;
    expect(value.scanId).toBe(newest);
    expect(value.cards.map((c) => [c.a, c.b])).toEqual([[0, 6], [2, 4], [7, 5]]);
    const [tshirts, shirts] = value.cards[0].typical;
    expect(tshirts.length).toBeGreaterThan(0);
    expect(shirts.length).toBeGreaterThan(0);
    expect(tshirts.every((i) => i.label === 0 && i.pixels.length === 784)).toBe(true);
    expect(shirts.every((i) => i.label === 6)).toBe(true);
    // The T-shirts shown are those nearest Shirt: the highest probability of Shirt first.
    const shirtness = (imageId: number): number => imageId % 7;
    expect(tshirts.map((i) => shirtness(i.imageId))).toEqual([...tshirts.map((i) => shirtness(i.imageId))].sort((x, y) => y - x));
    // Another dataset's run: its dataset was never scanned.
    expect(await dispatch(handlers, 'scan:guidelines', { runId: otherRunId })).toEqual({ ok: true, value: null });
    // A named scan's cards (the Label issues view): the older scan here, and a scan that does not exist is refused.
    const older = (await dispatch(handlers, 'scan:guidelines', { scanId: newest - 1 })) as { ok: true; value: { scanId: number; cards: { a: number; b: number }[] } };
    expect(older.value.scanId).toBe(newest - 1);
    expect(older.value.cards.map((c) => [c.a, c.b])).toEqual([[0, 5]]);
    expect(await dispatch(handlers, 'scan:guidelines', { scanId: 999 })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    // Deleting a scan that does not exist is refused in the same words, not done silently.
    expect(await dispatch(handlers, 'scan:delete', { scanId: 999 })).toMatchObject({ ok: false, error: { code: 'not-found', message: 'There is no label scan 999.' } });
  });
});
