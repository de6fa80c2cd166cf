/**
 * Photo classification speed: 1,000 photos of 1–2 megapixels, read from disk, converted, classified
 * with a trained MLP and stored (target ≤ 10 s). The photos are real Fashion-MNIST items rendered as
 * 1200×1200 JPEGs (1.44 MP), made before the clock starts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { completeRun } from '../src/main/db/runs.ts';
import { workspaceSaveHandler } from '../src/main/ml/model-store.ts';
import { testLabel, writePhoto } from '../test/photo-fixtures.ts';
import { median, timed, trainQuickMlp, withFashionWorkspace } from './bench-util.ts';

const PHOTOS = 1000;
const PHOTO_SIDE = 1200;

export async function benchClassify(repeats: number): Promise<Record<string, unknown>> {
  return withFashionWorkspace('classify', async ({ db, classifier }, dir) => {
    const { runId, model } = await trainQuickMlp(db, 5);
    await model.save(workspaceSaveHandler(db, runId));
    completeRun(db, runId, { bestEpoch: null, secondsPerEpoch: 1, testAccuracy: 0, testLoss: 0 }, new Date());
    model.dispose();

    const photoDir = path.join(dir, 'photos');
    const files: string[] = [];
    for (let i = 0; i < PHOTOS; i++) files.push(await writePhoto(photoDir, i, { size: PHOTO_SIDE }));
    const megabytes = files.reduce((sum, f) => sum + fs.statSync(f).size, 0) / 1e6;

    const runs: number[] = [];
    let correct = 0;
    for (let r = 0; r < repeats; r++) {
      const batch = classifier.plan(files);
      const { seconds, value } = await timed(() => classifier.classify(batch, files));
      runs.push(seconds);
      correct = value.filter((p, i) => p.predicted === testLabel(i)).length;
    }
    return {
      photos: PHOTOS,
      megapixelsEach: (PHOTO_SIDE * PHOTO_SIDE) / 1e6,
      megabytesOnDisk: Number(megabytes.toFixed(1)),
      seconds: median(runs),
      runs,
      photosPerSecond: Math.round(PHOTOS / median(runs)),
      accuracyOnThesePhotos: correct / PHOTOS,
    };
  });
}
