import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openWorkspace } from '../../../src/main/db/connection.ts';
import { migrate, MIGRATIONS } from '../../../src/main/db/migrations.ts';
import { tempDir } from '../../helpers.ts';

const tables = (db: Database.Database): string[] =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);

/** Every table of a schema with its columns in order, and every index. */
function schemaOf(db: Database.Database): { tables: Record<string, string[]>; indexes: string[] } {
  const result: Record<string, string[]> = {};
  for (const name of tables(db)) result[name] = (db.prepare(`PRAGMA table_info(${name})`).all() as { name: string }[]).map((c) => c.name);
  const indexes = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  return { tables: result, indexes };
}

const IMAGE_COLUMNS = ['id', 'dataset_id', 'split', 'label', 'pixels', 'source', 'content_hash'];
const RUN_COLUMNS = ['id', 'dataset_id', 'model', 'config', 'status', 'backend', 'error', 'pid', 'created_at', 'heartbeat_at', 'finished_at', 'train_images', 'validation_images', 'best_epoch', 'seconds_per_epoch', 'test_accuracy', 'test_loss'];
const V1 = {
  datasets: ['id', 'name', 'created_at'],
  images: IMAGE_COLUMNS,
  label_changes: ['id', 'image_id', 'old_label', 'new_label', 'changed_at', 'origin'],
};
const V2 = {
  ...V1,
  runs: [...RUN_COLUMNS, 'evaluation'],
  run_epochs: ['run_id', 'epoch', 'loss', 'accuracy', 'val_loss', 'val_accuracy', 'learning_rate', 'seconds'],
  model_artifacts: ['run_id', 'topology', 'weight_specs', 'weights', 'created_at'],
  predictions: ['run_id', 'image_id', 'predicted', 'confidence', 'probabilities'],
};
const V3 = { ...V2, images: [...IMAGE_COLUMNS, 'suspicious'], settings: ['key', 'value'] };
const V4 = {
  ...V3,
  runs: [...RUN_COLUMNS, 'evaluation', 'review_threshold'],
  photos: ['id', 'batch_id', 'file', 'name', 'classified_at', 'run_id', 'pixels', 'background', 'predicted', 'confidence', 'probabilities', 'label', 'reviewed_at', 'image_id'],
};
const V5 = {
  ...V4,
  datasets: ['id', 'name', 'created_at', 'importing'],
  runs: [...RUN_COLUMNS, 'evaluation', 'review_threshold', 'process_started', 'promoted', 'promotion_reason'],
};
const V6 = { ...V5, runs: [...RUN_COLUMNS, 'review_threshold', 'process_started', 'promoted', 'promotion_reason'] };
const V7 = {
  ...V6,
  photos: [...V6.photos, 'position', 'sha256', 'decided_by', 'review_reason', 'unusual', 'feature_distance', 'audit', 'moved_to', 'seen_before'],
  batches: ['id', 'run_id', 'created_at', 'opened_at', 'total', 'upload_dir', 'gate', 'state', 'error', 'sorted_into', 'sorted_at', 'sorted_moved'],
  batch_sorts: ['id', 'batch_id', 'target', 'moved', 'sorted_at'],
  batch_failures: ['batch_id', 'position', 'file', 'name', 'error'],
  photo_decisions: ['id', 'photo_id', 'batch_id', 'decided_at', 'old_label', 'old_decided_by', 'new_label', 'new_decided_by', 'image_id', 'created_image', 'undone_at', 'note'],
  run_validation: ['run_id', 'labels', 'probabilities', 'feature_model', 'feature_threshold'],
};
const V8 = {
  ...V7,
  label_scans: ['id', 'dataset_id', 'settings', 'status', 'error', 'backend', 'created_at', 'finished_at', 'seconds', 'images', 'issues', 'last_change_id', 'embedding_size', 'results'],
  label_scan_images: ['scan_id', 'image_id', 'label', 'fold', 'probabilities', 'quality', 'suggested', 'issue_rank', 'outlier_score', 'embedding'],
  label_scan_duplicates: ['scan_id', 'image_a', 'image_b', 'distance', 'kind'],
  label_confirmations: ['image_id', 'label', 'confirmed_at'],
};

const V9 = { ...V8, batches: [...V8.batches, 'name'] };
// The images table rebuilt with AUTOINCREMENT: the same columns, and SQLite's table of sequences.
const V10 = { ...V9, sqlite_sequence: ['name', 'seq'] };

