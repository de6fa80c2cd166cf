/** Shared test helpers: temporary folders and workspaces, cleaned up after each test. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { runCli } from '../src/main/cli/cli.ts';
import { openWorkspace, type Db } from '../src/main/db/connection.ts';
import type { BackendName } from '../src/main/ml/backend.ts';

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
