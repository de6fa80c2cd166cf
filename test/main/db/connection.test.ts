import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { isReadOnlyWorkspace, workspaceFileOf } from '../../../src/main/db/connection.ts';
import { tempWorkspace } from '../../helpers.ts';

describe('workspace connections', () => {
  it('every transaction takes the write lock when it begins, so a writer that reads first can wait its turn', () => {
    const { db, file } = tempWorkspace();
    const other = new Database(file, { timeout: 0 });
    const otherCanWrite = (): boolean => {
      try {
        other.exec('BEGIN IMMEDIATE');
        other.exec('ROLLBACK');
        return true;
      } catch (error) {
        expect((error as { code: string }).code).toBe('SQLITE_BUSY');
        return false;
      }
    };
    expect(otherCanWrite()).toBe(true);
    // Only a read inside: a deferred transaction would not hold the write lock yet.
    const heldDuring = db.transaction(() => {
      db.prepare('SELECT COUNT(*) FROM datasets').get();
      return !otherCanWrite();
    })();
    expect(heldDuring).toBe(true);
    expect(otherCanWrite()).toBe(true);
    other.close();
  });

  it('knows its workspace file and that it is writable', () => {
    const { db, file } = tempWorkspace();
    expect(workspaceFileOf(db)).toBe(file);
    expect(isReadOnlyWorkspace(db)).toBe(false);
  });

  it('the hardening migration adds the process start time and the gate decision to runs', () => {
    const { db } = tempWorkspace();
    const columns = (db.prepare('PRAGMA table_info(runs)').all() as { name: string }[]).map((c) => c.name);
    expect(columns).toEqual(expect.arrayContaining(['process_started', 'promoted', 'promotion_reason']));
    db.prepare("INSERT INTO datasets (name, created_at) VALUES ('d', 'now')").run();
    const insert = db.prepare("INSERT INTO runs (dataset_id, model, config, status, created_at, heartbeat_at, promoted) VALUES (1, 'mlp', '{}', 'running', 'now', 'now', ?)");
    expect(() => insert.run(2)).toThrow(/CHECK/);
    insert.run(1);
  });
});
