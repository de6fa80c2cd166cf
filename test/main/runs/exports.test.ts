import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PhotoClassifier } from '../../../src/main/classify/photo-classifier.ts';
import { importDataset } from '../../../src/main/dataset/import-service.ts';
import { saveModel } from '../../../src/main/db/models.ts';
import { insertPredictions } from '../../../src/main/db/predictions.ts';
import { completeRun, createRun, endRun } from '../../../src/main/db/runs.ts';
import { createHandlers, dispatch } from '../../../src/main/handlers.ts';
import { resolveTrainConfig, TrainingJobs } from '../../../src/main/jobs/training-jobs.ts';
import { topClasses } from '../../../src/main/ml/metrics.ts';
import { nodeWorkerLauncher } from '../../../src/main/workers/node-launcher.ts';
import type { ExportResult } from '../../../src/shared/types.ts';
import { tempDir, tempWorkspace, writeIdxSlice } from '../../helpers.ts';

/** A workspace of 20 real test images with one finished run (predictions and a model) and one cancelled run. */
async function setup() {
  const { db, file } = tempWorkspace();
  const dir = tempDir();
  writeIdxSlice(dir, 'test', 20);
  await importDataset(db, [dir], {});
  const ids = Int32Array.from((db.prepare('SELECT id FROM images ORDER BY id').all() as { id: number }[]).map((r) => r.id));
  const finished = createRun(db, resolveTrainConfig(db, { model: 'mlp' }), new Date());
  const probabilities = new Float32Array(ids.length * 10).map((_, k) => ((k % 10) + 1) / 55);
  db.transaction(() => {
    insertPredictions(db, finished, { imageIds: ids, ...topClasses(probabilities), probabilities });
    saveModel(db, finished, { topology: '{"class_name":"Sequential"}', weightSpecs: '[]', weights: Buffer.from([1, 2, 3]) }, new Date());
    completeRun(db, finished, { bestEpoch: 1, secondsPerEpoch: 1, testAccuracy: 0.1, testLoss: 2 }, new Date());
  })();
  const cancelled = createRun(db, resolveTrainConfig(db, { model: 'mlp' }), new Date());
  endRun(db, cancelled, 'cancelled', null, new Date());
  const jobs = new TrainingJobs({ db, dbPath: file, launch: nodeWorkerLauncher(), publish: () => {} });
  const handlers = createHandlers({ db, dbPath: file, version: '0', host: 'web', bundledDatasetDirs: [], events: () => {}, jobs, classifier: new PhotoClassifier(db) });
  return { handlers, finished, cancelled, rows: ids.length };
}

describe('run:export-predictions and run:export-model', () => {
  it('without out, return downloads the browser can save: the CSV, and model.json with weights.bin', async () => {
    const { handlers, finished, rows } = await setup();
    const csv = (await dispatch(handlers, 'run:export-predictions', { runId: finished })) as { ok: true; value: ExportResult };
    expect(csv.value).toMatchObject({ runId: finished, count: rows, written: [] });
    const text = new TextDecoder().decode(csv.value.downloads[0].data);
    expect(csv.value.downloads[0]).toMatchObject({ name: `predictions-run-${finished}.csv`, mime: 'text/csv' });
    expect(text.split('\n').filter(Boolean)).toHaveLength(rows + 1);
    expect(text.split('\n')[1]).toMatch(/^\d+,test,\d,[^,]+,9,Ankle boot,0\.181818,/);

    const model = (await dispatch(handlers, 'run:export-model', { runId: finished })) as { ok: true; value: ExportResult };
    expect(model.value.downloads.map((d) => d.name)).toEqual(['model.json', 'weights.bin']);
    expect(JSON.parse(new TextDecoder().decode(model.value.downloads[0].data))).toMatchObject({ format: 'layers-model', weightsManifest: [{ paths: ['weights.bin'] }] });
    expect([...model.value.downloads[1].data]).toEqual([1, 2, 3]);
  });

  it('with out, write there and never overwrite', async () => {
    const { handlers, finished, rows } = await setup();
    const out = path.join(tempDir(), 'p.csv');
    expect(await dispatch(handlers, 'run:export-predictions', { runId: finished, out })).toMatchObject({ ok: true, value: { count: rows, written: [out], downloads: [] } });
    expect(fs.readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(rows + 1);
    expect(await dispatch(handlers, 'run:export-predictions', { runId: finished, out })).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('a run without predictions (cancelled) is an error, not an empty CSV', async () => {
    const { handlers, cancelled } = await setup();
    const out = path.join(tempDir(), 'p.csv');
    expect(await dispatch(handlers, 'run:export-predictions', { runId: cancelled, out })).toMatchObject({
      ok: false,
      error: { code: 'not-found', message: expect.stringMatching(/no predictions to export: it was cancelled/) },
    });
    expect(fs.existsSync(out)).toBe(false);
    expect(await dispatch(handlers, 'run:export-model', { runId: cancelled })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await dispatch(handlers, 'run:evaluation', { runId: cancelled, split: 'test' })).toMatchObject({
      ok: false,
      error: { code: 'not-found', message: `Run ${cancelled} has no predictions: it was cancelled.` },
    });
  });
});
