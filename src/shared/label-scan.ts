/** Plain data types of label scans: what the UI, the CLI and the back end say about wrong labels. */
import type { ModelKind, Split } from './types.ts';

/** What a label scan trains: K cross-validated models of one kind. Left-out fields take the defaults. */
export interface LabelScanRequest {
  datasetId?: number;
  model?: ModelKind;
  folds?: number;
  epochs?: number;
  seed?: number;
  /** Keep the dataset's older scans; by default only the newest is kept (a CNN scan takes tens of MB). */
  keepOld?: boolean;
}

export interface LabelScanSettings {
  model: ModelKind;
  folds: number;
  epochs: number;
  seed: number;
}

/** A pair of classes the labels mix up, with its share of the estimated joint of given and true labels. */
export interface OverlappingClasses {
  a: number;
  b: number;
  share: number;
}

/** What confident learning concluded, stored with the scan. */
export interface LabelScanResults {
  /** Per-class thresholds: mean self-confidence. */
  thresholds: number[];
  /** Calibrated confident joint (counts), rows given label, columns estimated true label. */
  confidentJoint: number[][];
  /** The estimated joint of given (rows) and true (columns) labels; sums to 1. */
  joint: number[][];
  /** P(given = row | true = column). */
  noiseMatrix: number[][];
  /** Per class: the estimated share of its images that carry another label. */
  noiseRates: number[];
  overlapping: OverlappingClasses[];
  /** Out-of-fold accuracy against the labels as they were. */
  outOfFoldAccuracy: number;
  nearDuplicates: { leakage: number; differentLabels: number };
  outliers: number;
}

export type LabelScanStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

/** How many of a scan's most overlapping class pairs get a guideline card (Label issues view and Classify). */
export const GUIDELINE_PAIRS = 3;

/** Typical images per side of a guideline card. */
export const GUIDELINE_IMAGES = 4;

/** How likely a photo's second class must be to count for its guideline card: below it, the model is not torn. */
export const GUIDELINE_SECOND_CLASS_MIN = 0.1;

/**
 * The guideline card to show beside a photo, among the cards of the top overlapping pairs: the pair of its
 * two likeliest classes when that is one, else the highest-ranked pair holding its predicted class, else
 * the one holding its second class; null when neither class is in a top pair. The second class counts
 * only at `GUIDELINE_SECOND_CLASS_MIN` or more: a Bag at 100% gets no card for its 0.0% runner-up.
 */
export function guidelineFor<T extends OverlappingClasses>(cards: readonly T[], top: readonly { label: number; probability: number }[]): T | null {
  const first = top[0]?.label;
  const second = top[1] && top[1].probability >= GUIDELINE_SECOND_CLASS_MIN ? top[1].label : undefined;
  if (first === undefined) return null;
  const holds = (card: T, label: number | undefined): boolean => label !== undefined && (card.a === label || card.b === label);
  return cards.find((c) => holds(c, first) && holds(c, second)) ?? cards.find((c) => holds(c, first)) ?? cards.find((c) => holds(c, second)) ?? null;
}

/** A scan as listed. */
export interface LabelScanSummary {
  scanId: number;
  datasetId: number;
  settings: LabelScanSettings;
  status: LabelScanStatus;
  error: string | null;
  backend: string | null;
  createdAt: string;
  finishedAt: string | null;
  seconds: number | null;
  /** Labeled images the scan judged. */
  images: number | null;
  issues: number | null;
  results: LabelScanResults | null;
  /** Scanned images whose label has changed since, other than by acting on this scan's issues. */
  labelsChangedSince: number;
}

/** One image whose label is likely wrong. */
export interface LabelIssue {
  imageId: number;
  /** 1 = most likely wrong. */
  rank: number;
  split: Split;
  /** Where the image came from, as stored at import (`file#row12` for CSV, `file#11` for IDX). */
  source: string;
  /** The label the scan saw. */
  label: number;
  /** The image's label now, which differs once someone acted on it. */
  currentLabel: number;
  suggestedLabel: number;
  /** Label quality 0–1, lower meaning more likely wrong (as in cleanlab). */
  score: number;
  /** The label a person confirmed as right with K, if any. */
  confirmed: boolean;
}

/** Live state of a scan job. */
export interface LabelScanProgress {
  phase: 'loading' | 'training' | 'embedding' | 'analysing' | 'saving';
  fold: number;
  folds: number;
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  fraction: number;
  etaSeconds: number | null;
}


/**
 * A scan's defaults, chosen by measurement (README, Label scans): fast and good enough. On the tensorflow
 * backend a CNN scan of 4 folds × 4 epochs (trained on shifted copies, judged on shifted views) takes
 * about three minutes and ranks the most wrong labels first; without tensorflow (wasm) a CNN scan takes
 * half an hour, and the MLP scan is the one that fits in minutes.
 */
export const LABEL_SCAN_DEFAULTS: LabelScanSettings = { model: 'cnn', folds: 4, epochs: 4, seed: 42 };
export const LABEL_SCAN_DEFAULTS_WITHOUT_TENSORFLOW: LabelScanSettings = { model: 'mlp', folds: 4, epochs: 10, seed: 42 };

/** The defaults for the engine the scan will train on. */
export function labelScanDefaults(tensorflow: boolean): LabelScanSettings {
  return tensorflow ? LABEL_SCAN_DEFAULTS : LABEL_SCAN_DEFAULTS_WITHOUT_TENSORFLOW;
}
