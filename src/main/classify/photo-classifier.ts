/**
 * Classifying photos with the active model: each photo is converted the way Fashion-MNIST was made
 * (imaging/fashion-convert.ts), predicted, stored with what the model saw, and reported as soon as it
 * is done. Unreadable files are reported per file; the batch goes on. A person's confirmation or
 * correction turns a photo into a labeled training image (split `user`).
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { loadLayersModel } from '@tensorflow/tfjs-layers';
import { CLASS_COUNT } from '../../shared/classes.ts';
import { AppError } from '../../shared/errors.ts';
import type { ClassifiedPhoto, ClassifyBatch, ModelKind } from '../../shared/types.ts';
import type { Db } from '../db/connection.ts';
import { ensureDataset, insertImage } from '../db/datasets.ts';
import { relabelImage } from '../db/images.ts';
import { batchPhotoRows, insertPhoto, markPhotoDecided, photoWithDataset, type PhotoRow } from '../db/photos.ts';
import { getRun, reviewThresholdOf } from '../db/runs.ts';
import { mapLimit } from '../files/list-files.ts';
import { toFashionMnist } from '../imaging/fashion-convert.ts';
import { initBackend } from '../ml/backend.ts';
import { predictProbabilities } from '../ml/evaluate.ts';
import { argmax } from '../ml/metrics.ts';
import { workspaceLoadHandler } from '../ml/model-store.ts';
import { activeRunId } from '../runs/active-run.ts';

/** Photos converted at once: sharp works on its own threads, so a few in flight keep both cores busy. */
const CONCURRENCY = 4;
/** Used when a run has no stored threshold. */
export const FALLBACK_REVIEW_THRESHOLD = 0.9;

function top3(probabilities: ArrayLike<number>): { label: number; probability: number }[] {
  return Array.from({ length: CLASS_COUNT }, (_, label) => ({ label, probability: probabilities[label] }))
    .sort((a, b) => b.probability - a.probability)
    .slice(0, 3);
}

function toPhoto(row: PhotoRow, threshold: number): ClassifiedPhoto {
  const probabilities = Array.from({ length: CLASS_COUNT }, (_, c) => row.probabilities.readFloatLE(c * 4));
  return {
    photoId: row.id,
    batchId: row.batch_id,
    file: row.file,
    name: row.name,
    error: null,
    predicted: row.predicted,
    confidence: row.confidence,
    top3: top3(probabilities),
    pixels: new Uint8Array(row.pixels),
    background: row.background,
    label: row.label,
    reviewed: row.reviewed_at !== null,
    needsReview: row.reviewed_at === null && row.confidence < threshold,
  };
}

export interface ClassifyOptions {
  runId?: number;
  /** The names to show (uploads keep the name they had on the person's computer). */
  names?: readonly string[];
  onResult?(photo: ClassifiedPhoto, index: number): void;
  /** Called after each photo with how many are done. */
  onProgress?(done: number, total: number): void;
  /** Stops the batch between photos; the photos already done stay classified. */
  signal?: AbortSignal;
}

export class PhotoClassifier {
  private readonly db: Db;
  private cached: { runId: number; kind: ModelKind; model: LayersModel } | null = null;
  private backendReady: Promise<unknown> | null = null;

  constructor(db: Db) {
    this.db = db;
  }

  /** The run to classify with: the one asked for, else the active model. */
  resolveRun(runId?: number): { runId: number; kind: ModelKind; threshold: number } {
    const id = runId ?? activeRunId(this.db);
    if (id === null) throw new AppError('not-found', 'There is no trained model yet. Train one first (Train view, or fashion-sorter train).');
    const run = getRun(this.db, id);
    if (!run) throw new AppError('not-found', `There is no run ${id}.`);
    if (run.status !== 'succeeded') throw new AppError('conflict', `Run ${id} ${run.status}; it has no model to classify with.`);
    return { runId: id, kind: run.model, threshold: reviewThresholdOf(this.db, id) ?? FALLBACK_REVIEW_THRESHOLD };
  }

