/**
 * What warehouse staff see while reviewing, beyond the decision keys: the guideline card of a pair of
 * classes the labels mix up (from the newest label scan), the accepted error rate applied with Enter,
 * and the original photo large after a reload.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { dropPhotos, trainTinyRun } from './helpers.ts';
import { idxBytes } from '../test/fashion-data.ts';
import { testLabel, writePhoto } from '../test/photo-fixtures.ts';

const CLASS_NAMES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

/** Imports a small dataset (the first 1,500 real training images and 300 test images) as IDX files. */
async function importSmallDataset(page: Page): Promise<void> {
  const train = idxBytes('train', 1500);
  const test = idxBytes('test', 300);
  await page.getByTestId('import-files').setInputFiles([
    { name: 'train-images-idx3-ubyte', mimeType: 'application/octet-stream', buffer: train.images },
    { name: 'train-labels-idx1-ubyte', mimeType: 'application/octet-stream', buffer: train.labels },
    { name: 't10k-images-idx3-ubyte', mimeType: 'application/octet-stream', buffer: test.images },
    { name: 't10k-labels-idx1-ubyte', mimeType: 'application/octet-stream', buffer: test.labels },
  ]);
  await expect(page.getByTestId('notice')).toContainText('Imported 1,800 images');
}

/** Photos of real test items of the given classes: `count` of them, in test-set order. */
async function writePhotosOf(dir: string, classes: readonly number[], count: number): Promise<string[]> {
  const files: string[] = [];
  for (let index = 0; files.length < count; index++) if (classes.includes(testLabel(index))) files.push(await writePhoto(dir, index));
  return files;
}

test('a photo predicted as a class of an overlapping pair shows that pair\'s guideline card', async ({ appPage: page, webApp }) => {
  await importSmallDataset(page);
  // Before any scan, Classify shows no card and no error.
  await trainTinyRun(page, 1);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fashion-sorter-guidelines-'));
  // Tops, shirts, pullovers and coats: the classes the labels mix up most.
  const files = await writePhotosOf(dir, [0, 2, 4, 6], 8);
  await page.getByRole('button', { name: 'Classify', exact: true }).click();
  await dropPhotos(page, files.slice(0, 2));
  await expect(page.getByTestId('classify-progress')).toContainText('2 of 2 classified');
  await page.getByTestId('photo-row').first().click();
  await expect(page.getByTestId('photo-detail')).toBeVisible();
  await expect(page.getByTestId('guideline-card')).toHaveCount(0);
  await expect(page.getByTestId('notice')).toHaveCount(0);

  // A small scan: few folds and epochs on 1,500 images.
  await page.getByRole('button', { name: 'Errors', exact: true }).click();
  await page.getByRole('tab', { name: 'Label issues' }).click();
  await page.getByLabel('Scan model').selectOption('mlp');
  await page.getByLabel('Scan folds').fill('3');
  await page.getByLabel('Scan epochs').fill('4');
  await page.getByRole('button', { name: 'Scan labels' }).click();
  await expect(page.getByTestId('scan-status')).toHaveAttribute('data-state', 'succeeded', { timeout: 120_000 });
  const db = new Database(webApp.dbPath, { readonly: true });
  const { results } = db.prepare("SELECT results FROM label_scans WHERE status = 'succeeded' ORDER BY id DESC").get() as { results: string };
  db.close();
  const pairs = (JSON.parse(results) as { overlapping: { a: number; b: number }[] }).overlapping.slice(0, 3);
  const inPairs = new Set(pairs.flatMap((p) => [p.a, p.b]));

  await page.getByRole('button', { name: 'Classify', exact: true }).click();
  await dropPhotos(page, files);
  const rows = page.getByTestId('photo-row');
  await expect(page.getByTestId('classify-progress')).toContainText(`${files.length} of ${files.length} classified`);
  // A photo the model put in a class of a top pair.
  let chosen = -1;
  let predicted = -1;
  for (let i = 0; i < files.length && chosen < 0; i++) {
    const said = (await rows.nth(i).getByTestId('photo-model').textContent())!;
    predicted = CLASS_NAMES.findIndex((name) => said.startsWith(`${name} `));
    if (inPairs.has(predicted)) chosen = i;
  }
  expect(chosen, `no photo predicted as one of ${[...inPairs].map((c) => CLASS_NAMES[c]).join(', ')}`).toBeGreaterThanOrEqual(0);
  await rows.nth(chosen).click();
  const card = page.getByTestId('photo-detail').getByTestId('guideline-card');
  await expect(card).toBeVisible();
  const [a, b] = (await card.getAttribute('data-pair'))!.split('-').map(Number);
  expect(pairs.some((p) => p.a === a && p.b === b)).toBe(true);
  expect([a, b]).toContain(predicted);
  await expect(card.getByTestId('guideline-note')).toHaveText(`${CLASS_NAMES[a]} and ${CLASS_NAMES[b]} are often confused: typical examples of each`);
  // Typical images of both sides.
  await expect(card.locator('figure').first().locator('canvas, img')).not.toHaveCount(0);
  await expect(card.locator('figure').nth(1).locator('canvas, img')).not.toHaveCount(0);
  fs.rmSync(dir, { recursive: true, force: true });
});

