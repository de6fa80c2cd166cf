/**
 * Classifying photos with the active model: each photo is converted the way Fashion-MNIST was made
 * (imaging/fashion-convert.ts), predicted, scored for how unlike the training images it is, stored in
 * its batch with the reason it needs review (if any), and reported as soon as it is done. Unreadable
 * files are stored per file with their reason; the batch goes on. Decisions are in decisions.ts.
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { loadLayersModel } from '@tensorflow/tfjs-layers';
import { AppError } from '../../shared/errors.ts';
import type { ClassifiedPhoto, ClassifyBatch, ModelKind, ReviewGate } from '../../shared/types.ts';
import { isReadOnlyWorkspace, workspaceFileOf, type Db } from '../db/connection.ts';
import { readOnlyWorkspaceError, workspaceError } from '../db/workspace-errors.ts';
import { batchRecord, finishBatchRow, insertBatch, insertFailure } from '../db/batches.ts';
import { insertPhoto, latestHumanDecision, markAudit } from '../db/photos.ts';
import { getRun } from '../db/runs.ts';
import { mapLimit } from '../files/list-files.ts';
import { toFashionMnist } from '../imaging/fashion-convert.ts';
import { initBackend } from '../ml/backend.ts';
import { argmax } from '../ml/metrics.ts';
import { featureDistances, isFeatureless, type FeatureDistanceModel } from '../ml/feature-distance.ts';
import { predictWithFeatures, scorerInput, withFeatures } from '../ml/features.ts';
import { workspaceLoadHandler } from '../ml/model-store.ts';
import { activeRunId } from '../runs/active-run.ts';
import { photoFromFailure, photoFromRow } from './photo-view.ts';
import { auditSample, auditSize, gateReason } from './review-gate.ts';
import { gateForRun, unusualScorer } from './run-gate.ts';

export { FALLBACK_REVIEW_THRESHOLD } from './run-gate.ts';

/** Photos converted at once: sharp works on its own threads, so a few in flight keep both cores busy. */
const CONCURRENCY = 4;

/** SHA-256 of a file's bytes: how a photo seen before is recognised, whatever its name. */
export async function fileSha256(file: string): Promise<string> {
  return createHash('sha256').update(await fs.readFile(file)).digest('hex');
}

export interface ClassifyOptions {
  /** Names to show (uploads keep the name they had on the person's computer). */
  names?: readonly string[];
  onResult?(photo: ClassifiedPhoto, index: number): void;
  /** Photos chosen for the audit once the batch is done, announced again with their new state. */
  onAudit?(photos: ClassifiedPhoto[]): void;
  /** Called after each photo with how many are done. */
  onProgress?(done: number, total: number): void;
  /** Stops between photos; the batch is kept with what was classified, marked cancelled. */
  signal?: AbortSignal;
  /** Random numbers for the audit sample (tests pass a seeded one). */
  random?: () => number;
}

interface LoadedModel {
  runId: number;
  kind: ModelKind;
  model: LayersModel;
  twoOutputs: LayersModel;
  scorer: { model: FeatureDistanceModel; threshold: number } | null;
}

export class PhotoClassifier {
  private readonly db: Db;
  private cached: LoadedModel | null = null;
  private backendReady: Promise<unknown> | null = null;

  constructor(db: Db) {
    this.db = db;
  }

  /** The run to classify with: the one asked for, else the active model. */
  resolveRun(runId?: number): { runId: number; kind: ModelKind } {
    const id = runId ?? activeRunId(this.db);
    if (id === null) throw new AppError('not-found', 'There is no trained model yet. Train one first (Train view, or fashion-sorter train).');
    const run = getRun(this.db, id);
    if (!run) throw new AppError('not-found', `There is no run ${id}.`);
    if (run.status !== 'succeeded') throw new AppError('conflict', `Run ${id} ${run.status}; it has no model to classify with.`);
    return { runId: id, kind: run.model };
  }

  private async model(runId: number, kind: ModelKind): Promise<LoadedModel> {
    if (this.cached?.runId === runId) return this.cached;
    this.backendReady ??= initBackend();
    await this.backendReady;
    const model = await loadLayersModel(workspaceLoadHandler(this.db, runId));
    this.cached?.model.dispose();
    this.cached = { runId, kind, model, twoOutputs: withFeatures(model), scorer: unusualScorer(this.db, runId) };
    return this.cached;
  }

  /**
   * Classifying stores every photo, so a read-only workspace is refused up front, naming the file;
   * otherwise each photo would be listed as failed with SQLite's "attempt to write a readonly database".
   */
  private refuseReadOnly(): void {
    if (isReadOnlyWorkspace(this.db)) throw readOnlyWorkspaceError(workspaceFileOf(this.db));
  }

  /** Waits for the photos; a workspace failure among them marks the stored batch failed (where it still can) before it is thrown. */
  private async markFailedOnError<T>(batchId: string, work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (error) {
      try {
        finishBatchRow(this.db, batchId, 'failed', (error as Error).message);
      } catch {
        // The workspace itself failed; the error thrown below says so.
      }
      throw error;
    }
  }

