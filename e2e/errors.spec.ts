import Database from 'better-sqlite3';
import { expect, test } from './fixtures.ts';
import { loadDataset, trainTinyRun } from './helpers.ts';

/** The confusion matrix of a run's test predictions, straight from the workspace file. */
function confusionFromWorkspace(dbPath: string, runId: number): number[][] {
  const db = new Database(dbPath, { readonly: true });
  const matrix = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
  const rows = db
    .prepare("SELECT i.label AS t, p.predicted AS p, COUNT(*) AS n FROM predictions p JOIN images i ON i.id = p.image_id WHERE p.run_id = ? AND i.split = 'test' GROUP BY 1, 2")
    .all(runId) as { t: number; p: number; n: number }[];
  for (const { t, p, n } of rows) matrix[t][p] = n;
  db.close();
  return matrix;
}

test('training a tiny run shows live curves, then the Errors view matches the workspace and opens Shirt → T-shirt/top', async ({ appPage: page, webApp }) => {
  await loadDataset(page);
  await trainTinyRun(page, 1);
  await expect(page.getByTestId('training-curves')).toHaveAttribute('data-epochs', '3');
  await expect(page.getByTestId('training-curves').locator('[data-series="validation"] circle')).toHaveCount(6);

  await page.getByRole('button', { name: 'Errors', exact: true }).click();
  await expect(page.getByTestId('confusion-matrix')).toBeVisible();
  const expected = confusionFromWorkspace(webApp.dbPath, 1);
  const shown = await page.getByTestId('confusion-matrix').locator('td').evaluateAll((cells) => cells.map((c) => Number((c as HTMLElement).dataset.count)));
  expect(shown).toEqual(expected.flat());
  await expect(page.getByTestId('evaluation-summary')).toContainText('10,000 test images');

  const shirtAsTee = expected[6][0];
  expect(shirtAsTee).toBeGreaterThan(0);
  await page.getByTestId('cell-6-0').getByRole('button').click();
  await expect(page.getByTestId('gallery-title')).toHaveText(`Shirt predicted as T-shirt/top · ${shirtAsTee.toLocaleString('en-US')} images`);
  await expect(page.getByTestId('gallery-tile').first()).toHaveAttribute('data-image-id', /\d+/);
  const tiles = await page.getByTestId('gallery-tile').count();
  expect(tiles).toBe(Math.min(shirtAsTee, tiles));
  expect(tiles).toBeGreaterThan(0);
});

test('relabeling an image with a key is saved at once and survives a reload', async ({ appPage: page, webApp }) => {
  const classNames = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
  await loadDataset(page);
  await trainTinyRun(page, 2);
  await page.getByRole('button', { name: 'Errors', exact: true }).click();
  // The largest off-diagonal cell of the test split: the tiny model's most common mistake.
  const matrix = confusionFromWorkspace(webApp.dbPath, 1);
  let cell = { t: 0, p: 1 };
  matrix.forEach((row, t) => row.forEach((n, p) => t !== p && n > matrix[cell.t][cell.p] && (cell = { t, p })));
  await page.getByTestId(`cell-${cell.t}-${cell.p}`).getByRole('button').click();
  const first = page.getByTestId('gallery-tile').first();
  const imageId = Number(await first.getAttribute('data-image-id'));
  await first.click();
  await expect(page.getByTestId('image-detail')).toHaveAttribute('data-image-id', String(imageId));

  const db = new Database(webApp.dbPath, { readonly: true });
  const { label: before, predicted } = db
    .prepare('SELECT i.label, p.predicted FROM images i JOIN predictions p ON p.image_id = i.id AND p.run_id = 1 WHERE i.id = ?')
    .get(imageId) as { label: number; predicted: number };
  const target = [1, 2, 3].map((k) => (predicted + k) % 10).find((l) => l !== before)!;
  await page.keyboard.press(String(target));
  await expect(page.getByTestId('detail-label')).toHaveText(classNames[target]);
  expect((db.prepare('SELECT label FROM images WHERE id = ?').get(imageId) as { label: number }).label).toBe(target);
  expect(db.prepare('SELECT old_label, new_label, origin FROM label_changes WHERE image_id = ?').all(imageId)).toEqual([{ old_label: before, new_label: target, origin: 'review' }]);
  db.close();

  // After a reload the image sits in the cell of its new label.
  await page.reload();
  await page.getByRole('button', { name: 'Errors', exact: true }).click();
  await page.getByTestId(`cell-${target}-${predicted}`).getByRole('button').click();
  await page.locator(`[data-testid="gallery-tile"][data-image-id="${imageId}"]`).click();
  await expect(page.getByTestId('detail-label')).toHaveText(classNames[target]);
  await expect(page.getByTestId('label-history')).toContainText(`${classNames[before]} → ${classNames[target]}`);

  // U undoes the change, in the workspace too.
  await page.keyboard.press('u');
  await expect(page.getByTestId('detail-label')).toHaveText(classNames[before]);
  const after = new Database(webApp.dbPath, { readonly: true });
  expect((after.prepare('SELECT label FROM images WHERE id = ?').get(imageId) as { label: number }).label).toBe(before);
  after.close();
});

test('comparing two runs shows per-class accuracy and the fixed and broken counts of the workspace', async ({ appPage: page, webApp }) => {
  await loadDataset(page);
  await trainTinyRun(page, 3);
  await trainTinyRun(page, 4);
  await page.getByRole('button', { name: 'Runs', exact: true }).click();
  await page.getByLabel('Compare run 1').check();
  await page.getByLabel('Compare run 2').check();
  await page.getByTestId('compare-runs').click();
  const db = new Database(webApp.dbPath, { readonly: true });
  const { fixed, broken } = db
    .prepare(
      `SELECT SUM(a.predicted != i.label AND b.predicted = i.label) AS fixed, SUM(a.predicted = i.label AND b.predicted != i.label) AS broken
       FROM predictions a JOIN predictions b ON b.image_id = a.image_id AND b.run_id = 2 JOIN images i ON i.id = a.image_id
       WHERE a.run_id = 1 AND i.split = 'test'`,
    )
    .get() as { fixed: number; broken: number };
  db.close();
  await expect(page.getByTestId('compare-fixed')).toHaveText(`${fixed} fixed`);
  await expect(page.getByTestId('compare-broken')).toHaveText(`${broken} broken`);
  await expect(page.getByTestId('comparison').locator('tbody tr')).toHaveCount(10);
  await page.getByTestId('compare-fixed').click();
  await expect(page.getByTestId('gallery-title')).toContainText(`Fixed: wrong in run 1, right in run 2 · ${fixed.toLocaleString('en-US')} images`);
});