/** What each migration leaves: every table with exactly these columns, and these indexes. */
const SCHEMA_AFTER: { tables: Record<string, string[]>; indexes: string[] }[] = [
  { tables: V1, indexes: ['images_by_dataset_label', 'images_by_dataset_split_label', 'label_changes_by_image'] },
  { tables: V2, indexes: ['images_by_dataset_label', 'images_by_dataset_split_label', 'label_changes_by_image', 'predictions_by_run_class', 'runs_by_status'] },
  { tables: V3, indexes: ['images_by_dataset_label', 'images_by_dataset_split_label', 'label_changes_by_image', 'predictions_by_run_class', 'runs_by_status'] },
  { tables: V4, indexes: ['images_by_dataset_label', 'images_by_dataset_split_label', 'label_changes_by_image', 'photos_by_batch', 'predictions_by_run_class', 'runs_by_status'] },
  { tables: V5, indexes: ['images_by_dataset_label', 'images_by_dataset_split_label', 'label_changes_by_image', 'photos_by_batch', 'predictions_by_run_class', 'runs_by_status'] },
  { tables: V6, indexes: ['images_by_dataset_label', 'images_by_dataset_split_label', 'label_changes_by_image', 'photos_by_batch', 'predictions_by_run_class', 'runs_by_status'] },
  {
    tables: V7,
    indexes: ['images_by_dataset_label', 'images_by_dataset_split_label', 'label_changes_by_image', 'photo_decisions_by_batch', 'photos_by_batch', 'photos_by_sha256', 'predictions_by_run_class', 'runs_by_status'],
  },
  {
    tables: V8,
    indexes: ['images_by_dataset_label', 'images_by_dataset_split_label', 'label_changes_by_image', 'label_scan_issues', 'label_scans_by_dataset', 'photo_decisions_by_batch', 'photos_by_batch', 'photos_by_sha256', 'predictions_by_run_class', 'runs_by_status'],
  },
  {
    tables: V9,
    indexes: ['images_by_dataset_label', 'images_by_dataset_split_label', 'label_changes_by_image', 'label_scan_issues', 'label_scans_by_dataset', 'photo_decisions_by_batch', 'photos_by_batch', 'photos_by_sha256', 'predictions_by_run_class', 'runs_by_status'],
  },
  {
    tables: V10,
    indexes: ['images_by_dataset_label', 'images_by_dataset_split_label', 'label_changes_by_image', 'label_scan_issues', 'label_scans_by_dataset', 'photo_decisions_by_batch', 'photos_by_batch', 'photos_by_sha256', 'predictions_by_run_class', 'runs_by_status'],
  },
];

