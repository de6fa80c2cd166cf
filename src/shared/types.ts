/**
 * Plain data types that cross the boundary between the UI and the back end. Request shapes are derived
 * from their zod schemas (schemas.ts), so they are declared once.
 */
import type { z } from 'zod';
import type { Engine } from './model-defaults.ts';
import type { galleryQuery, gallerySort, importOptions, trainRequest } from './schemas.ts';

/** Where an image belongs: the dataset's own train or test split, or a photo a person labeled. */
export type Split = 'train' | 'test' | 'user';

/** What the workspace holds for one dataset. */
export interface DatasetSummary {
  datasetId: number;
  name: string;
  createdAt: string;
  images: number;
  bySplit: Record<Split, number>;
  /** Images per label 0–9, over every split. */
  labelCounts: number[];
}

/** One stored image with its 28×28 grayscale pixels, item light on dark. */
export interface ImageRecord {
  imageId: number;
  datasetId: number;
  split: Split;
  label: number;
  pixels: Uint8Array;
}

/** Facts about the running back end that the UI shows or adapts to. */
export interface AppInfo {
  version: string;
  /** The SQLite file that holds the workspace. */
  workspacePath: string;
  /** Where the bundled Fashion-MNIST was found, or null when it is not available. */
  bundledDatasetPath: string | null;
  /** True in the desktop app, where native file dialogs exist; false in a browser. */
  nativeDialogs: boolean;
  /** The transport the renderer is using, shown in About. */
  host: 'electron' | 'web';
  /** The workspace could not be written (a read-only file or folder): it is shown as it is, and changes are refused. */
  readOnly: boolean;
  /** The engine new training runs will use, whose defaults the Train view shows. */
  engine: Engine;
}

/** Result of an import: the dataset as it stands afterwards, and how many images were new. */
export interface ImportResult extends DatasetSummary {
  added: number;
  skippedDuplicates: number;
}

/** The two model families: the notebook's MLP and a CNN designed for this CPU. */
export type ModelKind = 'mlp' | 'cnn';

/** What a person asks for when training; anything left out takes the model's default (schema: schemas.ts). */
export type TrainRequest = z.input<typeof trainRequest>;

/** A training request with every option decided, as stored with the run. */
export type TrainConfig = Required<Omit<TrainRequest, 'limit' | 'excludeSuspects'>> & { limit: number | null; excludeSuspects?: boolean };

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

/** Metrics of one finished epoch. */
export interface EpochMetrics {
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss: number | null;
  valAccuracy: number | null;
  learningRate: number;
  seconds: number;
}

/** A training run as listed: what was trained, how it went, how good it is. */
export interface RunSummary {
  runId: number;
  datasetId: number;
  model: ModelKind;
  status: RunStatus;
  backend: string | null;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
  config: TrainConfig;
  epochsCompleted: number;
  bestEpoch: number | null;
  trainImages: number | null;
  validationImages: number | null;
  secondsPerEpoch: number | null;
  testAccuracy: number | null;
  testLoss: number | null;
  /** Whether the promotion gate made this run the active model when it finished; null until it finishes. */
  promoted: boolean | null;
  /** The gate's reason, in words, e.g. why a run was not promoted. */
  promotionReason: string | null;
}

/** Precision, recall and F1 of one class; `support` is how many images truly are that class. */
export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** A pair of classes the model mixes up: `count` images of `trueLabel` predicted as `predicted`. */
export interface Confusion {
  trueLabel: number;
  predicted: number;
  count: number;
}

/** How a run does on one split, from its stored predictions and the images' current labels. */
export interface Evaluation {
  runId: number;
  split: Split;
  images: number;
  accuracy: number;
  /** Mean cross-entropy of the true labels. */
  loss: number;
  /** 10×10 counts; rows are true classes, columns predicted classes. */
  confusion: number[][];
  perClass: ClassMetrics[];
  topConfusions: Confusion[];
}

