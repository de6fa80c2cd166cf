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
  // 2: training runs, their epochs, the trained model, and a prediction for every image.
  `
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    model TEXT NOT NULL CHECK (model IN ('mlp', 'cnn')),
    config TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled')),
    backend TEXT,
    error TEXT,
    pid INTEGER,
    created_at TEXT NOT NULL,
    heartbeat_at TEXT NOT NULL,
    finished_at TEXT,
    train_images INTEGER,
    validation_images INTEGER,
    best_epoch INTEGER,
    seconds_per_epoch REAL,
    test_accuracy REAL,
    test_loss REAL,
    evaluation TEXT
  );
  CREATE INDEX runs_by_status ON runs(status);
  CREATE TABLE run_epochs (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    epoch INTEGER NOT NULL,
    loss REAL NOT NULL,
    accuracy REAL NOT NULL,
    val_loss REAL,
    val_accuracy REAL,
    learning_rate REAL NOT NULL,
    seconds REAL NOT NULL,
    PRIMARY KEY (run_id, epoch)
  ) WITHOUT ROWID;
  CREATE TABLE model_artifacts (
    run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
    topology TEXT NOT NULL,
    weight_specs TEXT NOT NULL,
    weights BLOB NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE predictions (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    predicted INTEGER NOT NULL CHECK (predicted BETWEEN 0 AND 9),
    confidence REAL NOT NULL,
    probabilities BLOB NOT NULL CHECK (length(probabilities) = 40),
    PRIMARY KEY (run_id, image_id)
  ) WITHOUT ROWID;
  CREATE INDEX predictions_by_run_class ON predictions(run_id, predicted);
  `,
  // 3: a person's "suspicious label" flag on an image, and app settings such as the active run.
  `
  ALTER TABLE images ADD COLUMN suspicious INTEGER NOT NULL DEFAULT 0 CHECK (suspicious IN (0, 1));
  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  // 4: photos people classified: what the model saw, what it said, and what the person decided.
  `
  CREATE TABLE photos (
    id INTEGER PRIMARY KEY,
    batch_id TEXT NOT NULL,
    file TEXT NOT NULL,
    name TEXT NOT NULL,
    classified_at TEXT NOT NULL,
    run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,
    pixels BLOB NOT NULL CHECK (length(pixels) = 784),
    background TEXT NOT NULL CHECK (background IN ('light', 'dark')),
    predicted INTEGER NOT NULL CHECK (predicted BETWEEN 0 AND 9),
    confidence REAL NOT NULL,
    probabilities BLOB NOT NULL CHECK (length(probabilities) = 40),
    label INTEGER CHECK (label BETWEEN 0 AND 9),
    reviewed_at TEXT,
    image_id INTEGER REFERENCES images(id) ON DELETE SET NULL
  );
  CREATE INDEX photos_by_batch ON photos(batch_id);
  ALTER TABLE runs ADD COLUMN review_threshold REAL;
  `,
  // 5 (hardening, issue 11): when the training process started, so that a later process reusing its pid is
  // not taken for it; the promotion gate's decision and reason, stored by the save that made them; and
  // datasets still being imported, written in short chunks and hidden until their import completes.
  `
  ALTER TABLE runs ADD COLUMN process_started TEXT;
  ALTER TABLE runs ADD COLUMN promoted INTEGER CHECK (promoted IN (0, 1));
  ALTER TABLE runs ADD COLUMN promotion_reason TEXT;
  ALTER TABLE datasets ADD COLUMN importing INTEGER NOT NULL DEFAULT 0 CHECK (importing IN (0, 1));
  `,
  // 6 (restructure): runs.evaluation was written and never read; a run's evaluation is computed from its
  // stored predictions (runs/evaluation.ts), so it always reflects the images' current labels.
  `
  ALTER TABLE runs DROP COLUMN evaluation;
  `,
  // 7 (review, issue 13): batches that last, who decided each photo, failed files, the undo history of
  // decisions, the per-class gate's validation predictions and the unusual-photo scorer of each run.
  `
  CREATE TABLE batches (
    id TEXT PRIMARY KEY,
    run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    total INTEGER NOT NULL,
    upload_dir TEXT,
    gate TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'classifying' CHECK (state IN ('classifying', 'done', 'failed', 'cancelled')),
    error TEXT,
    sorted_into TEXT,
    sorted_at TEXT,
    sorted_moved INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE batch_sorts (
    id INTEGER PRIMARY KEY,
    batch_id TEXT NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
    target TEXT NOT NULL,
    moved INTEGER NOT NULL,
    sorted_at TEXT NOT NULL
  );
  CREATE TABLE batch_failures (
    batch_id TEXT NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    file TEXT NOT NULL,
    name TEXT NOT NULL,
    error TEXT NOT NULL,
    PRIMARY KEY (batch_id, position)
  ) WITHOUT ROWID;
  ALTER TABLE photos ADD COLUMN position INTEGER;
  ALTER TABLE photos ADD COLUMN sha256 TEXT;
  ALTER TABLE photos ADD COLUMN decided_by TEXT NOT NULL DEFAULT 'model' CHECK (decided_by IN ('model', 'accepted', 'corrected'));
  ALTER TABLE photos ADD COLUMN review_reason TEXT;
  ALTER TABLE photos ADD COLUMN unusual INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE photos ADD COLUMN feature_distance REAL;
  ALTER TABLE photos ADD COLUMN audit INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE photos ADD COLUMN moved_to TEXT;
  ALTER TABLE photos ADD COLUMN seen_before INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX photos_by_sha256 ON photos(sha256);
  CREATE TABLE photo_decisions (
    id INTEGER PRIMARY KEY,
    photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
    batch_id TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    old_label INTEGER,
    old_decided_by TEXT NOT NULL,
    new_label INTEGER NOT NULL,
    new_decided_by TEXT NOT NULL,
    image_id INTEGER,
    created_image INTEGER NOT NULL DEFAULT 0,
    undone_at TEXT,
    note TEXT
  );
  CREATE INDEX photo_decisions_by_batch ON photo_decisions(batch_id, id);
  CREATE TABLE run_validation (
    run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
    labels BLOB NOT NULL,
    probabilities BLOB NOT NULL,
    feature_model TEXT,
    feature_threshold REAL
  );
  -- Batches classified before this version become stored batches too, with who decided each photo.
  INSERT INTO batches (id, run_id, created_at, opened_at, total, gate, state)
    SELECT batch_id, MIN(run_id), MIN(classified_at), MAX(classified_at), COUNT(*), '{"kind":"single","threshold":0.9,"maxError":null,"classes":[],"expectedReviewShare":null}', 'done'
    FROM photos GROUP BY batch_id;
  UPDATE photos SET decided_by = CASE WHEN reviewed_at IS NULL THEN 'model' WHEN label = predicted THEN 'accepted' ELSE 'corrected' END;
  UPDATE photos SET position = (SELECT COUNT(*) FROM photos q WHERE q.batch_id = photos.batch_id AND q.id < photos.id);
  `,
  // 8 (labels, issue 12): label scans (out-of-fold confident learning), what each saw and found per image,
  // near-duplicate pairs, and labels a person confirmed as right.
  `
  CREATE TABLE label_scans (
    id INTEGER PRIMARY KEY,
    dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    settings TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled')),
    error TEXT,
    backend TEXT,
    created_at TEXT NOT NULL,
    finished_at TEXT,
    seconds REAL,
    images INTEGER,
    issues INTEGER,
    last_change_id INTEGER NOT NULL DEFAULT 0,
    embedding_size INTEGER,
    results TEXT
  );
  CREATE INDEX label_scans_by_dataset ON label_scans(dataset_id, id);
  CREATE TABLE label_scan_images (
    scan_id INTEGER NOT NULL REFERENCES label_scans(id) ON DELETE CASCADE,
    image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    label INTEGER NOT NULL CHECK (label BETWEEN 0 AND 9),
    fold INTEGER,
    probabilities BLOB CHECK (probabilities IS NULL OR length(probabilities) = 40),
    quality REAL,
    suggested INTEGER CHECK (suggested IS NULL OR suggested BETWEEN 0 AND 9),
    issue_rank INTEGER,
    outlier_score REAL,
    embedding BLOB,
    PRIMARY KEY (scan_id, image_id)
  ) WITHOUT ROWID;
  CREATE INDEX label_scan_issues ON label_scan_images(scan_id, issue_rank) WHERE issue_rank IS NOT NULL;
  CREATE TABLE label_scan_duplicates (
    scan_id INTEGER NOT NULL REFERENCES label_scans(id) ON DELETE CASCADE,
    image_a INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    image_b INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    distance REAL NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('leakage', 'different-labels')),
    PRIMARY KEY (scan_id, image_a, image_b)
  ) WITHOUT ROWID;
  CREATE TABLE label_confirmations (
    image_id INTEGER PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
    label INTEGER NOT NULL CHECK (label BETWEEN 0 AND 9),
    confirmed_at TEXT NOT NULL
  );
  `,
  // 9 (ui, issue 13): a batch's name, from what was dropped ("shoes/ · 24 photos"); older batches are
  // named by their first photo when listed.
  `
  ALTER TABLE batches ADD COLUMN name TEXT;
  `,
  // 10 (ui, issue 13): image ids are never reused. Without AUTOINCREMENT SQLite hands the largest freed id
  // to the next image, so after undo removed a training image, the undo's history note (and anything
  // else naming it) pointed at another image. Rebuilt by SQLite's procedure for schema changes ALTER
  // TABLE cannot make (lang_altertable.html, section 7); \`migrate\` turns foreign keys off around it and
  // checks them before committing. The sequence starts above every id the history names, so an image
  // removed before this version does not get its id reused either.
  `
  CREATE TABLE images_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    split TEXT NOT NULL CHECK (split IN ('train', 'test', 'user')),
    label INTEGER NOT NULL CHECK (label BETWEEN 0 AND 9),
    pixels BLOB NOT NULL CHECK (length(pixels) = 784),
    source TEXT NOT NULL,
    content_hash BLOB NOT NULL,
    suspicious INTEGER NOT NULL DEFAULT 0 CHECK (suspicious IN (0, 1)),
    UNIQUE (dataset_id, content_hash)
  );
  INSERT INTO images_new (id, dataset_id, split, label, pixels, source, content_hash, suspicious)
    SELECT id, dataset_id, split, label, pixels, source, content_hash, suspicious FROM images;
  DROP TABLE images;
  ALTER TABLE images_new RENAME TO images;
  CREATE INDEX images_by_dataset_split_label ON images(dataset_id, split, label);
  CREATE INDEX images_by_dataset_label ON images(dataset_id, label);
  INSERT INTO sqlite_sequence (name, seq) SELECT 'images', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'images');
  UPDATE sqlite_sequence SET seq = MAX(seq,
      COALESCE((SELECT MAX(image_id) FROM photo_decisions), 0),
      COALESCE((SELECT MAX(image_id) FROM label_changes), 0))
    WHERE name = 'images';
  `,
];

/**
 * Runs every migration the workspace has not run yet, all in one transaction that holds the write lock
 * before `user_version` is read: two processes opening an older workspace at once would otherwise both
 * see the old version and both run the same migration ("table already exists").
 */
export function migrate(db: Database.Database, target = MIGRATIONS.length): void {
  const readVersion = (): number => db.pragma('user_version', { simple: true }) as number;
  const check = (current: number): void => {
    if (current > MIGRATIONS.length) {
      throw new Error(
        `This workspace was written by a newer version of Fashion Sorter (schema ${current}, this version knows ${MIGRATIONS.length}).`,
      );
    }
  };
  // The schema only moves forward, so a workspace already up to date needs no lock.
  const before = readVersion();
  check(before);
  if (before >= target) return;
  // A migration that rebuilds a table drops the old one: with foreign keys on, that would delete (cascade)
  // every row pointing at it. SQLite ignores this pragma inside a transaction, so it is set before, and
  // the keys are checked before committing instead (lang_altertable.html, section 7).
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) === 1;
  if (foreignKeys) db.pragma('foreign_keys = OFF');
  db.exec('BEGIN IMMEDIATE');
  try {
    const current = readVersion();
    check(current);
    const brokenBefore = (db.pragma('foreign_key_check') as unknown[]).length;
    for (let version = current; version < target; version++) {
      db.exec(MIGRATIONS[version]);
      db.pragma(`user_version = ${version + 1}`);
    }
    const broken = db.pragma('foreign_key_check') as { table: string; parent: string }[];
    if (broken.length > brokenBefore) {
      throw new Error(`Updating the workspace schema to version ${target} would leave ${broken.length - brokenBefore} rows of ${broken[0].table} pointing at missing ${broken[0].parent}; nothing was changed.`);
    }
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  } finally {
    if (foreignKeys) db.pragma('foreign_keys = ON');
  }
}
