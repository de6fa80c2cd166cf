/**
 * Starts a real web host (the same back end as the desktop app) on a fresh workspace for each test,
 * and fails the test on any network request that does not go to that host.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

export interface WebApp {
  url: string;
  origin: string;
  dbPath: string;
  dir: string;
}

const ROOT = path.resolve(import.meta.dirname, '..');

async function startHost(dbPath: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'src/main/web/main.ts'), '--db', dbPath, '--port', '0'], {
    cwd: ROOT,
    // Uploads go below the user-data folder: the test's own, not the machine's.
    env: { ...process.env, XDG_CONFIG_HOME: path.dirname(dbPath) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('The web host did not start within 30 s')), 30_000);
    child.once('exit', (code) => reject(new Error(`The web host exited with code ${code}`)));
    lines.on('line', (line) => {
      const match = /running at (\S+)/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  return { child, url };
}

export const test = base.extend<{ webApp: WebApp; appPage: Page }>({
  // eslint-disable-next-line no-empty-pattern
  webApp: async ({}, use) => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fashion-sorter-e2e-'));
    const dbPath = path.join(dir, 'workspace.db');
    const { child, url } = await startHost(dbPath);
    await use({ url, origin: new URL(url).origin, dbPath, dir });
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await fs.rm(dir, { recursive: true, force: true });
  },
  appPage: async ({ page, webApp }, use) => {
    const outside: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.origin !== webApp.origin && url.protocol !== 'data:' && url.protocol !== 'blob:') outside.push(request.url());
    });
    await page.route(
      (url) => url.origin !== webApp.origin && url.protocol !== 'data:' && url.protocol !== 'blob:',
      (route) => route.abort('blockedbyclient'),
    );
    await page.goto(webApp.url);
    await use(page);
    expect(outside, 'the app made requests that leave this machine').toEqual([]);
  },
});

export { expect };
