/** Shared test helpers: temporary folders and workspaces, cleaned up after each test. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { runCli } from '../src/main/cli/cli.ts';
import { openWorkspace, type Db } from '../src/main/db/connection.ts';
import type { BackendName } from '../src/main/ml/backend.ts';
import { writeIdxSlice } from './fashion-data.ts';

export * from './fashion-data.ts';

/** The backend this test project trains on: vitest.config.ts sets FASHION_SORTER_BACKEND per project. */
export const TEST_BACKEND = (process.env.FASHION_SORTER_BACKEND ?? 'wasm') as BackendName;

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

/** A fresh folder, removed after the test. */
export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fashion-sorter-test-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A fresh workspace file, closed after the test. */
export function tempWorkspace(): { db: Db; file: string } {
  const file = path.join(tempDir(), 'workspace.db');
  const db = openWorkspace(file);
  cleanups.push(() => db.open && db.close());
  return { db, file };
}


/** Runs the CLI in-process, collecting what it prints. */
export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`), env: {} });
  return { code, out, err };
}

/**
 * A workspace file holding `train` and `test` real Fashion-MNIST images, imported by the CLI as a person
 * would; with its folder, for the files a test writes beside it.
 */
export async function cliWorkspace(train: number, test: number): Promise<{ dir: string; db: string }> {
  const dir = tempDir();
  const data = path.join(dir, 'data');
  fs.mkdirSync(data);
  writeIdxSlice(data, 'train', train);
  writeIdxSlice(data, 'test', test);
  const db = path.join(dir, 'w.db');
  const imported = await cli('import', data, '--db', db);
  if (imported.code !== 0) throw new Error(`The test images could not be imported: ${imported.err}`);
  return { dir, db };
}
