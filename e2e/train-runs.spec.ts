import Database from 'better-sqlite3';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { loadDataset, trainTinyRun } from './helpers.ts';

const CLASS_NAMES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

/** Every text the training status line shows, recorded in the page as it changes. */
async function recordStatusTexts(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { statusTexts: string[] }).statusTexts = seen;
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid="training-progress-text"]')?.textContent;
      if (text && seen.at(-1) !== text) seen.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  return () => page.evaluate(() => (window as unknown as { statusTexts: string[] }).statusTexts);
}

test('the Train view says what it is doing, estimates the time left, fits its axes, and explains bad input in words', async ({ appPage: page }) => {
  await loadDataset(page);
  await page.getByRole('button', { name: 'Train', exact: true }).click();

  // Switching the model brings back that model's own defaults.
  await page.getByLabel('Epochs').fill('3');
  await page.getByLabel('Batch size').fill('32');
  await page.getByTestId('train-model').selectOption('cnn');
  // The CNN's defaults: 15 epochs with augmentation, on either engine.
  await expect(page.getByLabel('Epochs')).toHaveValue('15');
  await expect(page.getByLabel(/^Augment/)).toBeChecked();
  await expect(page.getByLabel('Batch size')).toHaveValue('64');
  await expect(page.getByLabel('Learning rate')).toHaveValue('0.002');
  await page.getByTestId('train-model').selectOption('mlp');
  await expect(page.getByLabel('Epochs')).toHaveValue('50');
  await expect(page.getByLabel('Batch size')).toHaveValue('512');

  // Bad input is explained in words before anything is sent.
  await page.getByLabel('Epochs').fill('501');
  await page.getByLabel('Validation share (%)').fill('70');
  await expect(page.getByTestId('train-form-problems')).toHaveText('Epochs must be at most 500.Validation share must be at most 50%.');
  await expect(page.getByRole('button', { name: 'Start training' })).toBeDisabled();
  await page.getByLabel('Validation share (%)').fill('10');

  const statusTexts = await recordStatusTexts(page);
  await trainTinyRun(page, 1, 1);
  const seen = await statusTexts();
  expect(seen.some((t) => t.startsWith('Loading the training images'))).toBe(true);
  expect(seen.some((t) => /^Epoch \d of 3, batch \d of 3 .*about \d+ s left$/.test(t))).toBe(true);
  expect(seen.some((t) => t.startsWith('Scoring every test and training image'))).toBe(true);
  expect(seen.at(-1)).toMatch(/^Finished: \d+\.\d% of the test images right\.$/);

  // Epoch ticks, an accuracy axis that fits the data, values on hover.
  const accuracy = page.getByTestId('accuracy-chart');
  await expect(accuracy.getByTestId('x-tick')).toHaveText(['1', '2', '3']);
  const yTicks = (await accuracy.getByTestId('y-tick').allTextContents()).map((t) => parseFloat(t));
  expect(yTicks[0]).toBeGreaterThan(0);
  expect(yTicks.at(-1)).toBeLessThanOrEqual(100);
  const box = (await accuracy.locator('svg').boundingBox())!;
  await page.mouse.move(box.x + box.width - 14, box.y + box.height / 2);
  await expect(accuracy.getByTestId('chart-readout')).toHaveText(/^Epoch 3: train \d+\.\d%, validation \d+\.\d%$/);
});

