import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from './fixtures.ts';
import { dropPhotos } from './helpers.ts';
import { writePhoto } from '../test/photo-fixtures.ts';

test('dropping photos on the window classifies them, shows what the model sees, and Enter confirms one', async ({ appPage: page, webApp }) => {
  // A model to classify with: load the dataset and train a tiny MLP from the Train view.
  await page.getByRole('button', { name: 'Load Fashion-MNIST' }).click();
  await expect(page.getByTestId('dataset-train')).toHaveText('60,000', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.getByLabel('Epochs').fill('3');
  await page.getByLabel('Train on at most (images)').fill('3000');
  await page.getByRole('button', { name: 'Start training' }).click();
  await expect(page.getByTestId('training-status')).toContainText('succeeded', { timeout: 90_000 });

  // Three photos of real items and one broken file, dropped as a person would drop them.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fashion-sorter-photos-'));
  const files = [await writePhoto(dir, 1), await writePhoto(dir, 2, { format: 'png' }), await writePhoto(dir, 8)];
  fs.writeFileSync(path.join(dir, 'broken.jpg'), 'not a photo');
  files.push(path.join(dir, 'broken.jpg'));

  await page.getByRole('button', { name: 'Classify', exact: true }).click();
  await dropPhotos(page, files);

  await expect(page.getByTestId('classify-progress')).toContainText('3 of 4 classified · 1 failed');
  const rows = page.getByTestId('photo-row');
  await expect(rows).toHaveCount(4);
  await expect(rows.filter({ hasText: 'broken.jpg' }).getByTestId('photo-status')).toContainText('not an image');
  // What the model sees: a 28×28 canvas next to each good photo.
  await expect(page.getByTestId('photo-list').locator('canvas')).toHaveCount(3);

  const first = rows.first();
  await first.click();
  const predicted = (await first.getByTestId('photo-class').locator('strong').textContent())!;
  await page.keyboard.press('Enter');
  await expect(first.getByTestId('photo-status')).toHaveText('accepted');

  // The confirmed photo is now a labeled training image in the workspace.
  const db = new Database(webApp.dbPath, { readonly: true });
  const users = db.prepare("SELECT label FROM images WHERE split = 'user'").all() as { label: number }[];
  db.close();
  expect(users).toHaveLength(1);
  const classNames = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
  expect(classNames[users[0].label]).toBe(predicted);
  fs.rmSync(dir, { recursive: true, force: true });
});
