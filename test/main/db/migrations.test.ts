import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openWorkspace } from '../../../src/main/db/connection.ts';
import { migrate, MIGRATIONS } from '../../../src/main/db/migrations.ts';
import { tempDir } from '../../helpers.ts';

const tables = (db: Database.Database): string[] =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);

describe('migrations', () => {
  it('brings a new workspace to the latest schema in WAL mode with foreign keys on', () => {
    const db = openWorkspace(path.join(tempDir(), 'w.db'));
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('migration 1 creates datasets, images and label history, and images reject bad rows', () => {
    const db = new Database(':memory:');
    migrate(db, 1);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(tables(db)).toEqual(expect.arrayContaining(['datasets', 'images', 'label_changes']));
    db.prepare("INSERT INTO datasets (name, created_at) VALUES ('d', 'now')").run();
    const insert = db.prepare("INSERT INTO images (dataset_id, split, label, pixels, source, content_hash) VALUES (1, ?, ?, ?, 's', ?)");
    expect(() => insert.run('train', 10, Buffer.alloc(784), Buffer.from('a'))).toThrow(/CHECK/);
    expect(() => insert.run('valid', 1, Buffer.alloc(784), Buffer.from('b'))).toThrow(/CHECK/);
    expect(() => insert.run('train', 1, Buffer.alloc(783), Buffer.from('c'))).toThrow(/CHECK/);
    insert.run('train', 1, Buffer.alloc(784), Buffer.from('d'));
    expect(() => insert.run('test', 2, Buffer.alloc(784), Buffer.from('d'))).toThrow(/UNIQUE/);
  });

  it('each later migration applies on top of the one before and is recorded', () => {
    const db = new Database(':memory:');
    for (let version = 1; version <= MIGRATIONS.length; version++) {
      migrate(db, version);
      expect(db.pragma('user_version', { simple: true })).toBe(version);
    }
  });

  it('reopening a workspace runs nothing twice', () => {
    const file = path.join(tempDir(), 'w.db');
    openWorkspace(file).close();
    const db = openWorkspace(file);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    db.close();
  });

  it('refuses a workspace written by a newer version', () => {
    const file = path.join(tempDir(), 'w.db');
    const raw = new Database(file);
    raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    raw.close();
    expect(() => openWorkspace(file)).toThrow(/newer version of Fashion Sorter/);
  });
});
