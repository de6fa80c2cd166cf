import fs from 'node:fs';
import { expect, test } from './fixtures.ts';
import { loadDataset, trainTinyRun } from './helpers.ts';

test("a run's predictions and model are saved from the Runs view as browser downloads", async ({ appPage: page }) => {
  await loadDataset(page);
  await trainTinyRun(page, 3);
  await page.getByRole('button', { name: 'Runs', exact: true }).click();

  const csvDownload = page.waitForEvent('download');
  await page.getByTestId('export-predictions-1').click();
  const csv = await csvDownload;
  expect(csv.suggestedFilename()).toBe('predictions-run-1.csv');
  const lines = fs.readFileSync(await csv.path(), 'utf8').trim().split('\n');
  // A header and one row per test and train image of the bundled dataset.
  expect(lines[0]).toMatch(/^image_id,split,label,class,predicted,predicted_class,confidence,p0,/);
  expect(lines).toHaveLength(70_001);

  const names: string[] = [];
  page.on('download', (download) => names.push(download.suggestedFilename()));
  await page.getByTestId('export-model-1').click();
  await expect.poll(() => names.sort()).toEqual(['model.json', 'weights.bin']);
});
