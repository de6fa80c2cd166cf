/**
 * Workspaces written by every earlier schema version (test/fixtures/workspaces, made by
 * scripts/make-schema-fixtures.ts) open in this version, and what they held is still there and readable
 * through today's queries.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openWorkspace } from '../../../src/main/db/connection.ts';
import { datasetSummaries, insertImage } from '../../../src/main/db/datasets.ts';
import { galleryPage, imageDetail } from '../../../src/main/db/images.ts';
import { MIGRATIONS } from '../../../src/main/db/migrations.ts';
import { loadModel } from '../../../src/main/db/models.ts';
import { batchPhotoRows } from '../../../src/main/db/photos.ts';
import { listBatchSummaries } from '../../../src/main/db/batches.ts';
import { getScan, scanIssues } from '../../../src/main/db/label-scans.ts';
import { getRun, reviewThresholdOf, runEpochs } from '../../../src/main/db/runs.ts';
import { activeRunId } from '../../../src/main/runs/active-run.ts';
import { fixtureFile } from '../../../scripts/make-schema-fixtures.ts';
import { tempDir } from '../../helpers.ts';

const EARLIER_VERSIONS = Array.from({ length: MIGRATIONS.length - 1 }, (_, i) => i + 1);

/** A copy of a fixture, so the committed file is never upgraded in place. */
function openCopy(version: number) {
  const copy = path.join(tempDir(), `v${version}.db`);
  fs.copyFileSync(fixtureFile(version), copy);
  return openWorkspace(copy);
}

describe('upgrading a workspace from every earlier schema version', () => {
  it('has a fixture for every earlier version (run scripts/make-schema-fixtures.ts after adding a migration)', () => {
    for (const version of EARLIER_VERSIONS) expect(fs.existsSync(fixtureFile(version)), `schema-v${version}.workspace`).toBe(true);
  });

  it.each(EARLIER_VERSIONS)('schema %i: opens at the latest version with its data intact', (version) => {
    const db = openCopy(version);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.pragma('foreign_key_check')).toEqual([]);

    // 1: the dataset, its images and a label's history.
    const [dataset] = datasetSummaries(db);
    expect(dataset).toMatchObject({ name: 'Fixture', images: 3, bySplit: { train: 2, test: 1, user: 0 } });
    expect(imageDetail(db, 3, null)).toMatchObject({ image: { label: 6, source: 'train.idx#1' }, history: [{ oldLabel: 0, newLabel: 6, origin: 'review' }] });
    expect([...imageDetail(db, 2, null).image.pixels.subarray(0, 3)]).toEqual([70, 70, 70]);

    if (version >= 2) {
      expect(getRun(db, 1)).toMatchObject({ status: 'succeeded', model: 'mlp', testAccuracy: 1, backend: 'wasm' });
      expect(runEpochs(db, 1)).toMatchObject([{ epoch: 1, loss: 0.5 }]);
      expect([...loadModel(db, 1)!.weights]).toEqual([1, 2, 3, 4]);
      const errors = galleryPage(db, { kind: 'cell', runId: 1, split: 'train', trueLabel: 6, predicted: 0 }, 'confidence-desc', 0, 10);
      expect(errors.images).toMatchObject([{ imageId: 3, predicted: 0 }]);
      expect(imageDetail(db, 3, 1).prediction?.probabilities[0]).toBeCloseTo(0.82, 5);
    }
    if (version >= 3) {
      expect(imageDetail(db, 3, null).image.suspicious).toBe(true);
      expect(activeRunId(db)).toBe(1);
    }
    if (version >= 5) {
      expect(db.prepare('SELECT promoted, promotion_reason FROM runs WHERE id = 1').get()).toEqual({ promoted: 1, promotion_reason: 'the first finished run' });
    }
    if (version >= 4) {
      expect(reviewThresholdOf(db, 1)).toBe(0.75);
      expect(batchPhotoRows(db, '00000000-0000-4000-8000-000000000001')).toMatchObject([{ name: 'coat.jpg', label: version >= 7 ? 2 : 4, predicted: 4 }]);
      // Migration 7 turns the old photos into a stored batch, and says who decided the photo.
      expect(db.prepare('SELECT id, total, state FROM batches').all()).toEqual([{ id: '00000000-0000-4000-8000-000000000001', total: 1, state: 'done' }]);
      expect(db.prepare('SELECT decided_by FROM photos WHERE id = 1').get()).toEqual({ decided_by: version >= 7 ? 'corrected' : 'accepted' });
      // A batch stored before batches had names is named by its photo.
      expect(listBatchSummaries(db).map((b) => b.name)).toEqual([version >= 9 ? 'winter/ · 1 photo' : 'coat.jpg']);
    }
    if (version >= 8) {
      expect(getScan(db, 1)).toMatchObject({ status: 'succeeded', issues: 1, results: { overlapping: [{ a: 0, b: 6 }] } });
      expect(scanIssues(db, 1).issues).toMatchObject([{ imageId: 3, label: 6, suggestedLabel: 0, rank: 1 }]);
      expect(db.prepare('SELECT image_id, label FROM label_confirmations').all()).toEqual([{ image_id: 2, label: 7 }]);
    }
    if (version >= 6) {
      expect(imageDetail(db, 1, null)).toMatchObject({ image: { label: 5 }, history: [{ oldLabel: 3, newLabel: 5, origin: 'review' }] });
    }
    if (version >= 9) {
      // Image 4 was made by a decision and removed by its undo: its id is not given to a new image.
      expect(insertImage(db, 1, { split: 'user', label: 1, pixels: new Uint8Array(784).fill(90), source: 'new' }).imageId).toBe(5);
    }
    // From now on no image id is reused: a new image, deleted, and another get different ids.
    const { imageId: first } = insertImage(db, 1, { split: 'user', label: 1, pixels: new Uint8Array(784).fill(91), source: 'a' });
    db.prepare('DELETE FROM images WHERE id = ?').run(first);
    expect(insertImage(db, 1, { split: 'user', label: 1, pixels: new Uint8Array(784).fill(92), source: 'b' }).imageId).toBe(first + 1);
    db.close();
  });
});
