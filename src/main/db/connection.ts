import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { migrate } from './migrations.ts';

export type Db = Database.Database;

/** How long a writer waits for another process's lock before giving up (training writes while the UI reads). */
const BUSY_TIMEOUT_MS = 10_000;

/**
 * Opens (creating if needed) the workspace file and brings its schema up to date.
 * WAL lets the training process write while the UI reads; the busy timeout covers the short
 * moments when both want to write.
 */
export function openWorkspace(file: string): Db {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}
