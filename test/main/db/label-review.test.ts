import { describe, expect, it } from 'vitest';
import { importDataset } from '../../../src/main/dataset/import-service.ts';
import { relabelImage, setSuspicious } from '../../../src/main/db/images.ts';
import { flaggedImages, listLabelChanges, suspectImageIds, undoLabelChange } from '../../../src/main/db/label-review.ts';
import { completeScan, confirmLabel, createScan, getScan, lastLabelChangeId, scanIssues } from '../../../src/main/db/label-scans.ts';
import { CLASS_NAMES } from '../../../src/shared/classes.ts';
import { tempDir, tempWorkspace, writeIdxSlice } from '../../helpers.ts';

async function setup() {
  const { db } = tempWorkspace();
  const dir = tempDir();
  writeIdxSlice(dir, 'train', 20);
  const { datasetId } = await importDataset(db, [dir], {});
  const images = db.prepare('SELECT id, label FROM images ORDER BY id').all() as { id: number; label: number }[];
  return { db, datasetId, images };
}

/** Stores a finished scan over all images in which the images at `issues` (positions) are issues, in that order. */
function storeScan(db: ReturnType<typeof tempWorkspace>['db'], datasetId: number, images: { id: number; label: number }[], issues: number[]): number {
  const scanId = createScan(db, datasetId, { model: 'mlp', folds: 2, epochs: 1, seed: 1 }, new Date());
  const n = images.length;
  const issueRank = new Int32Array(n);
  issues.forEach((i, r) => (issueRank[i] = r + 1));
  const current = db.prepare('SELECT label FROM images WHERE id = ?');
  completeScan(
    db,
    scanId,
    {
      backend: 'wasm',
      seconds: 1,
      lastChangeId: lastLabelChangeId(db),
      results: { thresholds: [], confidentJoint: [], joint: [], noiseMatrix: [], noiseRates: new Array(10).fill(0), overlapping: [], outOfFoldAccuracy: 1, nearDuplicates: { leakage: 0, differentLabels: 0 }, outliers: 0 },
      imageIds: Int32Array.from(images, (i) => i.id),
      labels: Uint8Array.from(images, (i) => (current.get(i.id) as { label: number }).label),
      judged: n,
      fold: new Uint8Array(n),
      probabilities: new Float32Array(n * 10).fill(0.1),
      quality: Float64Array.from({ length: n }, (_, i) => (issueRank[i] ? issueRank[i] / 100 : 0.9)),
      suggested: new Uint8Array(n),
      issueRank,
      outlierScore: null,
      embeddings: new Float32Array(0),
      embeddingSize: 0,
      duplicates: [],
    },
    new Date(),
  );
  return scanId;
}

describe('label review queries', () => {
  it('lists every label change newest first with its origin, filters by class, and undoes only an image\'s latest change', async () => {
    const { db, datasetId, images } = await setup();
    const [a, b] = images;
    relabelImage(db, a.id, (a.label + 1) % 10, 'review', new Date('2026-01-01T10:00:00Z'));
    relabelImage(db, b.id, 3, 'scan', new Date('2026-01-01T10:01:00Z'));
    relabelImage(db, a.id, (a.label + 2) % 10, 'classify', new Date('2026-01-01T10:02:00Z'));

    const { total, changes } = listLabelChanges(db, datasetId);
    expect(total).toBe(3);
    expect(changes.map((c) => c.origin)).toEqual(['classify', 'scan', 'review']);
    expect(changes.map((c) => c.latest)).toEqual([true, true, false]);
    expect(listLabelChanges(db, datasetId, { label: 3 }).changes.every((c) => c.oldLabel === 3 || c.newLabel === 3)).toBe(true);

    // The oldest change of image a is no longer its latest: refused, naming the later change.
    const oldest = changes[2];
    expect(() => undoLabelChange(db, oldest.changeId, new Date(), CLASS_NAMES)).toThrow(new RegExp(`change ${changes[0].changeId} \\(classify, 2026-01-01 10:02:00: ${CLASS_NAMES[(a.label + 1) % 10]} → ${CLASS_NAMES[(a.label + 2) % 10]}\\)`));
    // The latest one is undone, recorded as an undo.
    undoLabelChange(db, changes[0].changeId, new Date(), CLASS_NAMES);
    expect((db.prepare('SELECT label FROM images WHERE id = ?').get(a.id) as { label: number }).label).toBe((a.label + 1) % 10);
    expect(listLabelChanges(db, datasetId).changes[0]).toMatchObject({ origin: 'undo', imageId: a.id, latest: true });
  });

  it('suspects are flagged images and the newest current scan\'s unresolved issues, never confirmed ones', async () => {
    const { db, datasetId, images } = await setup();
    setSuspicious(db, images[0].id, true);
    storeScan(db, datasetId, images, [1, 2, 3]);
    expect(flaggedImages(db, datasetId).map((i) => i.imageId)).toEqual([images[0].id]);
    expect([...suspectImageIds(db, datasetId)].sort((x, y) => x - y)).toEqual([images[0].id, images[1].id, images[2].id, images[3].id]);

    // Confirming with K takes an image out of the issue list (still findable) and out of the suspects.
    confirmLabel(db, images[2].id, new Date());
    expect(scanIssues(db, 1).issues.map((i) => i.imageId)).toEqual([images[1].id, images[3].id]);
    expect(scanIssues(db, 1, { includeResolved: true }).issues.find((i) => i.imageId === images[2].id)).toMatchObject({ confirmed: true });
    // Taking a suggestion from the scan's list resolves that issue without making the scan out of date.
    relabelImage(db, images[1].id, (images[1].label + 1) % 10, 'scan', new Date());
    expect(getScan(db, 1)!.labelsChangedSince).toBe(0);
    expect([...suspectImageIds(db, datasetId)].sort((x, y) => x - y)).toEqual([images[0].id, images[3].id]);

    // A label changed elsewhere makes the scan out of date: its issues are no longer suspects.
    relabelImage(db, images[10].id, (images[10].label + 1) % 10, 'review', new Date());
    expect(getScan(db, 1)!.labelsChangedSince).toBe(1);
    expect([...suspectImageIds(db, datasetId)]).toEqual([images[0].id]);

    // A resolved issue leaves the list, so reloading it (as an undo of another action does) cannot bring it
    // back with its old label; it is still found with includeResolved, its new label beside the old.
    expect(scanIssues(db, 1)).toMatchObject({ total: 1, issues: [{ imageId: images[3].id }] });
    expect(scanIssues(db, 1, { includeResolved: true }).issues.find((i) => i.imageId === images[1].id)).toMatchObject({ label: images[1].label, currentLabel: (images[1].label + 1) % 10 });
    // Putting the label back reopens the issue.
    relabelImage(db, images[1].id, images[1].label, 'undo', new Date());
    expect(scanIssues(db, 1).issues.map((i) => i.imageId)).toEqual([images[1].id, images[3].id]);
  });
});
