import type { EpochMetrics, Evaluation, ModelKind, RunStatus, RunSummary, TrainConfig } from '../../shared/types.ts';
import type { Db } from './connection.ts';

interface RunRow {
  id: number;
  dataset_id: number;
  model: ModelKind;
  config: string;
  status: RunStatus;
  backend: string | null;
  error: string | null;
  created_at: string;
  finished_at: string | null;
  train_images: number | null;
  validation_images: number | null;
  best_epoch: number | null;
  seconds_per_epoch: number | null;
  test_accuracy: number | null;
  test_loss: number | null;
  promoted: number | null;
  promotion_reason: string | null;
  epochs_completed: number;
}

const SELECT_RUN = `SELECT r.*, (SELECT COUNT(*) FROM run_epochs e WHERE e.run_id = r.id) AS epochs_completed FROM runs r`;

function toSummary(row: RunRow): RunSummary {
  return {
    runId: row.id,
    datasetId: row.dataset_id,
    model: row.model,
    status: row.status,
    backend: row.backend,
    error: row.error,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    config: JSON.parse(row.config) as TrainConfig,
    epochsCompleted: row.epochs_completed,
    bestEpoch: row.best_epoch,
    trainImages: row.train_images,
    validationImages: row.validation_images,
    secondsPerEpoch: row.seconds_per_epoch,
    testAccuracy: row.test_accuracy,
    testLoss: row.test_loss,
    promoted: row.promoted === null ? null : row.promoted === 1,
    promotionReason: row.promotion_reason,
  };
}

/** Which process is training a run: its id and, where the system tells, when it started. */
export interface RunProcess {
  pid: number;
  startedAt: string | null;
}

/**
 * Records a run as started. `owner` is the process that launches the training process: until that
 * process is known, the run lives and dies with its launcher.
 */
export function createRun(db: Db, config: TrainConfig, now: Date, owner?: RunProcess): number {
  const at = now.toISOString();
  return Number(
    db
      .prepare("INSERT INTO runs (dataset_id, model, config, status, created_at, heartbeat_at, pid, process_started) VALUES (?, ?, ?, 'running', ?, ?, ?, ?)")
      .run(config.datasetId, config.model, JSON.stringify(config), at, at, owner?.pid ?? null, owner?.startedAt ?? null).lastInsertRowid,
  );
}

/** Records the training process of a run as soon as it is launched, before it loads anything. */
export function recordRunProcess(db: Db, runId: number, process: RunProcess): void {
  db.prepare("UPDATE runs SET pid = ?, process_started = ? WHERE id = ? AND status = 'running'").run(process.pid, process.startedAt, runId);
}

/** The training process says who it is and which backend it runs on. */
export function markRunStarted(
  db: Db,
  runId: number,
  fields: { pid: number; processStarted?: string | null; backend: string; trainImages: number; validationImages: number },
  now: Date,
): void {
  db.prepare('UPDATE runs SET pid = ?, process_started = ?, backend = ?, train_images = ?, validation_images = ?, heartbeat_at = ? WHERE id = ?').run(
    fields.pid,
    fields.processStarted ?? null,
    fields.backend,
    fields.trainImages,
    fields.validationImages,
    now.toISOString(),
    runId,
  );
}