/** Live state of a training job, pushed to the UI as it changes. */
export interface TrainProgress {
  phase: 'loading' | 'training' | 'evaluating' | 'saving';
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  loss: number | null;
  accuracy: number | null;
  imagesPerSecond: number | null;
  etaSeconds: number | null;
  /** 0–1 over the whole job. */
  fraction: number;
}

/** A long-running job (training and evaluation) as the UI sees it; the final state is always published. */
/** A file the back end hands over for the browser to save. */
export interface Download {
  name: string;
  mime: string;
  data: Uint8Array;
}

/** What an export did: the files written to `out`, or, without `out`, the downloads to save. */
export interface ExportResult {
  runId: number;
  /** Predictions exported, or files of a model. */
  count: number;
  written: string[];
  downloads: Download[];
}

/** The kinds of long work the app runs as jobs (see src/main/jobs/task-manager.ts). */
export type JobKind = 'train' | 'classify' | 'import' | 'scan';

/** Progress of a job that is not training: a phase in words, and how much of it is done. */
export interface TaskProgress {
  phase: string;
  /** 0–1. */
  fraction: number;
  done: number;
  total: number;
}

/** A change of a job that is not training (classify, import, scan), published as `job:update`. */
export interface TaskJobUpdate {
  jobId: string;
  kind: Exclude<JobKind, 'train'>;
  state: 'running' | 'succeeded' | 'failed' | 'cancelled';
  progress: TaskProgress;
  error?: string;
  /** What the job is about, for the UI to match it: the classify batch, the imported dataset, … */
  subject?: { batchId?: string; datasetId?: number; runId?: number; scanId?: number };
}

/** Every job's change, told apart by `kind`. */
export type JobUpdate = TrainJobUpdate | TaskJobUpdate;

/** A training job's change. */
export interface TrainJobUpdate {
  jobId: string;
  kind: 'train';
  runId: number;
  state: 'running' | 'succeeded' | 'failed' | 'cancelled';
  progress: TrainProgress;
  /** Present when an epoch has just finished. */
  epoch?: EpochMetrics;
  error?: string;
  run?: RunSummary;
  /** On success: whether the run became the active model (it is at least as accurate as the one before). */
  promoted?: boolean;
}

/** One change of an image's label: from what, to what, when, and from where in the app. */
export interface LabelChange {
  changeId: number;
  oldLabel: number;
  newLabel: number;
  changedAt: string;
  origin: string;
}

/** An image as the gallery shows it: pixels, label, and the active run's prediction. */
export interface GalleryImage {
  imageId: number;
  split: Split;
  label: number;
  predicted: number;
  /** Probability of the predicted class. */
  confidence: number;
  /** Probability the model gives the image's current label. */
  labelProbability: number;
  suspicious: boolean;
  pixels: Uint8Array;
}

/** Which images a gallery shows (schema: schemas.ts). */
export type GalleryQuery = z.input<typeof galleryQuery>;

export type GallerySort = z.input<typeof gallerySort>;

/** How files are imported (schema: schemas.ts). */
export type ImportOptions = z.input<typeof importOptions>;

/** A page of a gallery and how many images it holds in all. */
export interface GalleryPage {
  total: number;
  offset: number;
  images: GalleryImage[];
}

/** Everything the image detail shows. */
export interface ImageDetail {
  image: ImageRecord & { source: string; suspicious: boolean };
  /** The run's ten probabilities, when a run is given and it predicted this image. */
  prediction: { runId: number; predicted: number; confidence: number; probabilities: number[] } | null;
  history: LabelChange[];
}

/** Two runs side by side: accuracy per class, and the images one got right and the other wrong. */
export interface RunComparison {
  runId: number;
  otherRunId: number;
  split: 'test' | 'train';
  accuracy: [number, number];
  perClassAccuracy: [number, number][];
  /** Precision, recall and F1 of each class under both runs, on the images both were scored on. */
  perClass: [ClassMetrics, ClassMetrics][];
  /** Images the first run got wrong and the second right. */
  fixed: number;
  /** Images the first run got right and the second wrong. */
  broken: number;
}

