import type Database from 'better-sqlite3';

/**
 * Numbered schema migrations; `PRAGMA user_version` records how many have run.
 * Append only: a shipped migration is never edited, since workspaces in the field already ran it.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: datasets, images and the history of their labels.
  `
  CREATE TABLE datasets (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
  );
  CREATE TABLE images (
    id INTEGER PRIMARY KEY,
    dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    split TEXT NOT NULL CHECK (split IN ('train', 'test', 'user')),
    label INTEGER NOT NULL CHECK (label BETWEEN 0 AND 9),
    pixels BLOB NOT NULL CHECK (length(pixels) = 784),
    source TEXT NOT NULL,
    content_hash BLOB NOT NULL,
    UNIQUE (dataset_id, content_hash)
  );
  CREATE INDEX images_by_dataset_split_label ON images(dataset_id, split, label);
  CREATE INDEX images_by_dataset_label ON images(dataset_id, label);
  CREATE TABLE label_changes (
    id INTEGER PRIMARY KEY,
    image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    old_label INTEGER NOT NULL,
    new_label INTEGER NOT NULL,
    changed_at TEXT NOT NULL,
    origin TEXT NOT NULL
  );
  CREATE INDEX label_changes_by_image ON label_changes(image_id);
  `,
];

/** Runs every migration the workspace has not run yet, each in its own transaction. */
export function migrate(db: Database.Database, target = MIGRATIONS.length): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(
      `This workspace was written by a newer version of Fashion Sorter (schema ${current}, this version knows ${MIGRATIONS.length}).`,
    );
  }
  for (let version = current; version < target; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
