/**
 * A large import into a new dataset is written in short transactions, so that it never holds the
 * workspace's write lock for seconds. Until its last, short transaction the dataset is hidden
 * (`importing = 1`, under a private name), so nobody sees half an import; if the importing process dies,
 * the next open removes what it left.
 */
import type { Db } from './connection.ts';

/** Private names of datasets being imported carry their importer: `\u0001importing <pid> <start> <random>`. */
const PREFIX = '\u0001importing ';

/** Creates the hidden dataset an import writes into. */
export function createStagingDataset(db: Db, owner: { pid: number; startedAt: string | null }, now: Date): number {
  const name = `${PREFIX}${owner.pid} ${owner.startedAt ?? '-'} ${Math.random().toString(36).slice(2)}`;
  return Number(db.prepare('INSERT INTO datasets (name, created_at, importing) VALUES (?, ?, 1)').run(name, now.toISOString()).lastInsertRowid);
}

/**
 * Makes a finished import visible under its real name; call in a transaction. Returns false when a dataset
 * of that name appeared meanwhile (another import created it), so the caller can add to that one instead.
 */
export function publishStagingDataset(db: Db, stagingId: number, name: string): boolean {
  if (db.prepare('SELECT 1 FROM datasets WHERE name = ?').get(name)) return false;
  db.prepare('UPDATE datasets SET name = ?, importing = 0 WHERE id = ?').run(name, stagingId);
  return true;
}

/** Removes a hidden dataset and its images (an import that failed or was cancelled). */
export function discardStagingDataset(db: Db, stagingId: number): void {
  db.prepare('DELETE FROM datasets WHERE id = ? AND importing = 1').run(stagingId);
}

/** Removes the hidden datasets of imports whose process is gone; returns how many. */
export function removeAbandonedImports(db: Db, isAlive: (pid: number, startedAt: string | null) => boolean): number {
  const rows = db.prepare('SELECT id, name FROM datasets WHERE importing = 1').all() as { id: number; name: string }[];
  let removed = 0;
  for (const { id, name } of rows) {
    const [pid, startedAt] = name.slice(PREFIX.length).split(' ');
    if (!isAlive(Number(pid), startedAt === '-' ? null : startedAt)) {
      db.transaction(() => discardStagingDataset(db, id))();
      removed++;
    }
  }
  return removed;
}

/** The id of the visible dataset with this name, or null. */
export function datasetIdByName(db: Db, name: string): number | null {
  return (db.prepare('SELECT id FROM datasets WHERE name = ? AND importing = 0').get(name) as { id: number } | undefined)?.id ?? null;
}