  /** Starts a batch: stores it with the gate it will use, before any photo is classified. */
  plan(files: readonly string[], runId?: number, options: { uploadDir?: string; now?: Date; name?: string } = {}): ClassifyBatch {
    this.refuseReadOnly();
    const run = this.resolveRun(runId);
    const gate = gateForRun(this.db, run.runId);
    const batch: ClassifyBatch = { batchId: randomUUID(), runId: run.runId, total: files.length, gate };
    insertBatch(this.db, { batchId: batch.batchId, runId: run.runId, total: files.length, gate, uploadDir: options.uploadDir ?? null, name: options.name ?? null }, options.now ?? new Date());
    return batch;
  }

  /**
   * Classifies every file, storing and reporting each as soon as it is done. A photo whose bytes a
   * person decided before shows that decision. When all are done, an audit sample of the photos that
   * passed the gate goes to review too. A model that cannot be loaded fails the batch (stored as failed).
   */
  async classify(batch: ClassifyBatch, files: readonly string[], options: ClassifyOptions = {}): Promise<ClassifiedPhoto[]> {
    this.refuseReadOnly();
    let loaded: LoadedModel;
    try {
      const { kind } = this.resolveRun(batch.runId);
      loaded = await this.model(batch.runId, kind);
    } catch (error) {
      finishBatchRow(this.db, batch.batchId, 'failed', `The model could not be loaded: ${(error as Error).message}`);
      throw error;
    }
    const gate: ReviewGate = batchRecord(this.db, batch.batchId)?.gate ?? batch.gate;
    let cancelled = false;
    let finished = 0;
    const photos = await this.markFailedOnError(batch.batchId, mapLimit(files, CONCURRENCY, async (file, index) => {
      const name = options.names?.[index] ?? path.basename(file);
      if (options.signal?.aborted) {
        cancelled = true;
        return null;
      }
      let photo: ClassifiedPhoto;
      try {
        const [converted, sha256] = await Promise.all([toFashionMnist(file), fileSha256(file)]);
        const { probabilities, features, dim } = await predictWithFeatures(loaded.twoOutputs, converted.pixels, loaded.kind, 1);
        const { label: predicted, confidence } = argmax(probabilities, 0);
        const distance = loaded.scorer ? featureDistances(loaded.scorer.model, scorerInput(features, dim, converted.pixels).embeddings)[0] : null;
        // Far from every class in the model's features, or a blank or noise photo with nothing to classify.
        const unusual = (loaded.scorer !== null && distance !== null && distance > loaded.scorer.threshold) || isFeatureless(converted.pixels);
        const reason = unusual ? 'unusual' : gateReason(gate, predicted, confidence);
        const before = latestHumanDecision(this.db, sha256);
        const row = insertPhoto(this.db, {
          batch_id: batch.batchId,
          position: index,
          file,
          name,
          classified_at: new Date().toISOString(),
          run_id: batch.runId,
          pixels: Buffer.from(converted.pixels),
          background: converted.background,
          predicted,
          confidence,
          probabilities: Buffer.from(probabilities.buffer),
          label: before?.label ?? null,
          decided_by: before ? (before.label === predicted ? 'accepted' : 'corrected') : 'model',
          reviewed_at: before ? new Date().toISOString() : null,
          image_id: before?.imageId ?? null,
          review_reason: reason,
          unusual: unusual ? 1 : 0,
          feature_distance: distance,
          seen_before: before ? 1 : 0,
          sha256,
        });
        photo = photoFromRow(row);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // A failure of the workspace (locked, full, read-only) is not this photo's; it ends the batch, naming the file.
        if (typeof code === 'string' && code.startsWith('SQLITE_')) throw workspaceError(error, workspaceFileOf(this.db));
        const reason = code === 'ENOENT' ? 'the file is no longer there' : code === 'EISDIR' ? 'this is a folder' : (error as Error).message;
        const failure = { batch_id: batch.batchId, position: index, file, name, error: reason };
        insertFailure(this.db, failure);
        photo = photoFromFailure(failure);
      }
      options.onResult?.(photo, index);
      options.onProgress?.(++finished, files.length);
      return photo;
    }));
    const done = photos.filter((p): p is ClassifiedPhoto => p !== null);
    // The audit: a random sample of the photos nobody would otherwise look at.
    const passed = done.filter((p) => p.photoId !== null && p.reviewReason === null && !p.reviewed);
    const chosen = auditSample(passed, auditSize(passed.length, gate.auditShare), options.random);
    if (chosen.length > 0) {
      markAudit(this.db, chosen.map((p) => p.photoId!));
      for (const p of chosen) Object.assign(p, { audit: true, reviewReason: 'audit', needsReview: true });
      options.onAudit?.(chosen);
    }
    finishBatchRow(this.db, batch.batchId, cancelled ? 'cancelled' : 'done', null);
    // The job ends as cancelled; what was classified stays in the stored batch.
    if (cancelled) throw new AppError('cancelled', `Classifying was cancelled after ${done.length} of ${files.length} photos; they stay in the batch.`);
    return done;
  }

  dispose(): void {
    this.cached?.model.dispose();
    this.cached = null;
  }
}
