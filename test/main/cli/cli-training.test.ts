import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, cliWorkspace, tempDir, TEST_BACKEND, writeIdxSlice } from '../../helpers.ts';


describe('training from the CLI', () => {
  it('train prints one JSON line per epoch then the documented summary; evaluate and the exports follow', async () => {
    const { dir, db } = await cliWorkspace(500, 200);

    const train = await cli('train', '--model', 'mlp', '--epochs', '2', '--batch', '50', '--seed', '3', '--limit', '400', '--db', db, '--json');
    expect(train.code).toBe(0);
    const lines = train.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.slice(0, 2).map((l) => l.epoch)).toEqual([1, 2]);
    const summary = lines.at(-1);
    expect(Object.keys(summary).sort()).toEqual(['backend', 'epochs', 'model', 'promoted', 'promotionReason', 'runId', 'secondsPerEpoch', 'testAccuracy', 'trainImages']);
    expect(summary).toMatchObject({ promoted: true, promotionReason: expect.stringMatching(/No model was active/) });
    expect(summary).toMatchObject({ runId: 1, backend: TEST_BACKEND, model: 'mlp', epochs: 2, trainImages: 360 });
    expect(summary.testAccuracy).toBeGreaterThan(0.3);

    const runs = JSON.parse((await cli('runs', '--db', db, '--json')).out);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ runId: 1, status: 'succeeded', config: { seed: 3, limit: 400, epochs: 2 } });

    const evaluation = JSON.parse((await cli('evaluate', '1', '--db', db, '--json')).out);
    expect(evaluation.confusion).toHaveLength(10);
    expect(evaluation.confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(200);
    expect(evaluation.testAccuracy).toBeCloseTo(summary.testAccuracy, 10);
    expect(evaluation.perClass[6]).toMatchObject({ className: 'Shirt' });
    const text = await cli('evaluate', '1', '--db', db);
    expect(text.out).toMatch(/Confusion matrix \(rows: true class, columns: predicted class\)/);

    const csv = path.join(dir, 'predictions.csv');
    expect((await cli('export-predictions', '1', '--out', csv, '--db', db)).code).toBe(0);
    const rows = fs.readFileSync(csv, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('image_id,split,label,class,predicted,predicted_class,confidence,p0,p1,p2,p3,p4,p5,p6,p7,p8,p9');
    expect(rows).toHaveLength(1 + 700);
    const again = await cli('export-predictions', '1', '--out', csv, '--db', db);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already exists/);

    const modelDir = path.join(dir, 'model');
    expect((await cli('export-model', '1', '--out', modelDir, '--db', db)).code).toBe(0);
    expect(fs.readdirSync(modelDir).sort()).toEqual(['model.json', 'weights.bin']);
  });

  it('rejects a bad model name and an unknown run in words', async () => {
    const db = path.join(tempDir(), 'w.db');
    const bad = await cli('train', '--model', 'rnn', '--db', db);
    expect(bad).toMatchObject({ code: 2, err: expect.stringMatching(/--model must be mlp or cnn, not "rnn"/) });
    // Refused for its usage, it made no workspace; one made by an import has no run 9.
    expect(fs.existsSync(db)).toBe(false);
    const data = tempDir();
    writeIdxSlice(data, 'train', 20);
    expect((await cli('import', data, '--db', db)).code).toBe(0);
    const missing = await cli('evaluate', '9', '--db', db);
    expect(missing).toMatchObject({ code: 1, err: expect.stringMatching(/There is no run 9/) });
  });
});
