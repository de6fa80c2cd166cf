/**
 * One training job from start to stored results: load the workspace's images, train, evaluate on the
 * test and train splits, then store the model, every prediction and the run's results in a single
 * transaction. Runs inside the training process; tests call it in-process.
 */
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { AppError } from '../../shared/errors.ts';
import type { EpochMetrics, RunSummary, Split, TrainConfig, TrainProgress } from '../../shared/types.ts';
import type { Db } from '../db/connection.ts';
import { endRun, getRun, markRunStarted, recordEpoch } from '../db/runs.ts';
import { processStartTime } from '../runs/process-identity.ts';
import { saveRunResults, type SaveReport } from '../runs/save-run.ts';
import { datasetSummaries } from '../db/datasets.ts';
import { batchesPerEpoch, imageCount, loadImages, subset, splitForTraining, type LabeledImages } from './data.ts';
import { EtaEstimator } from './eta.ts';
import { suspectImageIds } from '../db/label-review.ts';
import { predictProbabilities } from './evaluate.ts';
import { argmax, evaluationOf, topClasses } from './metrics.ts';
import { storedModelOf } from './model-store.ts';
import { buildModel } from './models.ts';
import { reviewCalibration } from './review-calibration.ts';
import { runSeeds, seededRandom } from './random.ts';
import { trainModel } from './train.ts';
import { initialProgress, PHASE_SPAN } from './train-progress.ts';

export interface TrainJobContext {
  db: Db;
  runId: number;
  config: TrainConfig;
  backend: string;
  onProgress(progress: TrainProgress): void;
  onEpoch(metrics: EpochMetrics): void;
  signal: AbortSignal;
  now?: () => Date;
  /** The replicas' worker script, for data-parallel training on wasm. */
  replicaScript?: string;
  /** Told how the final save went: the gate's decision and the longest hold of the write lock. */
  onSaved?(report: SaveReport): void;
  /** How many replicas data parallel uses (default: one per core). */
  replicas?: number;
}

/** Photos the model classifies at or above the review threshold should be right this often. */
export const AUTO_ACCEPT_ACCURACY = 0.97;

/**
 * The review threshold, chosen on validation data: the lowest confidence at which the predictions at
 * or above it are still right `AUTO_ACCEPT_ACCURACY` of the time. Photos below it go to review.
 */
export function reviewThreshold(labels: Uint8Array, probabilities: Float32Array): number {
  const scored = Array.from(labels, (label, i) => {
    const { label: predicted, confidence } = argmax(probabilities, i);
    return { confidence, right: predicted === label };
  }).sort((a, b) => b.confidence - a.confidence);
  let right = 0;
  let threshold = 1;
  scored.forEach((s, k) => {
    if (s.right) right++;
    if (right / (k + 1) >= AUTO_ACCEPT_ACCURACY) threshold = s.confidence;
  });
  return threshold;
}

function concat(a: LabeledImages, b: LabeledImages): LabeledImages {
  const join = <T extends Int32Array | Uint8Array>(x: T, y: T, make: (n: number) => T): T => {
    const out = make(x.length + y.length);
    out.set(x);
    out.set(y, x.length);
    return out;
  };
  return {
    imageIds: join(a.imageIds, b.imageIds, (n) => new Int32Array(n)),
    labels: join(a.labels, b.labels, (n) => new Uint8Array(n)),
    pixels: join(a.pixels, b.pixels, (n) => new Uint8Array(n)),
  };
}