const setting = (dbPath: string, key: string): string | undefined => {
  const db = new Database(dbPath, { readonly: true });
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  db.close();
  return row?.value;
};

test('Enter applies the accepted error rate; with a batch open it says the rate is for the next batch', async ({ appPage: page, webApp }) => {
  await importSmallDataset(page);
  await trainTinyRun(page, 2);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fashion-sorter-gate-rate-'));
  const files = await writePhotosOf(dir, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 3);
  await page.getByRole('button', { name: 'Classify', exact: true }).click();
  await dropPhotos(page, files);
  await expect(page.getByTestId('classify-progress')).toContainText('3 of 3 classified');
  await expect(page.getByTestId('gate-kind')).toContainText('at most 1.0% wrong');

  // Enter in the field applies it, as leaving the field or the Apply button does.
  const rate = page.getByLabel('Accepted error rate (%)');
  await rate.fill('20');
  await rate.press('Enter');
  await expect.poll(() => setting(webApp.dbPath, 'review.maxError')).toBe('0.2');
  await expect(rate).toHaveValue('20.0');
  // The open batch keeps its gate, and the page says so.
  await expect(page.getByTestId('gate-applies')).toHaveText('Applies to the next batch you classify; the open batch keeps the gate it was classified with (at most 1.0% wrong).');
  await expect(page.getByTestId('gate-kind')).toContainText('at most 1.0% wrong');
  expect(setting(webApp.dbPath, 'review.auditShare')).toBeUndefined();

  // The next batch is classified with the new rate.
  await dropPhotos(page, files);
  await expect(page.getByTestId('classify-progress')).toContainText('3 of 3 classified');
  await expect(page.getByTestId('gate-kind')).toContainText('at most 20.0% wrong');
  await expect(page.getByTestId('gate-applies')).toContainText('(at most 20.0% wrong)');

  // Enter on a focused button is that button's: it closes the batch and decides nothing.
  await page.getByTestId('photo-row').first().click();
  await page.getByRole('button', { name: 'Close batch' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Close batch' })).toHaveCount(0);
  const decisions = new Database(webApp.dbPath, { readonly: true });
  expect((decisions.prepare('SELECT COUNT(*) AS n FROM photo_decisions').get() as { n: number }).n).toBe(0);
  decisions.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('after a reload, a reopened batch shows the original photo large, or says when the original is gone', async ({ appPage: page, webApp }) => {
  await importSmallDataset(page);
  await trainTinyRun(page, 3);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fashion-sorter-originals-'));
  const files = await writePhotosOf(dir, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 3);
  await page.getByRole('button', { name: 'Classify', exact: true }).click();
  await dropPhotos(page, files);
  await expect(page.getByTestId('classify-progress')).toContainText('3 of 3 classified');

  await page.reload();
  await page.getByRole('button', { name: 'Classify', exact: true }).click();
  // The batch is listed by what it holds, with its date beside.
  await expect(page.getByTestId('batch-item').first().getByTestId('batch-name')).toHaveText(`${path.basename(files[0])} and 2 more`);
  await expect(page.getByTestId('batch-item').first()).toContainText(String(new Date().getFullYear()));
  await page.getByTestId('batch-item').first().getByRole('button').first().click();
  const rows = page.getByTestId('photo-row');
  await expect(rows).toHaveCount(3);
  const db = new Database(webApp.dbPath, { readonly: true });
  const stored = db.prepare('SELECT file, name FROM photos ORDER BY position').all() as { file: string; name: string }[];
  db.close();

  // The app's copy of the upload, served by photo id: the 224-pixel original, not the 28×28.
  await rows.filter({ hasText: stored[0].name }).click();
  const large = page.getByTestId('photo-detail').getByTestId('large-photo');
  await expect(large).toBeVisible();
  await expect.poll(() => large.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(224);
  await expect(page.getByTestId('original-note')).toHaveCount(0);

  // An original that is gone: the 28×28, with a short note.
  fs.rmSync(stored[1].file);
  await rows.filter({ hasText: stored[1].name }).click();
  await expect(page.getByTestId('original-note')).toHaveText('The original file is gone (deleted or moved elsewhere). Shown is the 28×28 the model saw.');
  await expect(large).toHaveCount(0);
  fs.rmSync(dir, { recursive: true, force: true });
});