describe('migrations', () => {
  it('every migration has a description here of what it leaves (add one with each new migration)', () => {
    expect(SCHEMA_AFTER).toHaveLength(MIGRATIONS.length);
  });

  it.each(SCHEMA_AFTER.map((expected, i) => [i + 1, expected] as const))('migration %i leaves exactly the tables, columns and indexes it should', (version, expected) => {
    const db = new Database(':memory:');
    migrate(db, version);
    const schema = schemaOf(db);
    expect(schema.tables).toEqual(expected.tables);
    expect(schema.indexes).toEqual(expected.indexes);
  });

  it('migration 3 flags default to unset and refuse anything but 0 or 1', () => {
    const db = new Database(':memory:');
    migrate(db, 3);
    db.prepare("INSERT INTO datasets (name, created_at) VALUES ('d', 'now')").run();
    db.prepare("INSERT INTO images (dataset_id, split, label, pixels, source, content_hash) VALUES (1, 'train', 1, ?, 's', 'h')").run(Buffer.alloc(784));
    expect(db.prepare('SELECT suspicious FROM images').get()).toEqual({ suspicious: 0 });
    expect(() => db.prepare('UPDATE images SET suspicious = 2').run()).toThrow(/CHECK/);
  });

  it('migration 4 photos refuse a wrong-sized image or probabilities, and outlive their run', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, 4);
    db.prepare("INSERT INTO datasets (name, created_at) VALUES ('d', 'now')").run();
    db.prepare("INSERT INTO runs (dataset_id, model, config, status, created_at, heartbeat_at) VALUES (1, 'mlp', '{}', 'succeeded', 'now', 'now')").run();
    const insert = db.prepare("INSERT INTO photos (batch_id, file, name, classified_at, run_id, pixels, background, predicted, confidence, probabilities) VALUES ('b', 'f', 'n', 'now', 1, ?, 'light', 1, 0.5, ?)");
    expect(() => insert.run(Buffer.alloc(100), Buffer.alloc(40))).toThrow(/CHECK/);
    expect(() => insert.run(Buffer.alloc(784), Buffer.alloc(39))).toThrow(/CHECK/);
    insert.run(Buffer.alloc(784), Buffer.alloc(40));
    db.prepare('DELETE FROM runs').run();
    expect(db.prepare('SELECT run_id FROM photos').get()).toEqual({ run_id: null });
  });

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

  it('the images rebuild (ids never reused) keeps every image, its history, predictions and what points at it, with foreign keys still on', () => {
    const rebuild = MIGRATIONS.findIndex((m) => m.includes('CREATE TABLE images_new')) + 1;
    const db = new Database(path.join(tempDir(), 'w.db'));
    db.pragma('foreign_keys = ON');
    migrate(db, rebuild - 1);
    db.prepare("INSERT INTO datasets (id, name, created_at) VALUES (1, 'd', 'now')").run();
    const image = db.prepare("INSERT INTO images (id, dataset_id, split, label, pixels, source, content_hash, suspicious) VALUES (?, 1, ?, ?, ?, ?, ?, ?)");
    image.run(1, 'train', 3, Buffer.alloc(784, 1), 'a#0', Buffer.from('h1'), 0);
    image.run(2, 'test', 6, Buffer.alloc(784, 2), 'a#1', Buffer.from('h2'), 1);
    image.run(7, 'user', 0, Buffer.alloc(784, 7), 'upload:x.jpg#photo1', Buffer.from('h7'), 0);
    db.prepare("INSERT INTO label_changes (image_id, old_label, new_label, changed_at, origin) VALUES (2, 0, 6, 't1', 'review'), (2, 6, 6, 't2', 'scan')").run();
    db.prepare("INSERT INTO runs (id, dataset_id, model, config, status, created_at, heartbeat_at) VALUES (1, 1, 'mlp', '{}', 'succeeded', 'now', 'now')").run();
    db.prepare('INSERT INTO predictions (run_id, image_id, predicted, confidence, probabilities) VALUES (1, 1, 3, 0.9, ?), (1, 2, 0, 0.6, ?)').run(Buffer.alloc(40), Buffer.alloc(40));
    db.prepare("INSERT INTO label_confirmations (image_id, label, confirmed_at) VALUES (1, 3, 'now')").run();
    db.prepare("INSERT INTO photos (batch_id, file, name, classified_at, run_id, pixels, background, predicted, confidence, probabilities, image_id) VALUES ('b', 'f', 'n', 'now', 1, ?, 'light', 0, 0.5, ?, 7)").run(Buffer.alloc(784), Buffer.alloc(40));
    // An undo before this version removed image 9, and its history note names it.
    db.prepare("INSERT INTO photo_decisions (photo_id, batch_id, decided_at, old_decided_by, new_label, new_decided_by, image_id, created_image, note) VALUES (1, 'b', 'now', 'model', 0, 'corrected', 9, 1, 'removed training image 9')").run();
    const tablesWithImages = ['images', 'label_changes', 'predictions', 'label_confirmations', 'photos', 'photo_decisions'];
    const snapshot = (): unknown[] => tablesWithImages.map((t) => db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all());
    const before = snapshot();

    migrate(db);

    expect(snapshot()).toEqual(before);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    // The references to images still hold and still cascade.
    expect(() => db.prepare("INSERT INTO label_changes (image_id, old_label, new_label, changed_at, origin) VALUES (42, 0, 1, 'now', 'review')").run()).toThrow(/FOREIGN KEY/);
    db.prepare('DELETE FROM images WHERE id = 2').run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM label_changes WHERE image_id = 2').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM predictions WHERE image_id = 2').get()).toEqual({ n: 0 });
    // New images start above every id the history names (9), and a freed id is never handed out again.
    const insert = db.prepare("INSERT INTO images (dataset_id, split, label, pixels, source, content_hash) VALUES (1, 'user', 1, ?, 's', ?)");
    const ten = Number(insert.run(Buffer.alloc(784, 10), Buffer.from('h10')).lastInsertRowid);
    expect(ten).toBe(10);
    db.prepare('DELETE FROM images WHERE id = ?').run(ten);
    expect(Number(insert.run(Buffer.alloc(784, 11), Buffer.from('h11')).lastInsertRowid)).toBe(11);
    db.close();
  });

  it('a migration that would leave rows pointing at nothing is rolled back whole, and foreign keys are on again', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, 1);
    const version = db.pragma('user_version', { simple: true });
    db.prepare("INSERT INTO datasets (id, name, created_at) VALUES (1, 'd', 'now')").run();
    db.prepare("INSERT INTO images (id, dataset_id, split, label, pixels, source, content_hash) VALUES (1, 1, 'train', 1, ?, 's', 'h')").run(Buffer.alloc(784));
    // With foreign keys off for the migration, dropping the datasets would leave the image without one.
    const original = [...MIGRATIONS];
    (MIGRATIONS as string[]).splice(1, MIGRATIONS.length, 'CREATE TABLE scratch (x INTEGER); DELETE FROM datasets;');
    try {
      expect(() => migrate(db, 2)).toThrow(/pointing at missing datasets/);
    } finally {
      (MIGRATIONS as string[]).splice(0, MIGRATIONS.length, ...original);
    }
    expect(db.pragma('user_version', { simple: true })).toBe(version);
    expect(tables(db)).not.toContain('scratch');
    expect(db.prepare('SELECT COUNT(*) AS n FROM datasets').get()).toEqual({ n: 1 });
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
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

  it('leaves a newer workspace byte-identical, naming the file and the way out', () => {
    const file = path.join(tempDir(), 'newer.db');
    fs.copyFileSync(path.join(import.meta.dirname, '../../fixtures/workspaces/schema-v1.workspace'), file);
    const raw = new Database(file);
    raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    raw.close();
    const before = fs.readFileSync(file);
    expect(() => openWorkspace(file)).toThrow(
      `The workspace ${file} was written by a newer version of Fashion Sorter (schema ${MIGRATIONS.length + 1}, this version knows ${MIGRATIONS.length}); it was left unchanged. Update Fashion Sorter to open it, or name another workspace with --db.`,
    );
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
  });
});
