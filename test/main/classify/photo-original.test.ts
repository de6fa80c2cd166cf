import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPhotoOriginal } from '../../../src/main/classify/photo-original.ts';
import { insertBatch } from '../../../src/main/db/batches.ts';
import { insertPhoto } from '../../../src/main/db/photos.ts';
import type { Db } from '../../../src/main/db/connection.ts';
import { AppError } from '../../../src/shared/errors.ts';
import { PhotoClassifier } from '../../../src/main/classify/photo-classifier.ts';
import { createHandlers, dispatch } from '../../../src/main/handlers.ts';
import { TrainingJobs } from '../../../src/main/jobs/training-jobs.ts';
import { PathGrants } from '../../../src/main/path-grants.ts';
import { nodeWorkerLauncher } from '../../../src/main/workers/node-launcher.ts';
import { tempDir, tempWorkspace } from '../../helpers.ts';
import { writePhoto } from '../../photo-fixtures.ts';

const BATCH = '00000000-0000-4000-8000-0000000000aa';

/** A stored photo of `file`. */
function storePhoto(db: Db, file: string, position: number, sha256: string | null = null): number {
  return insertPhoto(db, {
    batch_id: BATCH,
    position,
    file,
    name: path.basename(file),
    classified_at: new Date().toISOString(),
    run_id: null,
    pixels: Buffer.alloc(784),
    background: 'light',
    predicted: 3,
    confidence: 0.9,
    probabilities: Buffer.alloc(40),
    label: null,
    decided_by: 'model',
    reviewed_at: null,
    image_id: null,
    review_reason: null,
    unusual: 0,
    feature_distance: null,
    seen_before: 0,
    sha256,
  }).id;
}

describe('a stored photo\'s original for the large view', () => {
  it('reads the file the workspace recorded for the photo, or says why it cannot be shown', async () => {
    const { db } = tempWorkspace();
    const dir = tempDir();
    insertBatch(db, { batchId: BATCH, runId: null, total: 3, gate: { kind: 'single', threshold: 0.9, auditShare: 0 }, uploadDir: null }, new Date());
    const jpeg = await writePhoto(dir, 0);
    const shown = storePhoto(db, jpeg, 0);
    const read: string[] = [];
    const original = await readPhotoOriginal(db, shown, (file) => read.push(file));
    expect(original).toMatchObject({ available: true, mimeType: 'image/jpeg' });
    expect(Buffer.from((original as { bytes: Uint8Array }).bytes).equals(fs.readFileSync(jpeg))).toBe(true);
    expect(read).toEqual([jpeg]);

    fs.rmSync(jpeg);
    expect(await readPhotoOriginal(db, shown, () => {})).toEqual({ available: false, reason: 'The original file is gone (deleted or moved elsewhere)' });
    const tiff = storePhoto(db, path.join(dir, 'scan.tiff'), 1);
    expect(await readPhotoOriginal(db, tiff, () => {})).toEqual({ available: false, reason: 'The original is a .tiff this window cannot show' });
    await expect(readPhotoOriginal(db, 999, () => {})).rejects.toMatchObject({ code: 'not-found' });
  });

  it('sends only the photo that was classified: a file replaced since, or a link to another file, is not sent', async () => {
    const { db } = tempWorkspace();
    const dir = tempDir();
    insertBatch(db, { batchId: BATCH, runId: null, total: 3, gate: { kind: 'single', threshold: 0.9, auditShare: 0 }, uploadDir: null }, new Date());
    const png = await writePhoto(dir, 3, { format: 'png' });
    const hash = createHash('sha256').update(fs.readFileSync(png)).digest('hex');
    const photoId = storePhoto(db, png, 0, hash);
    expect(await readPhotoOriginal(db, photoId, () => {})).toMatchObject({ available: true });
    // The file is swapped for a link to a secret in an allowed folder: the hash no longer matches.
    const secret = path.join(dir, 'secret.txt');
    fs.writeFileSync(secret, 'HOME-SECRET-NOT-A-PHOTO');
    fs.rmSync(png);
    fs.symlinkSync(secret, png);
    const changed = { available: false, reason: 'The file there has changed since the photo was classified' };
    expect(await readPhotoOriginal(db, photoId, () => {})).toEqual(changed);
    // A photo stored before hashes were kept is sent only if its bytes are an image.
    const old = storePhoto(db, png, 1);
    expect(await readPhotoOriginal(db, old, () => {})).toEqual(changed);
    const jpeg = await writePhoto(dir, 4);
    expect(await readPhotoOriginal(db, storePhoto(db, jpeg, 2), () => {})).toMatchObject({ available: true, mimeType: 'image/jpeg' });
  });

  it('reads nothing the door\'s rule refuses', async () => {
    const { db } = tempWorkspace();
    const dir = tempDir();
    insertBatch(db, { batchId: BATCH, runId: null, total: 1, gate: { kind: 'single', threshold: 0.9, auditShare: 0 }, uploadDir: null }, new Date());
    const photoId = storePhoto(db, await writePhoto(dir, 1, { format: 'png' }), 0);
    const refuse = (file: string): void => {
      throw new AppError('unauthorized', `${file}: not an allowed folder`);
    };
    await expect(readPhotoOriginal(db, photoId, refuse)).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('through the contract: a file outside what the door allows is refused, a granted one is served', async () => {
    const { db, file: dbPath } = tempWorkspace();
    const dir = tempDir();
    insertBatch(db, { batchId: BATCH, runId: null, total: 1, gate: { kind: 'single', threshold: 0.9, auditShare: 0 }, uploadDir: null }, new Date());
    const photo = await writePhoto(dir, 2);
    const photoId = storePhoto(db, photo, 0);
    const grants = new PathGrants();
    const jobs = new TrainingJobs({ db, dbPath, launch: nodeWorkerLauncher(), publish: () => {} });
    const handlers = createHandlers({ db, dbPath, version: '1', host: 'electron', bundledDatasetDirs: [], events: () => {}, jobs, classifier: new PhotoClassifier(db), pathGrants: grants });
    expect(await dispatch(handlers, 'classify:photo-original', { photoId })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    grants.grant([dir]);
    expect(await dispatch(handlers, 'classify:photo-original', { photoId })).toMatchObject({ ok: true, value: { available: true, mimeType: 'image/jpeg' } });
  });
});