/** Trains, evaluates and stores one run. Returns the finished run, or null when it was cancelled. */
export async function runTrainingJob(ctx: TrainJobContext): Promise<RunSummary | null> {
  const { db, runId, config } = ctx;
  const now = ctx.now ?? (() => new Date());
  const progress = (phase: TrainProgress['phase'], within: number, fields: Partial<TrainProgress> = {}): void => {
    const [from, to] = PHASE_SPAN[phase];
    ctx.onProgress({ ...initialProgress(config.epochs), phase, ...fields, fraction: from + (to - from) * Math.min(1, Math.max(0, within)) });
  };

  progress('loading', 0);
  // The run's one random source: the split, each epoch's order, augmentation and dropout follow it.
  const seeds = runSeeds(config.seed);
  const random = seededRandom(seeds.data);
  const trainSplits: Split[] = config.includeUserLabels ? ['train', 'user'] : ['train'];
  const available = loadImages(db, config.datasetId, trainSplits);
  if (imageCount(available) === 0) throw new AppError('invalid-argument', 'The dataset has no training images. Import some first.');
  // Images under suspicion sit out when asked; every image still gets a prediction afterwards.
  const suspects = config.excludeSuspects ? suspectImageIds(db, config.datasetId) : null;
  const trainable = suspects?.size ? subset(available, Int32Array.from(available.imageIds, (id, i) => (suspects.has(id) ? -1 : i)).filter((i) => i >= 0)) : available;
  const data = splitForTraining(trainable, { validationFraction: config.validationFraction, limit: config.limit, random });
  markRunStarted(db, runId, { pid: process.pid, processStarted: processStartTime(process.pid), backend: ctx.backend, trainImages: imageCount(data.train), validationImages: imageCount(data.validation) }, now());

  const model: LayersModel = buildModel(config.model, seeds.weights);
  try {
    const batches = batchesPerEpoch(imageCount(data.train), config.batchSize);
    const testImages = datasetSummaries(db, config.datasetId)[0]?.bySplit.test ?? 0;
    const validationImages = imageCount(data.validation);
    const eta = new EtaEstimator({
      epochs: config.epochs,
      batchesPerEpoch: batches,
      batchSize: config.batchSize,
      validationImages,
      evaluationImages: testImages + imageCount(available) + validationImages,
    });
    const seconds = (): number => performance.now() / 1000;
    const outcome = await trainModel(model, data, config, random, {
      signal: ctx.signal,
      replicaScript: ctx.replicaScript,
      replicas: ctx.replicas,
      onBatch: (b) => {
        const done = b.epoch + b.batch / b.batches;
        eta.recordBatch(b.epoch, b.batch, seconds());
        progress('training', done / config.epochs, {
          epoch: b.epoch + 1,
          batch: b.batch,
          batches: b.batches,
          loss: b.loss,
          accuracy: b.accuracy,
          imagesPerSecond: b.imagesPerSecond,
          etaSeconds: eta.remainingSeconds(seconds()),
        });
      },
      onEpoch: (metrics) => {
        recordEpoch(db, runId, metrics, now());
        ctx.onEpoch(metrics);
      },
    });
    if (outcome.cancelled) {
      endRun(db, runId, 'cancelled', null, now());
      return null;
    }

    // Predictions for every test and train image (the whole train split, not just what was trained on).
    eta.startEvaluation(seconds());
    progress('evaluating', 0, { etaSeconds: eta.remainingSeconds(seconds()) });
    const test = loadImages(db, config.datasetId, ['test']);
    const all = concat(test, available);
    const probabilities = await predictProbabilities(model, all.pixels, config.model);
    const testCount = imageCount(test);
    const testEvaluation = evaluationOf(runId, 'test', test.labels, probabilities.subarray(0, testCount * 10));
    progress('saving', 0);

    const secondsPerEpoch = outcome.epochs.reduce((sum, e) => sum + e.seconds, 0) / Math.max(1, outcome.epochs.length);
    // What classification needs to decide what goes to review (review: per-class gate, unusual photos).
    const calibration = await reviewCalibration(model, config.model, data.train, data.validation);
    const threshold = calibration ? reviewThreshold(data.validation.labels, calibration.probabilities) : null;
    const saved = await saveRunResults(
      db,
      runId,
      {
        model: await storedModelOf(model),
        predictions: { imageIds: all.imageIds, ...topClasses(probabilities), probabilities },
        results: { bestEpoch: outcome.bestEpoch, secondsPerEpoch, testAccuracy: testEvaluation.accuracy, testLoss: testEvaluation.loss },
        reviewThreshold: threshold,
        reviewCalibration: calibration,
      },
      now,
      // The last step of the bar is kept for the commit itself.
      { onChunk: (done, total) => progress('saving', (0.95 * done) / total) },
    );
    ctx.onSaved?.(saved);
    progress('saving', 1);
    return getRun(db, runId);
  } finally {
    model.dispose();
  }
}