test('the Runs view shows each run’s settings and curves, a running run, why a run is active, and precision and F1 in comparisons', async ({ appPage: page, webApp }) => {
  test.setTimeout(240_000);
  await loadDataset(page);
  await trainTinyRun(page, 3, 1);
  await trainTinyRun(page, 4, 2);

  // A running run: a CNN with more epochs than it can finish before it is cancelled (on TensorFlow an
  // epoch of 2,700 images takes under a second).
  await page.getByTestId('train-model').selectOption('cnn');
  await page.getByLabel('Epochs').fill('200');
  await page.getByLabel('Train on at most (images)').fill('3000');
  await page.getByRole('checkbox', { name: 'Augment' }).check();
  await page.getByRole('button', { name: 'Start training' }).click();
  await page.getByRole('button', { name: 'Runs', exact: true }).click();
  await expect(page.getByTestId('run-3').getByTestId('run-status')).toContainText('training');
  await expect(page.getByTestId('run-3')).toContainText(/\d+ of 200 so far/);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.getByTestId('cancel-training').click();
  await expect(page.getByTestId('training-status')).toHaveAttribute('data-phase', 'cancelled', { timeout: 30_000 });
  await page.getByRole('button', { name: 'Runs', exact: true }).click();
  await expect(page.getByTestId('run-3').getByTestId('run-status')).toContainText('cancelled');

  // Which run is active, and why.
  await expect(page.getByTestId('run-1').getByTestId('run-promotion')).toContainText('No model was active, so this run became the active model.');
  // The gate's reason, as stored on the run.
  const stored = new Database(webApp.dbPath, { readonly: true });
  const { promotion_reason: reason } = stored.prepare('SELECT promotion_reason FROM runs WHERE id = 2').get() as { promotion_reason: string };
  stored.close();
  expect(reason).toMatch(/^(Not made active|Made active): /);
  await expect(page.getByTestId('run-2').getByTestId('run-promotion')).toContainText(reason);

  // A past run's settings and stored curves.
  await page.getByTestId('run-1').getByTestId('open-run').click();
  const details = page.getByTestId('run-details');
  await expect(details).toHaveAttribute('data-run-id', '1');
  const settings = details.getByTestId('run-settings');
  await expect(settings).toContainText('Imagesat most 1,500');
  await expect(settings).toContainText('Epochs3 of 3');
  await expect(settings).toContainText('Validation share10% (1,350 trained on, 150 held out)');
  await expect(settings).toContainText('Augmentationoff');
  await expect(details.getByTestId('run-curves')).toHaveAttribute('data-epochs', '3');
  await expect(details.getByTestId('accuracy-chart').locator('[data-series="validation"] circle')).toHaveCount(3);
  await page.getByTestId('run-3').getByTestId('open-run').click();
  await expect(details.getByTestId('run-settings')).toContainText('Augmentationon');

  // Comparison: recall, precision and F1 per class, as the workspace's predictions say.
  await page.getByLabel('Compare run 1').check();
  await page.getByLabel('Compare run 2').check();
  await page.getByTestId('compare-runs').click();
  const comparison = page.getByTestId('comparison');
  await expect(comparison.locator('thead')).toContainText('RecallPrecisionF1');
  const db = new Database(webApp.dbPath, { readonly: true });
  const shirt = db
    .prepare(
      `SELECT SUM(p.predicted = 6 AND i.label = 6) AS tp, SUM(p.predicted = 6) AS predicted, SUM(i.label = 6) AS actual
       FROM predictions p JOIN images i ON i.id = p.image_id WHERE p.run_id = 2 AND i.split = 'test'`,
    )
    .get() as { tp: number; predicted: number; actual: number };
  db.close();
  const precision = shirt.tp / shirt.predicted;
  const recall = shirt.tp / shirt.actual;
  const f1 = (2 * precision * recall) / (precision + recall);
  const cells = comparison.getByTestId('compare-class-6').locator('td');
  await expect(cells.nth(0)).toHaveText(CLASS_NAMES[6]);
  await expect(cells.nth(2)).toHaveText(`${(recall * 100).toFixed(1)}%`);
  await expect(cells.nth(5)).toHaveText(`${(precision * 100).toFixed(1)}%`);
  await expect(cells.nth(8)).toHaveText(`${(f1 * 100).toFixed(1)}%`);

  // Choosing another run says so; each row keeps whether it became active when it finished.
  const other = (await page.getByTestId('run-1').getByRole('button', { name: 'Use' }).count()) > 0 ? 1 : 2;
  await page.getByTestId(`run-${other}`).getByRole('button', { name: 'Use' }).click();
  await expect(page.getByTestId('notice')).toContainText(`Run ${other} is now the active model.`);
  await expect(page.getByTestId(`run-${other}`).getByTestId('run-promotion')).toContainText('active');
  // Run 2 either was made active and is no longer, or was kept out and a person chose it.
  await expect(page.getByTestId('run-2').getByTestId('run-promotion')).toContainText(other === 1 ? 'Another run is active now.' : 'A person chose it since.');
});

test('screens follow changes: Datasets counts after a relabel, the gallery on a split change and a relabel, banners on the next action', async ({ appPage: page, webApp }) => {
  await loadDataset(page);
  const counts = async (): Promise<number[]> =>
    (await page.getByTestId('sample-grid').locator('.class-count').allTextContents()).map((t) => Number(t.replace(/,/g, '')));
  const before = await counts();
  await trainTinyRun(page, 5, 1);
  await expect(page.getByTestId('notice')).toContainText('Run 1 finished');

  // The next action clears the banner of the one before.
  await page.getByRole('button', { name: 'Errors', exact: true }).click();
  await page.getByTestId('cell-6-0').getByRole('button').click();
  await expect(page.getByTestId('notice')).toHaveCount(0);
  await expect(page.getByTestId('gallery-title')).toContainText('Shirt predicted as T-shirt/top');

  // A test-split gallery closes when the matrix switches to the training split.
  await page.getByRole('button', { name: 'Train split' }).click();
  await expect(page.getByTestId('gallery-title')).toHaveCount(0);

  // Relabeling an image of a confusion cell to the predicted class takes it out of that gallery's count…
  const fullest = new Database(webApp.dbPath, { readonly: true })
    .prepare(
      `SELECT i.label AS "trueLabel", p.predicted AS "predicted" FROM predictions p JOIN images i ON i.id = p.image_id
       WHERE p.run_id = 1 AND i.split = 'train' AND i.label <> p.predicted GROUP BY 1, 2 ORDER BY COUNT(*) DESC LIMIT 1`,
    )
    .get() as { trueLabel: number; predicted: number };
  await page.getByTestId(`cell-${fullest.trueLabel}-${fullest.predicted}`).getByRole('button').click();
  const title = page.getByTestId('gallery-title');
  await expect(page.getByTestId('gallery-tile').first()).toBeVisible();
  const total = async (): Promise<number> => Number(/([\d,]+) images/.exec((await title.textContent())!)![1].replace(/,/g, ''));
  const start = await total();
  await page.getByTestId('gallery-tile').first().click();
  const imageId = Number(await page.getByTestId('image-detail').getAttribute('data-image-id'));
  const db = new Database(webApp.dbPath, { readonly: true });
  const { from, to } = db.prepare('SELECT i.label AS "from", p.predicted AS "to" FROM images i JOIN predictions p ON p.image_id = i.id AND p.run_id = 1 WHERE i.id = ?').get(imageId) as { from: number; to: number };
  db.close();
  await page.keyboard.press(String(to));
  await expect(page.getByTestId('detail-label')).toHaveText(CLASS_NAMES[to]);
  await expect.poll(total).toBe(start - 1);

  // …and moves one image between the two classes' counts in Datasets.
  await page.getByRole('button', { name: 'Datasets', exact: true }).click();
  const expected = [...before];
  expected[from]--;
  expected[to]++;
  await expect.poll(counts).toEqual(expected);
});