  private async model(runId: number, kind: ModelKind): Promise<LayersModel> {
    if (this.cached?.runId === runId) return this.cached.model;
    this.backendReady ??= initBackend();
    await this.backendReady;
    const model = await loadLayersModel(workspaceLoadHandler(this.db, runId));
    this.cached?.model.dispose();
    this.cached = { runId, kind, model };
    return model;
  }

  /** Starts a batch: what `classify` will do, before it does it. */
  plan(files: readonly string[], runId?: number): ClassifyBatch {
    const run = this.resolveRun(runId);
    return { batchId: randomUUID(), runId: run.runId, total: files.length, reviewThreshold: run.threshold };
  }

  /** Classifies every file, reporting each as soon as it is done. */
  async classify(batch: ClassifyBatch, files: readonly string[], options: ClassifyOptions = {}): Promise<ClassifiedPhoto[]> {
    const { kind } = this.resolveRun(batch.runId);
    const model = await this.model(batch.runId, kind);
    let done = 0;
    return mapLimit(files, CONCURRENCY, async (file, index) => {
      if (options.signal?.aborted) throw new AppError('cancelled', `Classifying was cancelled after ${done} of ${files.length} photos.`);
      const name = options.names?.[index] ?? path.basename(file);
      let photo: ClassifiedPhoto;
      try {
        const converted = await toFashionMnist(file);
        const probabilities = await predictProbabilities(model, converted.pixels, kind, 1);
        const { label, confidence } = argmax(probabilities, 0);
        const row = insertPhoto(
          this.db,
          { batchId: batch.batchId, file, name, runId: batch.runId, pixels: converted.pixels, background: converted.background, predicted: label, confidence, probabilities },
          new Date(),
        );
        photo = toPhoto(row, batch.reviewThreshold);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const reason = code === 'ENOENT' ? 'the file is no longer there' : code === 'EISDIR' ? 'this is a folder' : (error as Error).message;
        photo = { photoId: null, batchId: batch.batchId, file, name, error: reason, predicted: null, confidence: null, top3: [], pixels: null, background: null, label: null, reviewed: false, needsReview: false };
      }
      options.onResult?.(photo, index);
      options.onProgress?.(++done, files.length);
      return photo;
    });
  }

  /** Every photo of a batch, in the order classified. */
  batchPhotos(batchId: string): ClassifiedPhoto[] {
    const rows = batchPhotoRows(this.db, batchId);
    const threshold = rows[0]?.run_id ? this.resolveRun(rows[0].run_id).threshold : FALLBACK_REVIEW_THRESHOLD;
    return rows.map((row) => toPhoto(row, threshold));
  }

  /**
   * A person confirms (label = the prediction) or corrects a photo. The photo becomes a labeled image of
   * the run's dataset (split `user`), so the next training run can learn from it; deciding again changes
   * that image's label.
   */
  decide(photoId: number, label: number, now: Date): ClassifiedPhoto {
    return this.db.transaction(() => {
      const row = photoWithDataset(this.db, photoId);
      if (!row) throw new AppError('not-found', `There is no photo ${photoId}.`);
      let imageId = row.image_id;
      if (imageId === null) {
        const datasetId = row.dataset_id ?? ensureDataset(this.db, 'Photos', now);
        // An identical photo decided the same way before is already that training image: link to it.
        imageId = insertImage(this.db, datasetId, { split: 'user', label, pixels: new Uint8Array(row.pixels), source: `${row.file}#photo${photoId}` });
      } else {
        // Deciding again changes the training image's label like any relabel, so its history shows it.
        relabelImage(this.db, imageId, label, 'classify', now);
      }
      return toPhoto(markPhotoDecided(this.db, photoId, label, imageId, now), 0);
    })();
  }

  dispose(): void {
    this.cached?.model.dispose();
    this.cached = null;
  }
}
