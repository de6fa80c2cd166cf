import Database from 'better-sqlite3';
import { idxBytes } from '../test/fashion-data.ts';
import { expect, test } from './fixtures.ts';

test('a label scan on a small dataset: Enter takes a suggestion, K confirms one, undo from the Changes list restores it', async ({ appPage: page, webApp }) => {
  // A small dataset: the first 1,500 real training images, as IDX files.
  const { images, labels } = idxBytes('train', 1500);
  await page.getByTestId('import-files').setInputFiles([
    { name: 'train-images-idx3-ubyte', mimeType: 'application/octet-stream', buffer: images },
    { name: 'train-labels-idx1-ubyte', mimeType: 'application/octet-stream', buffer: labels },
  ]);
  await expect(page.getByTestId('notice')).toContainText('Imported 1,500 images');

  await page.getByRole('button', { name: 'Errors', exact: true }).click();
  await page.getByRole('tab', { name: 'Label issues' }).click();
  // Empty fields show what the scan will use: 4 folds either way; 10 epochs for the MLP, 4 for the CNN.
  await expect(page.getByLabel('Scan folds')).toHaveAttribute('placeholder', '4');
  await page.getByLabel('Scan model').selectOption('mlp');
  await expect(page.getByLabel('Scan epochs')).toHaveAttribute('placeholder', '10');
  await page.getByLabel('Scan model').selectOption('cnn');
  await expect(page.getByLabel('Scan epochs')).toHaveAttribute('placeholder', '4');
  await page.getByLabel('Scan model').selectOption('');
  await page.getByLabel('Scan folds').fill('3');
  await page.getByLabel('Scan epochs').fill('6');
  await page.getByRole('button', { name: 'Scan labels' }).click();
  await expect(page.getByTestId('scan-status')).toHaveAttribute('data-state', 'succeeded', { timeout: 120_000 });
  await expect(page.getByTestId('scan-summary')).toContainText('current');
  await expect(page.getByTestId('noise-rates').locator('td')).toHaveCount(10);
  await expect(page.getByTestId('guideline-card')).toHaveCount(3);

  // Enter takes the suggestion for the most likely wrong label.
  const detail = page.getByTestId('issue-detail');
  const first = Number(await detail.getAttribute('data-image-id'));
  const suggested = await page.getByTestId('issue-suggested').textContent();
  const db = new Database(webApp.dbPath, { readonly: true });
  const labelOf = (imageId: number): number => (db.prepare('SELECT label FROM images WHERE id = ?').get(imageId) as { label: number }).label;
  const before = labelOf(first);
  await page.getByTestId('issue-tile').first().click();
  await page.keyboard.press('Enter');
  await expect(detail).not.toHaveAttribute('data-image-id', String(first));
  const classNames = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
  expect(classNames[labelOf(first)]).toBe(suggested);
  expect(db.prepare('SELECT old_label, new_label, origin FROM label_changes WHERE image_id = ?').all(first)).toEqual([{ old_label: before, new_label: labelOf(first), origin: 'scan' }]);

  // K keeps the next one's label: recorded as confirmed, it leaves the list.
  const second = Number(await detail.getAttribute('data-image-id'));
  await page.keyboard.press('k');
  await expect(detail).not.toHaveAttribute('data-image-id', String(second));
  expect(db.prepare('SELECT label FROM label_confirmations WHERE image_id = ?').get(second)).toEqual({ label: labelOf(second) });
  await expect(page.locator(`[data-testid="issue-tile"][data-image-id="${second}"]`)).toHaveCount(0);

  // The Changes list shows the change, newest first, made by the scan; undo restores the label.
  await page.getByRole('tab', { name: 'Changes' }).click();
  const row = page.getByTestId('change-row').first();
  await expect(row).toHaveAttribute('data-image-id', String(first));
  await expect(row).toHaveAttribute('data-origin', 'scan');
  await row.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByTestId('change-row').first()).toHaveAttribute('data-origin', 'undo');
  expect(labelOf(first)).toBe(before);
  // The older entry is no longer the image's latest change: its undo is refused, naming the later one.
  await page.getByTestId('change-row').nth(1).getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByTestId('notice')).toContainText('was changed again later');
  expect(labelOf(first)).toBe(before);
  db.close();
});
