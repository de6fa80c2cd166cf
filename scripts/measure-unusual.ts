/**
 * How well the unusual-photo check works, on a trained run of a workspace: the share of real
 * Fashion-MNIST test images it flags (it is calibrated to about 1% on validation images), the share
 * of the same items as photos (through the photo conversion), and the share of clearly foreign photos
 * (blank, noise, shapes, a mug) it flags. Prints JSON.
 *   node scripts/measure-unusual.ts --db FILE [--run ID] [--photos N]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadLayersModel } from '@tensorflow/tfjs-layers';
import { unusualScorer } from '../src/main/classify/run-gate.ts';
import { openWorkspace } from '../src/main/db/connection.ts';
import { getRun } from '../src/main/db/runs.ts';
import { toFashionMnist } from '../src/main/imaging/fashion-convert.ts';
import { initBackend } from '../src/main/ml/backend.ts';
import { loadImages } from '../src/main/ml/data.ts';
import { featureDistances } from '../src/main/ml/feature-distance.ts';
import { predictWithFeatures, scorerInput, withFeatures } from '../src/main/ml/features.ts';
import { workspaceLoadHandler } from '../src/main/ml/model-store.ts';
import { activeRunId } from '../src/main/runs/active-run.ts';
import { FOREIGN_KINDS, writeForeignPhoto, type ForeignKind } from '../test/foreign-photos.ts';
import { writePhoto } from '../test/photo-fixtures.ts';

const { values } = parseArgs({ options: { db: { type: 'string' }, run: { type: 'string' }, photos: { type: 'string', default: '300' }, noise: { type: 'string', default: '20' } } });
if (!values.db) throw new Error('Name the workspace with --db FILE.');
const db = openWorkspace(values.db);
const runId = values.run ? Number(values.run) : activeRunId(db);
const run = runId === null ? undefined : getRun(db, runId);
if (!run) throw new Error('There is no such run.');
const scorer = unusualScorer(db, run.runId);
if (!scorer) throw new Error(`Run ${run.runId} has no unusual-photo scorer (trained before it was stored).`);
await initBackend();
const model = withFeatures(await loadLayersModel(workspaceLoadHandler(db, run.runId)));

async function scores(pixels: Uint8Array): Promise<Float32Array> {
  const { features, dim } = await predictWithFeatures(model, pixels, run!.model);
  return featureDistances(scorer!.model, scorerInput(features, dim, pixels).embeddings);
}
const share = (s: Float32Array): number => Number((s.filter((d) => d > scorer.threshold).length / s.length).toFixed(4));

// Real test images, as the dataset holds them.
const test = loadImages(db, run.datasetId, ['test']);
const testScores = await scores(test.pixels);

// The same kind of items as photos, and foreign photos, through the photo conversion.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fashion-sorter-unusual-'));
async function convertAll(files: string[]): Promise<{ pixels: Uint8Array; failed: number }> {
  const out: Uint8Array[] = [];
  let failed = 0;
  for (const file of files) {
    try {
      out.push((await toFashionMnist(file)).pixels);
    } catch {
      failed++;
    }
  }
  const pixels = new Uint8Array(out.length * 784);
  out.forEach((p, i) => pixels.set(p, i * 784));
  return { pixels, failed };
}
const photoCount = Number(values.photos);
const itemPhotos: string[] = [];
for (let i = 0; i < photoCount; i++) itemPhotos.push(await writePhoto(path.join(dir, 'items'), i));
const items = await convertAll(itemPhotos);
const itemScores = await scores(items.pixels);

const foreign: Record<string, unknown> = {};
let foreignFlagged = 0;
let foreignTotal = 0;
for (const kind of FOREIGN_KINDS as readonly ForeignKind[]) {
  const count = kind.includes('noise') ? Number(values.noise) : 1;
  const files: string[] = [];
  for (let seed = 1; seed <= count; seed++) files.push(await writeForeignPhoto(path.join(dir, 'foreign'), kind, seed));
  const { pixels, failed } = await convertAll(files);
  const s = pixels.length > 0 ? await scores(pixels) : new Float32Array(0);
  const flagged = s.filter((d) => d > scorer.threshold).length;
  foreign[kind] = { photos: count, unreadable: failed, flagged, medianDistance: s.length ? Number([...s].sort((a, b) => a - b)[s.length >> 1].toFixed(2)) : null };
  foreignFlagged += flagged;
  foreignTotal += s.length;
}
fs.rmSync(dir, { recursive: true, force: true });

console.log(
  JSON.stringify(
    {
      runId: run.runId,
      model: run.model,
      testAccuracy: run.testAccuracy,
      threshold: Number(scorer.threshold.toFixed(3)),
      testImagesFlagged: { images: testScores.length, share: share(testScores) },
      itemPhotosFlagged: { photos: itemScores.length, unreadable: items.failed, share: itemScores.length ? share(itemScores) : null },
      foreignPhotosFlagged: { photos: foreignTotal, flagged: foreignFlagged, share: foreignTotal ? Number((foreignFlagged / foreignTotal).toFixed(4)) : null },
      foreign,
    },
    null,
    2,
  ),
);
db.close();
