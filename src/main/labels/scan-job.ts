/**
 * One label scan from start to stored results: load the dataset's labeled images (train and user
 * splits) with the label state they are in, train K fold models for out-of-fold probabilities, run
 * confident learning on them, find near-duplicates and outliers in the first fold model's embeddings,
 * and store it all in one transaction. Runs inside the scan process; tests call it in-process.
 *
 * The fold models are not runs: they are never stored, listed or promoted.
 */
import { AppError } from '../../shared/errors.ts';
import type { LabelScanProgress, LabelScanResults, LabelScanSettings } from '../../shared/label-scan.ts';
import type { Split } from '../../shared/types.ts';
import type { Db } from '../db/connection.ts';
import { completeScan, deleteOlderScans, lastLabelChangeId } from '../db/label-scans.ts';
import { imageCount, loadImages } from '../ml/data.ts';
import { findLabelIssues, rankIssues } from './confident-learning.ts';
import { crossValidate } from './cross-validation.ts';
import { findNearDuplicates, outlierScores } from './embedding-checks.ts';

export interface ScanJobContext {
  db: Db;
  scanId: number;
  datasetId: number;
  settings: LabelScanSettings;
  backend: string;
  keepOld: boolean;
  onProgress(progress: LabelScanProgress): void;
  signal: AbortSignal;
  replicaScript?: string;
  /** How many replicas data parallel may use (default: one per core). */
  replicas?: number;
  now?: () => Date;
}

/** Progress before the first fold starts. */
export function initialScanProgress(settings: LabelScanSettings): LabelScanProgress {
  return { phase: 'loading', fold: 0, folds: settings.folds, epoch: 0, epochs: settings.epochs, batch: 0, batches: 0, fraction: 0, etaSeconds: null };
}

/** Runs a scan and stores it; returns false when it was cancelled (nothing is stored then). */
export async function runScanJob(ctx: ScanJobContext): Promise<boolean> {
  const { db, settings } = ctx;
  const now = ctx.now ?? (() => new Date());
  const started = performance.now();
  ctx.onProgress(initialScanProgress(settings));
  // The label state the scan sees: read the labels and the newest change together.
  const { labeled, others, lastChangeId } = db.transaction(() => ({
    labeled: loadImages(db, ctx.datasetId, ['train', 'user']),
    others: loadImages(db, ctx.datasetId, ['test']),
    lastChangeId: lastLabelChangeId(db),
  }))();
  const n = imageCount(labeled);
  if (n === 0) throw new AppError('invalid-argument', 'The dataset has no labeled training images to scan. Import some first.');

  const allPixels = new Uint8Array(labeled.pixels.length + others.pixels.length);
  allPixels.set(labeled.pixels);
  allPixels.set(others.pixels, labeled.pixels.length);
  const oof = await crossValidate(labeled, allPixels, settings, ctx.datasetId, { signal: ctx.signal, replicaScript: ctx.replicaScript, replicas: ctx.replicas, onProgress: ctx.onProgress });
  if (!oof) return false;

  const progress = (phase: LabelScanProgress['phase'], fraction: number): void =>
    ctx.onProgress({ ...initialScanProgress(settings), phase, fold: settings.folds, epoch: settings.epochs, fraction });
  progress('analysing', 0.93);
  const found = findLabelIssues(labeled.labels, oof.probabilities);
  const ranked = rankIssues(found.issues, found.quality);
  const issueRank = new Int32Array(n);
  ranked.forEach((i, r) => (issueRank[i] = r + 1));
  let correct = 0;
  for (let i = 0; i < n; i++) if (found.suggested[i] === labeled.labels[i]) correct++;

  const total = n + imageCount(others);
  const imageIds = new Int32Array(total);
  imageIds.set(labeled.imageIds);
  imageIds.set(others.imageIds, n);
  const labels = new Uint8Array(total);
  labels.set(labeled.labels);
  labels.set(others.labels, n);
  const splits: Split[] = [...labeled.imageIds].map(() => 'train' as const);
  for (let i = n; i < total; i++) splits.push('test');
  const duplicates = findNearDuplicates({ imageIds, labels, splits, embeddings: oof.embeddings, size: oof.embeddingSize });
  const outliers = outlierScores(oof.embeddings, oof.embeddingSize, labels, n);

  const results: LabelScanResults = {
    thresholds: found.thresholds,
    confidentJoint: found.confidentJoint,
    joint: found.joint,
    noiseMatrix: found.noiseMatrix,
    noiseRates: found.noiseRates,
    overlapping: found.overlapping,
    outOfFoldAccuracy: correct / n,
    nearDuplicates: { leakage: duplicates.filter((d) => d.kind === 'leakage').length, differentLabels: duplicates.filter((d) => d.kind === 'different-labels').length },
    outliers: outliers ? outliers.flagged : 0,
  };
  progress('saving', 0.97);
  completeScan(
    db,
    ctx.scanId,
    {
      backend: ctx.backend,
      seconds: (performance.now() - started) / 1000,
      lastChangeId,
      results,
      imageIds,
      labels,
      judged: n,
      fold: oof.fold,
      probabilities: oof.probabilities,
      quality: found.quality,
      suggested: found.suggested,
      issueRank,
      outlierScore: outliers ? outliers.scores : null,
      embeddings: oof.embeddings,
      embeddingSize: oof.embeddingSize,
      duplicates,
    },
    now(),
  );
  if (!ctx.keepOld) deleteOlderScans(db, ctx.datasetId, ctx.scanId);
  progress('saving', 1);
  return true;
}
