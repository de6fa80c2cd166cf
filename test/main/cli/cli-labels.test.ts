import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openWorkspace } from '../../../src/main/db/connection.ts';
import { importDataset } from '../../../src/main/dataset/import-service.ts';
import { completeScan, createScan, lastLabelChangeId } from '../../../src/main/db/label-scans.ts';
import { cli, kaggleCsv, realSplit, tempDir, writeIdxSlice } from '../../helpers.ts';

describe('label scans from the CLI', () => {
  it('label-scan prints JSON progress lines then the documented summary; label-issues lists issues with their CSV rows', async () => {
    // Arrange: 1,200 real training images from a Kaggle CSV; the first Trouser and the first Bag (classes
    // nothing else looks like) are given wrong labels. Data row r (1-based) is line r of the text.
    const dir = tempDir();
    const { labels } = realSplit('train');
    const lines = kaggleCsv('train', 1200).split('\n');
    const wrong = new Map<number, number>();
    for (const planted of [1, 8]) {
      const row = labels.indexOf(planted) + 1;
      const cells = lines[row].split(',');
      wrong.set(row, (planted + 5) % 10);
      cells[0] = String(wrong.get(row));
      lines[row] = cells.join(',');
    }
    const csv = path.join(dir, 'fashion-mnist_train.csv');
    fs.writeFileSync(csv, lines.join('\n'));
    const db = path.join(dir, 'w.db');
    expect((await cli('import', csv, '--split', 'train', '--db', db)).code).toBe(0);

    // Act
    const scan = await cli('label-scan', '--model', 'mlp', '--folds', '3', '--epochs', '8', '--seed', '2', '--db', db, '--json');

    // Assert: progress per fold and epoch, then the summary with exactly the documented keys.
    expect(scan.code).toBe(0);
    const out = scan.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(out.some((l) => l.phase === 'training' && l.fold === 3 && l.epoch === 8)).toBe(true);
    const summary = out.at(-1);
    expect(Object.keys(summary).sort()).toEqual(['issues', 'noiseRates', 'overlappingPairs', 'scanId', 'seconds']);
    expect(summary.scanId).toBe(1);
    expect(summary.noiseRates).toHaveLength(10);
    expect(summary.overlappingPairs).toHaveLength(45);
    expect(Object.keys(summary.overlappingPairs[0]).sort()).toEqual(['a', 'b', 'share']);
    expect(summary.issues).toBeGreaterThan(0);

    const listed = await cli('label-issues', '--top', '40', '--db', db, '--json');
    expect(listed.code).toBe(0);
    const issues = JSON.parse(listed.out);
    expect(issues.length).toBe(Math.min(40, summary.issues));
    expect(Object.keys(issues[0]).sort()).toEqual(['imageId', 'label', 'score', 'source', 'split', 'suggestedLabel']);
    // Ranked most likely wrong first, with cleanlab's 0–1 score.
    for (let k = 1; k < issues.length; k++) expect(issues[k].score).toBeGreaterThanOrEqual(issues[k - 1].score);
    // The source names the CSV file and the 1-based data row, so a person can find the row again.
    for (const issue of issues) {
      const match = /^(.*)#row(\d+)$/.exec(issue.source)!;
      expect(match[1]).toBe(csv);
      const row = Number(match[2]);
      expect(issue.label).toBe(wrong.get(row) ?? labels[row - 1]);
    }
    // Both planted errors are found, with their real class suggested.
    for (const [row] of wrong) expect(issues.find((i: { source: string }) => i.source === `${csv}#row${row}`)).toMatchObject({ suggestedLabel: labels[row - 1] });

    const text = await cli('label-issues', '--top', '3', '--db', db);
    expect(text.out).toMatch(/rank\s+image\s+split\s+label\s+suggested\s+score\s+source/);

    // Scans are listed and can be deleted; the fold models are not runs.
    expect(JSON.parse((await cli('runs', '--db', db, '--json')).out)).toEqual([]);
    expect(JSON.parse((await cli('label-scans', '--db', db, '--json')).out)).toMatchObject([{ scanId: 1, status: 'succeeded', labelsChangedSince: 0 }]);
    expect((await cli('label-scans', '--delete', '1', '--db', db)).code).toBe(0);
    const workspace = openWorkspace(db);
    expect(workspace.prepare('SELECT COUNT(*) AS n FROM label_scan_images').get()).toEqual({ n: 0 });
    workspace.close();
  }, 180_000);

  it('rejects bad settings (a usage error, exit 2, naming the flag) and a missing scan in words', async () => {
    const db = path.join(tempDir(), 'w.db');
    expect(await cli('label-scan', '--model', 'rnn', '--db', db)).toMatchObject({ code: 2, err: expect.stringMatching(/--model must be mlp or cnn/) });
    expect(await cli('label-scan', '--db', db)).toMatchObject({ code: 1, err: expect.stringMatching(/no dataset to scan/) });
    expect(await cli('label-issues', '--db', db)).toMatchObject({ code: 1, err: expect.stringMatching(/no finished label scan/) });
    expect(await cli('label-scan', '--folds', '1', '--db', db)).toMatchObject({ code: 2, err: expect.stringMatching(/--folds must be at least 2/) });
    expect(await cli('label-issues', '--top', '0', '--db', db)).toMatchObject({ code: 2, err: expect.stringMatching(/--top must be a whole number of at least 1/) });
  });

  it('label-issues pages through a scan of more issues than one request carries, in rank order, for any dataset', async () => {
    // Arrange: two datasets; the second has a stored scan that found 1,100 issues among 1,200 images.
    const dir = tempDir();
    const db = path.join(dir, 'w.db');
    const first = path.join(dir, 'first');
    const second = path.join(dir, 'second');
    fs.mkdirSync(first);
    fs.mkdirSync(second);
    writeIdxSlice(first, 'test', 10);
    writeIdxSlice(second, 'train', 1200);
    const workspace = openWorkspace(db);
    await importDataset(workspace, [first], { name: 'First' });
    const { datasetId } = await importDataset(workspace, [second], { name: 'Second' });
    const images = workspace.prepare('SELECT id, label FROM images WHERE dataset_id = ? ORDER BY id').all(datasetId) as { id: number; label: number }[];
    const n = images.length;
    // Ranked from the last image backwards: rank order is not id order.
    const issueRank = Int32Array.from(images, (_, i) => (i < 100 ? 0 : n - i));
    const scanId = createScan(workspace, datasetId, { model: 'mlp', folds: 2, epochs: 1, seed: 1 }, new Date());
    completeScan(
      workspace,
      scanId,
      {
        backend: 'wasm',
        seconds: 1,
        lastChangeId: lastLabelChangeId(workspace),
        results: { thresholds: [], confidentJoint: [], joint: [], noiseMatrix: [], noiseRates: new Array(10).fill(0), overlapping: [], outOfFoldAccuracy: 0.1, nearDuplicates: { leakage: 0, differentLabels: 0 }, outliers: 0 },
        imageIds: Int32Array.from(images, (i) => i.id),
        labels: Uint8Array.from(images, (i) => i.label),
        judged: n,
        fold: new Uint8Array(n),
        probabilities: new Float32Array(n * 10).fill(0.1),
        quality: Float64Array.from(issueRank, (r) => (r ? r / 10_000 : 0.9)),
        suggested: Uint8Array.from(images, (i) => (i.label + 1) % 10),
        issueRank,
        outlierScore: null,
        embeddings: new Float32Array(0),
        embeddingSize: 0,
        duplicates: [],
      },
      new Date(),
    );
    workspace.close();

    // Act and assert: every issue, or the first --top, in rank order.
    const all = JSON.parse((await cli('label-issues', '--db', db, '--json')).out) as { imageId: number; score: number }[];
    expect(all).toHaveLength(1100);
    expect(all.map((i) => i.imageId)).toEqual(images.slice(100).map((i) => i.id).reverse());
    expect(all.every((i, k) => k === 0 || i.score >= all[k - 1].score)).toBe(true);
    const top = JSON.parse((await cli('label-issues', '--top', '700', '--scan', String(scanId), '--db', db, '--json')).out) as unknown[];
    expect(top).toEqual(all.slice(0, 700));
    const listed = JSON.parse((await cli('label-scans', '--db', db, '--json')).out) as { scanId: number; datasetId: number; issues: number }[];
    expect(listed).toMatchObject([{ scanId, datasetId, issues: 1100 }]);
    expect(await cli('label-issues', '--scan', '99', '--db', db)).toMatchObject({ code: 1, err: expect.stringMatching(/There is no label scan 99/) });
  });
});
