/**
 * Writes one small populated workspace per earlier schema version into test/fixtures/workspaces/, for the
 * upgrade test (test/main/db/upgrade.test.ts). Each fixture is built the way a workspace in the field
 * was: every migration up to its version ran in turn, and after each one the app wrote what that schema
 * held. Run it after appending a migration, so the version before it gets its fixture too:
 *
 *   node scripts/make-schema-fixtures.ts
 *
 * The data is written with plain SQL for that version's tables, not with today's query functions, which
 * only know the latest schema. What is written here is what the upgrade test checks survives.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { migrate, MIGRATIONS } from '../src/main/db/migrations.ts';

export const FIXTURE_DIR = path.resolve(import.meta.dirname, '../test/fixtures/workspaces');

/** The file of the fixture at a schema version. */
export const fixtureFile = (version: number): string => path.join(FIXTURE_DIR, `schema-v${version}.workspace`);

/** A recognisable 28×28 image: every pixel is `seed`. */
const pixels = (seed: number): Buffer => Buffer.alloc(784, seed);

/** Ten float32 probabilities, most on `predicted`. */
function probabilities(predicted: number): Buffer {
  const values = new Float32Array(10).fill(0.02);
  values[predicted] = 0.82;
  return Buffer.from(values.buffer);
}

