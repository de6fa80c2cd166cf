import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { dropPhotos } from './helpers.ts';
import { writePhoto } from '../test/photo-fixtures.ts';

/** Where the screenshots go, to be looked at. */
const SHOTS = path.resolve(import.meta.dirname, '../test-results/small-window');

test.use({ viewport: { width: 1024, height: 700 } });

/** Nothing in the view is wider than the window: no horizontal scrollbar, nothing cut off at the right. */
async function expectNothingClipped(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  const overflow = await page.evaluate(() => {
    const main = document.querySelector('main')!;
    const wide = [...main.querySelectorAll<HTMLElement>('*')]
      .filter((el) => el.getBoundingClientRect().right > main.getBoundingClientRect().right + 1 && el.getClientRects().length > 0)
      .filter((el) => !el.closest('.table-scroll, .gallery, .photos-scroll'))
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
    return { mainScrolls: main.scrollWidth > main.clientWidth, wide: wide.slice(0, 5), bodyScrolls: document.documentElement.scrollWidth > window.innerWidth };
  });
  expect(overflow, `${name} at 1024×700`).toEqual({ mainScrolls: false, wide: [], bodyScrolls: false });
}

test('at 1024×700 no view is clipped and the keyboard hints show without scrolling', async ({ appPage: page }) => {
  test.setTimeout(180_000);
  await page.getByRole('button', { name: 'Load Fashion-MNIST' }).click();
  await expect(page.getByTestId('dataset-train')).toHaveText('60,000', { timeout: 60_000 });
  await expectNothingClipped(page, 'datasets');

  await page.getByRole('button', { name: 'Train', exact: true }).click();
  for (const [runId, seed] of [[1, 1], [2, 2]]) {
    await page.getByLabel('Epochs').fill('3');
    await page.getByLabel('Seed').fill(String(seed));
    await page.getByLabel('Train on at most (images)').fill('1500');
    await page.getByRole('button', { name: 'Start training' }).click();
    await expect(page.getByTestId('training-status').getByRole('heading')).toHaveText(`Run ${runId} · succeeded`, { timeout: 90_000 });
  }
  await expectNothingClipped(page, 'train');

  await page.getByRole('button', { name: 'Errors', exact: true }).click();
  await page.getByTestId('cell-6-0').getByRole('button').click();
  await page.getByTestId('gallery-tile').first().click();
  await expect(page.getByTestId('image-detail')).toBeVisible();
  await expectNothingClipped(page, 'errors');
  await expect(page.getByText('Press 0–9 to set the class')).toBeInViewport();

  await page.getByRole('button', { name: 'Runs', exact: true }).click();
  await page.getByLabel('Compare run 1').check();
  await page.getByLabel('Compare run 2').check();
  await page.getByTestId('compare-runs').click();
  await page.getByTestId('run-1').getByTestId('open-run').click();
  await expect(page.getByTestId('run-curves')).toHaveAttribute('data-epochs', '3');
  await expectNothingClipped(page, 'runs');

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fashion-sorter-photos-'));
  const files = [await writePhoto(dir, 1), await writePhoto(dir, 2, { format: 'png' }), await writePhoto(dir, 8)];
  await page.getByRole('button', { name: 'Classify', exact: true }).click();
  await dropPhotos(page, files);
  await expect(page.getByTestId('photo-row')).toHaveCount(3);
  await expectNothingClipped(page, 'classify');
  await expect(page.locator('kbd', { hasText: 'Enter' }).first()).toBeInViewport();
  // Reviewing with the keyboard: the selected photo, large, and its top 3 are in view beside the table.
  await page.getByTestId('photo-row').first().click();
  await expect(page.getByTestId('detail-top3')).toBeInViewport();
  await page.screenshot({ path: path.join(SHOTS, 'classify-selected.png') });
  fs.rmSync(dir, { recursive: true, force: true });
});
