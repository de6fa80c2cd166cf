import { randomUUID } from 'node:crypto';
import type { Db } from './connection.ts';

/** The settings key under which a workspace keeps its stable id. */
const WORKSPACE_ID_KEY = 'workspace_id';

/** The workspace's stable id, or null when it never needed one (nothing was uploaded to it yet). */
export function findWorkspaceId(db: Db): string | null {
  return (db.prepare('SELECT value FROM settings WHERE key = ?').get(WORKSPACE_ID_KEY) as { value: string } | undefined)?.value ?? null;
}

/**
 * The workspace's stable id, created on first use. It names the workspace's uploads folder, so it must
 * survive the workspace file being moved or renamed; a path or an inode would not.
 */
export function ensureWorkspaceId(db: Db): string {
  // INSERT OR IGNORE: two processes creating it at once both end up reading the one that won.
  db.prepare('INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)').run(WORKSPACE_ID_KEY, randomUUID());
  return findWorkspaceId(db)!;
}
