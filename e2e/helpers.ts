import type { Page } from '@playwright/test';
import { expect } from './fixtures.ts';

/** Loads the bundled dataset and trains a tiny MLP from the Train view; returns when it has finished. */
export async function trainTinyRun(page: Page, seed: number): Promise<void> {
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.getByTestId('train-model').selectOption('mlp');
  await page.getByLabel('Epochs').fill('3');
  await page.getByLabel('Seed').fill(String(seed));
  await page.getByLabel('Train on at most (images)').fill('1500');
  await page.getByRole('button', { name: 'Start training' }).click();
  await expect(page.getByTestId('training-status')).toContainText('succeeded', { timeout: 90_000 });
}

/** Loads the bundled Fashion-MNIST from the Datasets view and waits for its counts. */
export async function loadDataset(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Load Fashion-MNIST' }).click();
  await expect(page.getByTestId('dataset-train')).toHaveText('60,000', { timeout: 60_000 });
}