/** Stores one finished epoch and proves the run is alive. */
export function recordEpoch(db: Db, runId: number, metrics: EpochMetrics, now: Date): void {
  db.transaction(() => {
    db.prepare(
      'INSERT OR REPLACE INTO run_epochs (run_id, epoch, loss, accuracy, val_loss, val_accuracy, learning_rate, seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(runId, metrics.epoch, metrics.loss, metrics.accuracy, metrics.valLoss, metrics.valAccuracy, metrics.learningRate, metrics.seconds);
    db.prepare('UPDATE runs SET heartbeat_at = ? WHERE id = ?').run(now.toISOString(), runId);
  })();
}

/**
 * Sets the final state of a run that did not succeed, and removes whatever part of its results was
 * already written (predictions are saved in chunks before the run is marked succeeded), so a run that
 * did not succeed never has a model or predictions. Only a run still marked running is changed.
 */
export function endRun(db: Db, runId: number, status: 'failed' | 'cancelled', error: string | null, now: Date): boolean {
  return db.transaction(() => {
    const changed = db.prepare("UPDATE runs SET status = ?, error = ?, finished_at = ? WHERE id = ? AND status = 'running'").run(status, error, now.toISOString(), runId).changes > 0;
    if (changed) {
      db.prepare('DELETE FROM predictions WHERE run_id = ?').run(runId);
      db.prepare('DELETE FROM model_artifacts WHERE run_id = ?').run(runId);
    }
    return changed;
  })();
}

/** True while a run is still marked running (nobody has ended it meanwhile). */
export function isRunRunning(db: Db, runId: number): boolean {
  return (db.prepare('SELECT status FROM runs WHERE id = ?').get(runId) as { status: RunStatus } | undefined)?.status === 'running';
}

export interface RunResults {
  bestEpoch: number | null;
  secondsPerEpoch: number;
  testAccuracy: number;
  testLoss: number;
}

/** Marks a run succeeded with its results; call in the same transaction as the model and predictions. */
export function completeRun(db: Db, runId: number, results: RunResults, now: Date): void {
  db.prepare(
    "UPDATE runs SET status = 'succeeded', error = NULL, finished_at = ?, best_epoch = ?, seconds_per_epoch = ?, test_accuracy = ?, test_loss = ? WHERE id = ?",
  ).run(now.toISOString(), results.bestEpoch, results.secondsPerEpoch, results.testAccuracy, results.testLoss, runId);
}

/** Stores the promotion gate's decision on a run; call in the transaction that completes it. */
export function recordPromotion(db: Db, runId: number, promoted: boolean, reason: string): void {
  db.prepare('UPDATE runs SET promoted = ?, promotion_reason = ? WHERE id = ?').run(promoted ? 1 : 0, reason, runId);
}

export function listRuns(db: Db): RunSummary[] {
  return (db.prepare(`${SELECT_RUN} ORDER BY r.id DESC`).all() as RunRow[]).map(toSummary);
}

export function getRun(db: Db, runId: number): RunSummary | null {
  const row = db.prepare(`${SELECT_RUN} WHERE r.id = ?`).get(runId) as RunRow | undefined;
  return row ? toSummary(row) : null;
}

export function runEpochs(db: Db, runId: number): EpochMetrics[] {
  const rows = db.prepare('SELECT * FROM run_epochs WHERE run_id = ? ORDER BY epoch').all(runId) as {
    epoch: number;
    loss: number;
    accuracy: number;
    val_loss: number | null;
    val_accuracy: number | null;
    learning_rate: number;
    seconds: number;
  }[];
  return rows.map((r) => ({ epoch: r.epoch, loss: r.loss, accuracy: r.accuracy, valLoss: r.val_loss, valAccuracy: r.val_accuracy, learningRate: r.learning_rate, seconds: r.seconds }));
}

/** How long a training process may stay silent before its run counts as interrupted. */
export const HEARTBEAT_TIMEOUT_MS = 10 * 60 * 1000;

/**
 * Marks as failed the runs left "running" by a process that no longer exists: the app or the computer
 * stopped mid-training. A run whose process is alive and recently heard from is left alone, since the
 * desktop app and the CLI may share a workspace.
 */
export function failInterruptedRuns(db: Db, isAlive: (pid: number, startedAt: string | null) => boolean, now: Date): number {
  const rows = db.prepare("SELECT id, pid, process_started, heartbeat_at FROM runs WHERE status = 'running'").all() as {
    id: number;
    pid: number | null;
    process_started: string | null;
    heartbeat_at: string;
  }[];
  let failed = 0;
  for (const row of rows) {
    const silentFor = now.getTime() - Date.parse(row.heartbeat_at);
    // Runs of older versions may have no pid yet; they get a minute to show up.
    const alive = row.pid !== null ? isAlive(row.pid, row.process_started) : silentFor < 60_000;
    if (!alive || silentFor > HEARTBEAT_TIMEOUT_MS) {
      if (endRun(db, row.id, 'failed', 'Training was interrupted: the process running it stopped.', now)) failed++;
    }
  }
  return failed;
}

/** The newest run that succeeded, or null when no run has. */
export function newestSucceededRunId(db: Db): number | null {
  const row = db.prepare("SELECT id FROM runs WHERE status = 'succeeded' ORDER BY id DESC LIMIT 1").get() as { id: number } | undefined;
  return row?.id ?? null;
}

/** The TensorFlow.js backend the newest run that started trained on, or null before the first. */
export function latestBackend(db: Db): string | null {
  const row = db.prepare('SELECT backend FROM runs WHERE backend IS NOT NULL ORDER BY id DESC LIMIT 1').get() as { backend: string } | undefined;
  return row?.backend ?? null;
}

/** A run's review threshold (chosen on validation data when it finished), or null when it has none. */
export function reviewThresholdOf(db: Db, runId: number): number | null {
  const row = db.prepare('SELECT review_threshold FROM runs WHERE id = ?').get(runId) as { review_threshold: number | null } | undefined;
  return row?.review_threshold ?? null;
}

/** Stores the finished run's test evaluation and review threshold; call in the transaction that completes it. */
export function recordRunEvaluation(db: Db, runId: number, evaluation: Evaluation, reviewThreshold: number | null): void {
  db.prepare('UPDATE runs SET evaluation = ?, review_threshold = ? WHERE id = ?').run(JSON.stringify(evaluation), reviewThreshold, runId);
}
