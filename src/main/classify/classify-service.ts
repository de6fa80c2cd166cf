/**
 * Classifying photos with the active model: each photo is converted the way Fashion-MNIST was made
 * (imaging/fashion-convert.ts), predicted, stored with what the model saw, and reported as soon as it
 * is done. Unreadable files are reported per file; the batch goes on. A person's confirmation or
 * correction turns a photo into a labeled training image (split `user`).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { loadLayersModel } from '@tensorflow/tfjs-layers';
import { CLASS_COUNT } from '../../shared/classes.ts';
import { AppError } from '../../shared/errors.ts';
import type { ClassifiedPhoto, ClassifyBatch, ModelKind } from '../../shared/types.ts';
import type { Db } from '../db/connection.ts';
import { ensureDataset, insertImage } from '../db/datasets.ts';
import { getRun } from '../db/runs.ts';
import { mapLimit } from '../dataset/class-folders.ts';
import { toFashionMnist } from '../imaging/fashion-convert.ts';
import { initBackend } from '../ml/backend.ts';
import { argmax, predictProbabilities } from '../ml/evaluate.ts';
import { workspaceLoadHandler } from '../ml/model-store.ts';
import { activeRunId } from '../runs/active-run.ts';

/** File name endings taken from a dropped folder; other files in it are passed over. */
const PHOTO_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.gif', '.bmp', '.tif', '.tiff', '.heic', '.heif', '.avif']);
/** Photos converted at once: sharp works on its own threads, so a few in flight keep both cores busy. */
const CONCURRENCY = 4;
/** Used when a run has no stored threshold. */
export const FALLBACK_REVIEW_THRESHOLD = 0.9;

interface PhotoRow {
  id: number;
  batch_id: string;
  file: string;
  name: string;
  pixels: Buffer;
  background: 'light' | 'dark';
  predicted: number;
  confidence: number;
  probabilities: Buffer;
  label: number | null;
  reviewed_at: string | null;
}

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

/** Expands folders into the photos inside them (recursively); files given by name are all kept. */
export async function expandPhotoPaths(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const given of paths) {
    const stat = await fs.stat(given).catch(() => null);
    if (stat?.isDirectory()) {
      const entries = await fs.readdir(given, { withFileTypes: true, recursive: true });
      files.push(
        ...entries
          .filter((e) => e.isFile() && !e.name.startsWith('.') && PHOTO_EXTENSIONS.has(path.extname(e.name).toLowerCase()))
          .map((e) => path.join(e.parentPath, e.name))
          .sort(),
      );
    } else {
      files.push(given);
    }
  }
  return files;
}

export interface ClassifyOptions {
  runId?: number;
  onResult?(photo: ClassifiedPhoto, index: number): void;
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
    const { review_threshold: threshold } = this.db.prepare('SELECT review_threshold FROM runs WHERE id = ?').get(id) as { review_threshold: number | null };
    return { runId: id, kind: run.model, threshold: threshold ?? FALLBACK_REVIEW_THRESHOLD };
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

  /**
   * Classifies every file, reporting each as soon as it is done; `names` gives the names to show
   * (uploads keep the name they had on the person's computer).
   */
  async classify(batch: ClassifyBatch, files: readonly string[], options: ClassifyOptions & { names?: readonly string[] } = {}): Promise<ClassifiedPhoto[]> {
    const { kind } = this.resolveRun(batch.runId);
    const model = await this.model(batch.runId, kind);
    const insert = this.db.prepare(
      'INSERT INTO photos (batch_id, file, name, classified_at, run_id, pixels, background, predicted, confidence, probabilities) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *',
    );
    return mapLimit(files, CONCURRENCY, async (file, index) => {
      const name = options.names?.[index] ?? path.basename(file);
      let photo: ClassifiedPhoto;
      try {
        const converted = await toFashionMnist(file);
        const probabilities = await predictProbabilities(model, converted.pixels, kind, 1);
        const { label, confidence } = argmax(probabilities, 0);
        const row = insert.get(batch.batchId, file, name, new Date().toISOString(), batch.runId, converted.pixels, converted.background, label, confidence, Buffer.from(probabilities.buffer)) as PhotoRow;
        photo = toPhoto(row, batch.reviewThreshold);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const reason = code === 'ENOENT' ? 'the file is no longer there' : code === 'EISDIR' ? 'this is a folder' : (error as Error).message;
        photo = { photoId: null, batchId: batch.batchId, file, name, error: reason, predicted: null, confidence: null, top3: [], pixels: null, background: null, label: null, reviewed: false, needsReview: false };
      }
      options.onResult?.(photo, index);
      return photo;
    });
  }

  /** Every photo of a batch, in the order classified. */
  batchPhotos(batchId: string): ClassifiedPhoto[] {
    const rows = this.db.prepare('SELECT * FROM photos WHERE batch_id = ? ORDER BY id').all(batchId) as (PhotoRow & { run_id: number | null })[];
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
      const row = this.db.prepare('SELECT p.*, r.dataset_id FROM photos p LEFT JOIN runs r ON r.id = p.run_id WHERE p.id = ?').get(photoId) as
        | (PhotoRow & { image_id: number | null; dataset_id: number | null })
        | undefined;
      if (!row) throw new AppError('not-found', `There is no photo ${photoId}.`);
      let imageId = row.image_id;
      if (imageId === null) {
        const datasetId = row.dataset_id ?? ensureDataset(this.db, 'Photos', now);
        // An identical photo decided the same way before is already that training image: link to it.
        imageId = insertImage(this.db, datasetId, { split: 'user', label, pixels: new Uint8Array(row.pixels), source: `${row.file}#photo${photoId}` });
      } else {
        this.db.prepare('UPDATE images SET label = ? WHERE id = ?').run(label, imageId);
      }
      this.db.prepare('UPDATE photos SET label = ?, reviewed_at = ?, image_id = ? WHERE id = ?').run(label, now.toISOString(), imageId, photoId);
      const updated = this.db.prepare('SELECT * FROM photos WHERE id = ?').get(photoId) as PhotoRow;
      return toPhoto(updated, 0);
    })();
  }

  dispose(): void {
    this.cached?.model.dispose();
    this.cached = null;
  }
}
