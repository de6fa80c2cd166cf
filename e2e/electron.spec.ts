/**
 * Tests against the real Electron binary. They run wherever one is installed (a developer's machine,
 * the hosted CI workflow) and are skipped where Electron cannot be downloaded.
 */
import { _electron as electron, expect, test } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');

/** The Electron executable if it has been downloaded; never triggers a download itself. */
function electronBinary(): string | null {
  const dir = path.join(ROOT, 'node_modules/electron');
  const pathFile = path.join(dir, 'path.txt');
  if (!fs.existsSync(pathFile)) return null;
  const binary = path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(dir, 'dist'), fs.readFileSync(pathFile, 'utf8'));
  return fs.existsSync(binary) ? binary : null;
}

const binary = electronBinary();
test.skip(!binary, 'No Electron binary on this machine (it cannot be downloaded here); run `npx install-electron` where the network allows.');

test('the desktop app opens on a fresh workspace and loads the bundled dataset', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fashion-sorter-electron-'));
  const app = await electron.launch({ executablePath: binary!, args: [path.join(ROOT, 'out/main/index.js'), '--db', path.join(dir, 'workspace.db')] });
  try {
    const window = await app.firstWindow();
    await expect(window.getByRole('heading', { name: 'Datasets' })).toBeVisible();
    // The renderer is sandboxed: no Node, no require.
    expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    await window.getByRole('button', { name: 'Load Fashion-MNIST' }).click();
    await expect(window.getByTestId('dataset-train')).toHaveText('60,000', { timeout: 60_000 });
    await expect(window.getByTestId('dataset-test')).toHaveText('10,000');
  } finally {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
