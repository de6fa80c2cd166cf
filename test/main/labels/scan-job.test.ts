import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { importDataset } from '../../../src/main/dataset/import-service.ts';
import { createScan, getScan, listScans, scanEmbeddings, scanIssues } from '../../../src/main/db/label-scans.ts';
import { relabelImage } from '../../../src/main/db/images.ts';
import { runScanJob } from '../../../src/main/labels/scan-job.ts';
import { initBackend } from '../../../src/main/ml/backend.ts';
import type { LabelScanSettings } from '../../../src/shared/label-scan.ts';
import { tempDir, tempWorkspace, writeIdxSlice } from '../../helpers.ts';
import { injectLabelNoise, scoreAgainstFlips } from '../../label-noise.ts';

const TRAIN = 3000;
const TEST = 300;

describe('a label scan on a slice of real Fashion-MNIST with injected flips', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('finds the flipped labels far better than chance, stores what it saw, and leaves no tensors behind', async () => {
    // Arrange: 3,000 real training images and 300 test images; 5% of the training labels flipped (3%
    // to a random class, 2% between confusable pairs) through the workspace, as a person would.
    const data = tempDir();
    writeIdxSlice(data, 'train', TRAIN);
    writeIdxSlice(data, 'test', TEST);
    const { db } = tempWorkspace();
    const { datasetId } = await importDataset(db, [data], {});
    const ids = (db.prepare("SELECT id, label FROM images WHERE split = 'train' ORDER BY id").all() as { id: number; label: number }[]);
    const labels = Uint8Array.from(ids, (r) => r.label);
    const { flipped } = injectLabelNoise(labels, { randomShare: 0.03, confusableShare: 0.02, seed: 5 });
    for (const i of flipped) relabelImage(db, ids[i].id, labels[i], 'review', new Date());
    const settings: LabelScanSettings = { model: 'mlp', folds: 4, epochs: 10, seed: 1 };
    const scanId = createScan(db, datasetId, settings, new Date());
    const before = tf.memory().numTensors;

    // Act
    const done = await runScanJob({ db, scanId, datasetId, settings, backend: 'wasm', keepOld: false, onProgress: () => {}, signal: new AbortController().signal });

    // Assert
    expect(done).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    const scan = getScan(db, scanId)!;
    expect(scan).toMatchObject({ status: 'succeeded', images: TRAIN, labelsChangedSince: 0 });
    expect(scan.results!.noiseRates).toHaveLength(10);
    const { total, issues } = scanIssues(db, scanId);
    expect(total).toBe(scan.issues);
    const position = new Map(ids.map((r, i) => [r.id, i]));
    const found = issues.map((i) => position.get(i.imageId)!);
    const score = scoreAgainstFlips(flipped, found, found);
    // Chance is 5% (150 of 3,000): a useful scan is many times better, in precision and in its ranking.
    expect(score.precision).toBeGreaterThan(0.25);
    expect(score.recall).toBeGreaterThan(0.5);
    expect(score.topNPrecision).toBeGreaterThan(0.4);
    // Issues come most likely wrong first, each with its suggestion and where it came from.
    expect(issues[0].score).toBeLessThanOrEqual(issues.at(-1)!.score);
    expect(issues[0].suggestedLabel).not.toBe(issues[0].label);
    expect(issues[0].source).toMatch(/train-images-idx3-ubyte\.gz#\d+$/);
    // Every image of the dataset, test split included, has an embedding from one model.
    const embedded = scanEmbeddings(db, scanId);
    expect(embedded.imageIds).toHaveLength(TRAIN + TEST);
    expect(embedded.size).toBe(64);

    // A label changed elsewhere makes the scan out of date; one changed from the scan's list does not.
    relabelImage(db, issues[0].imageId, issues[0].suggestedLabel, 'scan', new Date());
    expect(getScan(db, scanId)!.labelsChangedSince).toBe(0);
    relabelImage(db, issues[1].imageId, issues[1].suggestedLabel, 'review', new Date());
    expect(getScan(db, scanId)!.labelsChangedSince).toBe(1);

    // A newer scan replaces it unless told to keep old ones.
    const second = createScan(db, datasetId, { ...settings, epochs: 1, folds: 2 }, new Date());
    await runScanJob({ db, scanId: second, datasetId, settings: { ...settings, epochs: 1, folds: 2 }, backend: 'wasm', keepOld: false, onProgress: () => {}, signal: new AbortController().signal });
    expect(listScans(db).map((s) => s.scanId)).toEqual([second]);
  }, 120_000);
});

describe('a label scan and the replica cap', () => {
  it('hands the number of replicas it was given to every fold, as training does', async () => {
    await initBackend('wasm');
    const data = tempDir();
    writeIdxSlice(data, 'train', 200);
    const { db } = tempWorkspace();
    const { datasetId } = await importDataset(db, [data], {});
    const settings: LabelScanSettings = { model: 'mlp', folds: 2, epochs: 1, seed: 1 };
    const scanId = createScan(db, datasetId, settings, new Date());
    // Zero replicas cannot train: the fold's training refuses it, so the number reached it.
    const replicaScript = new URL('../../../src/main/workers/replica-worker.ts', import.meta.url).pathname;
    await expect(
      runScanJob({ db, scanId, datasetId, settings, backend: 'wasm', keepOld: false, onProgress: () => {}, signal: new AbortController().signal, replicaScript, replicas: 0 }),
    ).rejects.toThrow(/number of training replicas must be a whole number of at least 1, not 0/);
  }, 60_000);
});
