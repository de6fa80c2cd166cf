import type { Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from './fixtures.ts';

/**
 * Trains a 3-epoch MLP on 1,500 images from the Train view; returns when it has finished. With `runId`,
 * it also checks that the run that finished is that one.
 */
export async function trainTinyRun(page: Page, seed: number, runId?: number): Promise<void> {
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.getByTestId('train-model').selectOption('mlp');
  await page.getByLabel('Epochs').fill('3');
  await page.getByLabel('Seed').fill(String(seed));
  await page.getByLabel('Train on at most (images)').fill('1500');
  await page.getByRole('button', { name: 'Start training' }).click();
  if (runId === undefined) await expect(page.getByTestId('training-status')).toContainText('succeeded', { timeout: 90_000 });
  else await expect(page.getByTestId('training-status').getByRole('heading')).toHaveText(`Run ${runId} · succeeded`, { timeout: 90_000 });
}

/** Drops files on the Classify view as a person drags them from their desktop (the browser sends their bytes). */
export async function dropPhotos(page: Page, files: readonly string[]): Promise<void> {
  const payload = files.map((file) => ({ name: path.basename(file), base64: fs.readFileSync(file).toString('base64') }));
  const dataTransfer = await page.evaluateHandle((items) => {
    const transfer = new DataTransfer();
    for (const { name, base64 } of items) {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      transfer.items.add(new File([bytes], name, { type: name.endsWith('.png') ? 'image/png' : 'image/jpeg' }));
    }
    return transfer;
  }, payload);
  await page.dispatchEvent('[data-testid="classify-view"]', 'drop', { dataTransfer });
}

/** Loads the bundled Fashion-MNIST from the Datasets view and waits for its counts. */
export async function loadDataset(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Load Fashion-MNIST' }).click();
  await expect(page.getByTestId('dataset-train')).toHaveText('60,000', { timeout: 60_000 });
}