/** One photo's classification, or why it could not be classified. */
/** Who settled a photo's class: the model alone, or a person who accepted or corrected it. */
export type DecidedBy = 'model' | 'accepted' | 'corrected';

/** Why a photo is sent to a person. */
export type ReviewReason = 'low-confidence' | 'class-always-reviewed' | 'unusual' | 'audit';

export interface ClassifiedPhoto {
  /** Null when the file could not be read or converted. */
  photoId: number | null;
  batchId: string;
  /** Place in the batch, from 0. */
  position: number;
  /** Where the photo is on disk (for uploads: the app's own copy; never shown). */
  file: string;
  /** The name a person knows it by. */
  name: string;
  error: string | null;
  /** The model's class and its confidence, whatever a person decided. */
  predicted: number | null;
  confidence: number | null;
  top3: { label: number; probability: number }[];
  /** The 28×28 image the model saw. */
  pixels: Uint8Array | null;
  background: 'light' | 'dark' | null;
  /** The class a person accepted or chose; null while only the model has spoken. */
  label: number | null;
  decidedBy: DecidedBy;
  /** True when a person decided (`decidedBy` is not 'model'). */
  reviewed: boolean;
  /** Why the gate sends it to a person; null when it passed the gate. */
  reviewReason: ReviewReason | null;
  /** Not decided by a person and `reviewReason` is set. */
  needsReview: boolean;
  /** Unlike anything the model was trained on (by its features), whatever its confidence. */
  unusual: boolean;
  /** Chosen for the random audit of photos that passed the gate. */
  audit: boolean;
  /** The same file (by SHA-256 of its bytes) was decided by a person before; that decision is shown. */
  seenBefore: boolean;
}

/** The per-class review gate of one class: photos predicted as it need at least this confidence. */
export interface ClassGate {
  /** Null: this class always goes to review (too few validation images, or never good enough). */
  threshold: number | null;
  /** Validation images the model predicted as this class. */
  validationImages: number;
}

/**
 * The rule that decides which photos skip review. `per-class` comes from the run's validation
 * predictions and the error rate a person accepts; `single` is the one threshold of runs trained
 * before validation predictions were stored.
 */
export type ReviewGate =
  | { kind: 'per-class'; maxError: number; classes: ClassGate[]; expectedReviewShare: number; auditShare: number }
  | { kind: 'single'; threshold: number; auditShare: number };

/** A batch of photos being classified; results arrive as `classify:result` events. */
export interface ClassifyBatch {
  batchId: string;
  runId: number;
  total: number;
  gate: ReviewGate;
  /** The `classify` job doing the batch (progress and the final state arrive as `job:update`), when it runs as one. */
  jobId?: string;
}

/** A stored batch as the Batches list shows it. */
export interface BatchSummary {
  batchId: string;
  /** What it holds, e.g. "shoes/ · 24 photos" or "IMG_0042.jpg and 11 more" (shared/batch-name.ts). */
  name: string;
  runId: number | null;
  createdAt: string;
  openedAt: string;
  total: number;
  classified: number;
  failed: number;
  needReview: number;
  decided: number;
  state: 'classifying' | 'done' | 'failed' | 'cancelled';
  error: string | null;
  /** Where the batch was last sorted; null when never. */
  sortedInto: string | null;
  sortedAt: string | null;
  /** The last sort moved the files: they are no longer where the batch found them. */
  moved: boolean;
  /** The audit sample: how many there are, how many a person checked, and how many of those the model got wrong. */
  audit: { size: number; checked: number; wrong: number };
}

/**
 * A reopened batch: its summary, its gate and every photo in order (failed files included). The
 * photos' 28×28 pixels travel packed in `pixels` (784 bytes per classified photo, in `photos` order,
 * failed files skipped) with each photo's own `pixels` null: one byte array encodes far faster than
 * ten thousand small ones. `attachPixels` (shared/review.ts) puts them back.
 */
export interface BatchView {
  batch: BatchSummary;
  gate: ReviewGate;
  photos: ClassifiedPhoto[];
  pixels: Uint8Array;
}
