/**
 * The warehouse review flow in a browser against the real back end: the per-class gate set by the
 * accepted error rate, the audit sample, an unusual photo, keys that act only on what is shown, a
 * corrected photo's row and manifest, many photos decided at once and undone one by one, and a batch
 * reopened after a reload and sorted.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { dropPhotos, loadDataset } from './helpers.ts';
import { writeForeignPhoto } from '../test/foreign-photos.ts';
import { writePhoto } from '../test/photo-fixtures.ts';

const CLASS_NAMES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

async function trainSmallModel(page: Page): Promise<void> {
  await loadDataset(page);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.getByLabel('Epochs').fill('3');
  await page.getByLabel('Train on at most (images)').fill('4000');
  await page.getByRole('button', { name: 'Start training' }).click();
  await expect(page.getByTestId('training-status')).toContainText('succeeded', { timeout: 90_000 });
}

const userImageCount = (dbPath: string): number => {
  const db = new Database(dbPath, { readonly: true });
  const { n } = db.prepare("SELECT COUNT(*) AS n FROM images WHERE split = 'user'").get() as { n: number };
  db.close();
  return n;
};

test('the warehouse review: gate, audit, unusual photos, hidden selections, corrections, and a batch reopened after a reload', async ({ appPage: page, webApp }) => {
  await trainSmallModel(page);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fashion-sorter-review-'));
  const files: string[] = [];
  for (const i of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]) files.push(await writePhoto(dir, i));
  files.push(await writeForeignPhoto(dir, 'checkerboard'));

  // The gate: accept at most 20% wrong, so a model trained on 4,000 images can let some classes through.
  await page.getByRole('button', { name: 'Classify', exact: true }).click();
  const rate = page.getByLabel('Accepted error rate (%)');
  await rate.fill('20');
  await rate.press('Tab');
  await expect(page.getByTestId('expected-review')).toContainText('will need review');

  await dropPhotos(page, files);
  await expect(page.getByTestId('classify-progress')).toContainText(`${files.length} of ${files.length} classified`);
  const rows = page.getByTestId('photo-row');
  await expect(rows).toHaveCount(files.length);

  // The per-class gate, in words, with a row per class.
  await expect(page.getByTestId('gate-kind')).toContainText('at most 20.0% wrong');
  await page.getByTestId('gate-kind').click();
  await expect(page.getByTestId('gate-table').locator('tr')).toHaveCount(10);

  // The audit: at least one photo that passed the gate is sent to review, and the batch says so.
  await expect(page.getByTestId('audit-result')).toContainText('None checked yet');
  await expect(rows.filter({ hasText: 'random audit' })).toHaveCount(1);

  // An unusual photo goes to review whatever its confidence, with the reason shown.
  await expect(rows.filter({ hasText: 'checkerboard' }).getByTestId('photo-status')).toContainText('unlike the training images');

  // Hidden selection: select a photo that passed the gate, then show only photos needing review.
  const passed = rows.filter({ has: page.getByTestId('photo-status').getByText('passed the gate', { exact: true }) }).first();
  const passedName = (await passed.locator('.photo-name').textContent())!;
  await passed.click();
  await page.getByRole('button', { name: /^Needs review/ }).click();
  // The selection moved to a shown photo; Enter decides that one only, never the hidden one.
  const focused = page.locator('[data-testid="photo-row"].focus');
  await expect(focused).toHaveCount(1);
  await expect(focused).not.toContainText(passedName);
  await page.getByRole('button', { name: /^All/ }).click();
  await expect(rows.filter({ hasText: passedName }).getByTestId('photo-status')).toHaveText('passed the gate');
  // With a filter that shows nothing, Enter changes nothing.
  await page.getByRole('button', { name: /^Decided/ }).click();
  await expect(rows).toHaveCount(0);
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: /^All/ }).click();
  await expect(page.getByTestId('classify-progress')).toContainText('0 decided');
  expect(userImageCount(webApp.dbPath)).toBe(0);

  // A correction: the row keeps the model's class and confidence beside the person's class.
  const first = rows.first();
  await first.click();
  const modelSaid = (await first.getByTestId('photo-model').textContent())!;
  const predicted = CLASS_NAMES.findIndex((name) => modelSaid.startsWith(`${name} `));
  const corrected = (predicted + 1) % 10;
  await page.keyboard.press(String(corrected));
  await expect(first.getByTestId('photo-class')).toHaveText(CLASS_NAMES[corrected]);
  await expect(first.getByTestId('photo-decided-by')).toHaveText('corrected');
  await expect(first.getByTestId('photo-model')).toHaveText(modelSaid);
  expect(userImageCount(webApp.dbPath)).toBe(1);
  // Undo takes it back, and the training image it made goes with it.
  await page.keyboard.press('u');
  await expect(first.getByTestId('photo-decided-by')).toHaveText('model');
  expect(userImageCount(webApp.dbPath)).toBe(0);
  await first.click();
  await page.keyboard.press(String(corrected));
  await expect(first.getByTestId('photo-decided-by')).toHaveText('corrected');

  // Many at once: shift-click selects a range, one key decides them all, and one Ctrl+Z takes that decision back.
  await rows.nth(1).click();
  await rows.nth(3).click({ modifiers: ['Shift'] });
  await page.keyboard.press('8');
  const stillModel = async (): Promise<number> => {
    let n = 0;
    for (const i of [1, 2, 3]) if ((await rows.nth(i).getByTestId('photo-decided-by').textContent()) === 'model') n++;
    return n;
  };
  await expect.poll(stillModel).toBe(0);
  expect(userImageCount(webApp.dbPath)).toBe(4);
  await page.keyboard.press('Control+z');
  await expect.poll(stillModel).toBe(3);
  expect(userImageCount(webApp.dbPath)).toBe(1);
  await expect(first.getByTestId('photo-decided-by')).toHaveText('corrected');

  // A reload loses nothing: reopen the batch from the list and sort it.
  await page.reload();
  await page.getByRole('button', { name: 'Classify', exact: true }).click();
  await page.getByTestId('batch-item').first().getByRole('button').first().click();
  await expect(rows).toHaveCount(files.length);
  await expect(rows.first().getByTestId('photo-decided-by')).toHaveText('corrected');
  // Inside the folders the web host was started with (e2e/fixtures.ts).
  const target = path.join(webApp.dir, 'sorted');
  // Photos the gate sent to review and nobody decided are sorted only when the person says so.
  await page.getByLabel('Target folder').fill('relative/folder');
  await expect(page.getByTestId('sort-unreviewed')).toContainText('still need review');
  await expect(page.getByRole('button', { name: /^Sort \d+ photos/ })).toBeDisabled();
  await page.getByLabel("Sort unreviewed photos by the model's class").check();
  await page.getByRole('button', { name: /^Sort \d+ photos/ }).click();
  await expect(page.getByText(/must be a full path/)).toBeVisible();
  await page.getByLabel('Target folder').fill(target);
  await page.getByRole('button', { name: /^Sort \d+ photos/ }).click();
  await expect(page.getByTestId('sort-result')).toContainText(`Copied ${files.length} photos into ${target}`);
  await expect(page.getByTestId('sorted-state')).toContainText(`Copied into ${target}`);
  const manifest = fs.readFileSync(path.join(target, 'manifest.csv'), 'utf8').split('\n');
  expect(manifest[0]).toBe('file,class,decided_by,model_class,model_confidence,unusual,error,note');
  const row = manifest.find((line) => line.startsWith(`${CLASS_NAMES[corrected].replace('/', '-')}/item-0.jpg,`))!;
  const [, className, decidedBy, modelClass, modelConfidence] = row.split(',');
  expect([className, decidedBy, modelClass]).toEqual([CLASS_NAMES[corrected], 'corrected', CLASS_NAMES[predicted]]);
  expect(`${modelClass} ${(Number(modelConfidence) * 100).toFixed(1)}%`).toBe(modelSaid);
  // Sorting into the same folder again asks first.
  await page.getByRole('button', { name: /^Sort \d+ photos/ }).click();
  await expect(page.getByTestId('sort-question')).toContainText('already sorted into');
  await page.getByRole('button', { name: 'Cancel' }).click();
  expect(fs.existsSync(path.join(target, 'manifest (1).csv'))).toBe(false);
  fs.rmSync(dir, { recursive: true, force: true });
});