/** What the app wrote after migration `version` ran: index 0 is after migration 1. */
const WRITES: ((db: Database.Database) => void)[] = [
  // 1: a dataset of three images, one relabeled.
  (db) => {
    db.prepare("INSERT INTO datasets (id, name, created_at) VALUES (1, 'Fixture', '2026-01-01T00:00:00.000Z')").run();
    const image = db.prepare('INSERT INTO images (id, dataset_id, split, label, pixels, source, content_hash) VALUES (?, 1, ?, ?, ?, ?, ?)');
    image.run(1, 'train', 3, pixels(30), 'train.idx#0', Buffer.from('hash-1'));
    image.run(2, 'test', 7, pixels(70), 'test.idx#0', Buffer.from('hash-2'));
    image.run(3, 'train', 6, pixels(60), 'train.idx#1', Buffer.from('hash-3'));
    db.prepare("INSERT INTO label_changes (image_id, old_label, new_label, changed_at, origin) VALUES (3, 0, 6, '2026-01-02T00:00:00.000Z', 'review')").run();
  },
  // 2: a finished run with its epoch, model and a prediction for every image.
  (db) => {
    db.prepare(
      `INSERT INTO runs (id, dataset_id, model, config, status, backend, created_at, heartbeat_at, finished_at, train_images, validation_images, best_epoch, seconds_per_epoch, test_accuracy, test_loss, evaluation)
       VALUES (1, 1, 'mlp', ?, 'succeeded', 'wasm', '2026-01-03T00:00:00.000Z', '2026-01-03T00:01:00.000Z', '2026-01-03T00:01:00.000Z', 2, 0, 1, 1.5, 1, 0.2, '{"accuracy":1}')`,
    ).run(JSON.stringify({ model: 'mlp', datasetId: 1, epochs: 1, batchSize: 512, learningRate: 0.001, validationFraction: 0, seed: 42, limit: null, includeUserLabels: true, patience: 10, augment: false }));
    db.prepare('INSERT INTO run_epochs (run_id, epoch, loss, accuracy, val_loss, val_accuracy, learning_rate, seconds) VALUES (1, 1, 0.5, 0.9, NULL, NULL, 0.001, 1.5)').run();
    db.prepare("INSERT INTO model_artifacts (run_id, topology, weight_specs, weights, created_at) VALUES (1, '{}', '[]', ?, '2026-01-03T00:01:00.000Z')").run(Buffer.from([1, 2, 3, 4]));
    const prediction = db.prepare('INSERT INTO predictions (run_id, image_id, predicted, confidence, probabilities) VALUES (1, ?, ?, 0.82, ?)');
    for (const [imageId, predicted] of [[1, 3], [2, 7], [3, 0]]) prediction.run(imageId, predicted, probabilities(predicted));
  },
  // 3: a suspicious flag and the chosen active run.
  (db) => {
    db.prepare('UPDATE images SET suspicious = 1 WHERE id = 3').run();
    db.prepare("INSERT INTO settings (key, value) VALUES ('active_run_id', '1')").run();
  },
  // 4: a classified photo a person confirmed, and the run's review threshold.
  (db) => {
    db.prepare('UPDATE runs SET review_threshold = 0.75 WHERE id = 1').run();
    db.prepare(
      `INSERT INTO photos (id, batch_id, file, name, classified_at, run_id, pixels, background, predicted, confidence, probabilities, label, reviewed_at, image_id)
       VALUES (1, '00000000-0000-4000-8000-000000000001', '/photos/coat.jpg', 'coat.jpg', '2026-01-04T00:00:00.000Z', 1, ?, 'light', 4, 0.82, ?, 4, '2026-01-04T00:01:00.000Z', NULL)`,
    ).run(pixels(40), probabilities(4));
  },
  // 5: the promotion gate's decision on the run, and when its process started.
  (db) => {
    db.prepare("UPDATE runs SET promoted = 1, promotion_reason = 'the first finished run', process_started = '2026-01-03T00:00:00.000Z' WHERE id = 1").run();
  },
  // 6: runs no longer keep an evaluation column; a later relabel of image 1.
  (db) => {
    db.prepare('UPDATE images SET label = 5 WHERE id = 1').run();
    db.prepare("INSERT INTO label_changes (image_id, old_label, new_label, changed_at, origin) VALUES (1, 3, 5, '2026-01-05T00:00:00.000Z', 'review')").run();
  },
  // 7: a second decision on the stored batch's photo: a person corrected it to Pullover.
  (db) => {
    db.prepare("UPDATE photos SET label = 2, decided_by = 'corrected', reviewed_at = '2026-01-06T00:00:00.000Z' WHERE id = 1").run();
  },
  // 8: a finished label scan in which image 3 (a Shirt) is an issue, suggested T-shirt/top; image 2's label confirmed.
  (db) => {
    const results = { thresholds: [], confidentJoint: [], joint: [], noiseMatrix: [], noiseRates: new Array(10).fill(0), overlapping: [{ a: 0, b: 6, share: 0.02 }], outOfFoldAccuracy: 0.5, nearDuplicates: { leakage: 0, differentLabels: 0 }, outliers: 0 };
    db.prepare(
      `INSERT INTO label_scans (id, dataset_id, settings, status, created_at, finished_at, seconds, images, issues, last_change_id, results)
       VALUES (1, 1, '{"model":"mlp","folds":2,"epochs":1,"seed":1}', 'succeeded', '2026-01-07T00:00:00.000Z', '2026-01-07T00:01:00.000Z', 60, 2, 1, 2, ?)`,
    ).run(JSON.stringify(results));
    const scanned = db.prepare('INSERT INTO label_scan_images (scan_id, image_id, label, fold, probabilities, quality, suggested, issue_rank) VALUES (1, ?, ?, ?, ?, ?, ?, ?)');
    scanned.run(3, 6, 0, probabilities(0), 0.1, 0, 1);
    scanned.run(1, 5, 1, probabilities(5), 0.9, 5, null);
    db.prepare("INSERT INTO label_confirmations (image_id, label, confirmed_at) VALUES (2, 7, '2026-01-07T00:02:00.000Z')").run();
  },
  // 9: the batch's name; and a photo decided, which made training image 4, then undone, which removed it.
  (db) => {
    db.prepare("UPDATE batches SET name = 'winter/ · 1 photo'").run();
    db.prepare("INSERT INTO images (id, dataset_id, split, label, pixels, source, content_hash) VALUES (4, 1, 'user', 2, ?, 'upload:coat.jpg#photo1', ?)").run(pixels(40), Buffer.from('hash-4'));
    db.prepare(
      `INSERT INTO photo_decisions (photo_id, batch_id, decided_at, old_label, old_decided_by, new_label, new_decided_by, image_id, created_image, undone_at, note)
       VALUES (1, '00000000-0000-4000-8000-000000000001', '2026-01-08T00:00:00.000Z', NULL, 'model', 2, 'corrected', 4, 1, '2026-01-08T00:01:00.000Z', 'removed training image 4')`,
    ).run();
    db.prepare('DELETE FROM images WHERE id = 4').run();
  },
];

/** Builds the fixture of one schema version into `file`. */
export function buildFixture(version: number, file: string): void {
  fs.rmSync(file, { force: true });
  const db = new Database(file);
  // Small pages and no WAL: one compact file per fixture.
  db.pragma('page_size = 1024');
  db.pragma('journal_mode = DELETE');
  for (let v = 1; v <= version; v++) {
    migrate(db, v);
    WRITES[v - 1]?.(db);
  }
  db.exec('VACUUM');
  db.close();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  fs.mkdirSync(FIXTURE_DIR, { recursive: true });
  // Every version before the latest; the latest is what a new workspace gets, tested on its own.
  for (let version = 1; version < MIGRATIONS.length; version++) {
    if (version > WRITES.length) throw new Error(`Add to WRITES what the app writes after migration ${version}, then run this again.`);
    buildFixture(version, fixtureFile(version));
    console.log(`${path.relative(process.cwd(), fixtureFile(version))}: ${fs.statSync(fixtureFile(version)).size} bytes`);
  }
}
