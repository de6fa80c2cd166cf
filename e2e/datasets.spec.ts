import path from 'node:path';
import { expect, test } from './fixtures.ts';

test('a new user loads the bundled Fashion-MNIST and sees its counts and samples', async ({ appPage: page }) => {
  await expect(page.getByRole('heading', { name: 'Datasets' })).toBeVisible();
  await page.getByRole('button', { name: 'Load Fashion-MNIST' }).click();

  const dataset = page.getByTestId('dataset-1');
  await expect(dataset.getByRole('heading', { name: 'Fashion-MNIST' })).toBeVisible({ timeout: 60_000 });
  await expect(dataset.getByTestId('dataset-train')).toHaveText('60,000');
  await expect(dataset.getByTestId('dataset-test')).toHaveText('10,000');
  await expect(page.getByTestId('notice')).toContainText('Imported 70,000 images');

  // Ten classes, each with a row of thumbnails drawn from the stored pixels.
  const grid = dataset.getByTestId('sample-grid');
  await expect(grid.locator('tr')).toHaveCount(10);
  await expect(grid.locator('tr').filter({ hasText: 'Shirt' }).first()).toContainText('7,000');
  await expect(grid.locator('canvas')).toHaveCount(80);
  const litThumbnails = await grid.locator('canvas').evaluateAll((canvases) =>
    canvases.filter((c) => {
      const data = (c as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, 28, 28).data;
      let sum = 0;
      for (let i = 0; i < data.length; i += 4) sum += data[i];
      return sum > 0;
    }).length,
  );
  expect(litThumbnails).toBe(80);

  // The first-run card is gone once the dataset is in, and stays gone after a reload.
  await page.reload();
  await expect(page.getByTestId('dataset-train')).toHaveText('60,000');
  await expect(page.getByRole('button', { name: 'Load Fashion-MNIST' })).toHaveCount(0);
});

test('a bad file gets a clear error and imports nothing', async ({ appPage: page }) => {
  await page.getByTestId('import-files').setInputFiles({
    name: 'train-images-idx3-ubyte',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from([0, 0, 8, 1, 0, 0, 0, 1]),
  });
  await expect(page.getByTestId('notice')).toContainText('was not given');
  await expect(page.getByTestId('notice')).toContainText('Nothing was imported');
  await expect(page.locator('[data-testid^="dataset-"]').filter({ has: page.getByTestId('sample-grid') })).toHaveCount(0);
});

test('dropping a folder with one subfolder per class imports it as a dataset', async ({ appPage: page }) => {
  const fixtures = path.resolve(import.meta.dirname, '../test/fixtures/class-folders');
  await page.getByTestId('import-folder').setInputFiles(fixtures);
  await expect(page.getByTestId('notice')).toContainText('Imported 4 images into "class-folders"');
  const dataset = page.getByTestId('dataset-1');
  await expect(dataset.getByTestId('dataset-total')).toHaveText('4');
  await expect(dataset.getByTestId('sample-grid').locator('canvas')).toHaveCount(4);
});
