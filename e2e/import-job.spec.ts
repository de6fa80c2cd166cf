import { expect, test } from './fixtures.ts';

test('an import shows its progress as a job until it is done', async ({ appPage: page }) => {
  await page.getByRole('button', { name: 'Load Fashion-MNIST' }).click();
  // The import is a job: its phase and sources read are on the page while it runs.
  await expect(page.getByTestId('import-progress')).toContainText(/(reading|saving), \d of 2 sources read/);
  await expect(page.getByTestId('notice')).toContainText('Imported 70,000 images', { timeout: 60_000 });
  await expect(page.getByTestId('import-progress')).toHaveCount(0);
});
