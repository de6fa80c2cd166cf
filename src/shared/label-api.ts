/**
 * The label-scan part of the contract (issue 12): request schemas and result types, merged into
 * `requestSchemas` and `RequestResults` in api.ts. Channel names are `domain:action`.
 */
import { z } from 'zod';
import type { LabelIssue, LabelScanSummary, OverlappingClasses } from './label-scan.ts';
import type { Split } from './types.ts';

const datasetId = z.number().int().positive();
const scanId = z.number().int().positive();
const imageId = z.number().int().positive();
const label = z.number().int().min(0).max(9);

/** An image as a label-review list shows it. */
export interface LabelImage {
  imageId: number;
  split: Split;
  label: number;
  pixels: Uint8Array;
}

/** A label change in the workspace-wide Changes list. */
export interface LabelChangeEntry {
  changeId: number;
  imageId: number;
  split: Split;
  oldLabel: number;
  newLabel: number;
  /** What made it: review, scan, classify, undo. */
  origin: string;
  changedAt: string;
  /** Still its image's latest change: only then can it be undone. */
  latest: boolean;
}

/** A guideline card: the most typical images on each side of an overlapping class pair. */
export interface GuidelineCard extends OverlappingClasses {
  /** `a`'s typical images nearest `b`, and `b`'s nearest `a`. */
  typical: [LabelImage[], LabelImage[]];
}

/** The guideline cards of the newest scan of a run's dataset, for warehouse staff reviewing photos. */
export interface ScanGuidelines {
  scanId: number;
  /** Labels changed since the scan ran; the cards are still shown, as the scan's view of the boundary. */
  labelsChangedSince: number;
  cards: GuidelineCard[];
}

export const labelRequestSchemas = {
  /** Starts a label scan in its own process; progress arrives as `job:update` of kind `scan`. */
  'scan:start': z.object({
    datasetId: datasetId.optional(),
    model: z.enum(['mlp', 'cnn']).optional(),
    folds: z.number().int().min(2).max(20).optional(),
    epochs: z.number().int().min(1).max(200).optional(),
    seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
    keepOld: z.boolean().optional(),
  }),
  /** A dataset's scans (every dataset's without one), newest first, each saying how many labels changed since it ran. */
  'scan:list': z.object({ datasetId: datasetId.optional() }),
  /** Deletes a scan and what it stored. */
  'scan:delete': z.object({ scanId }),
  /** A page of a scan's issues, most likely wrong first, with pixels; confirmed images only when asked. */
  'scan:issues': z.object({ scanId, offset: z.number().int().min(0), limit: z.number().int().min(1).max(500), includeResolved: z.boolean().optional() }),
  /** The most typical images of a class in a scan (highest out-of-fold probability of their label), optionally those nearest another class. */
  'scan:typical': z.object({ scanId, label, towards: label.optional(), count: z.number().int().min(1).max(24) }),
  /** Sets an image's label from the issues view (Enter takes the suggestion, 0–9 any class); recorded with origin `scan`. */
  'scan:relabel': z.object({ imageId, label }),
  /** K: the image's label is right; it leaves the issue list but can still be found. */
  'scan:confirm': z.object({ imageId }),
  /** Takes back a K (the U key right after it). */
  'scan:unconfirm': z.object({ imageId }),
  /** Every label change of a dataset, newest first, optionally from or to one class. */
  'labels:changes': z.object({ datasetId, label: label.optional(), offset: z.number().int().min(0), limit: z.number().int().min(1).max(1000) }),
  /** Undoes one change; refused unless it is still its image's latest change. */
  'labels:undo-change': z.object({ changeId: z.number().int().positive() }),
  /** Images flagged as suspicious (S). */
  'labels:flagged': z.object({ datasetId }),
  /**
   * Guideline cards of the top overlapping class pairs: of a given scan (the Label issues view), or of the
   * newest finished scan (current or not) of a run's dataset (the active run's when none is named), so
   * that a person reviewing a photo predicted as either class sees typical examples of both; null when
   * that dataset has no scan.
   */
  'scan:guidelines': z.object({ runId: z.number().int().positive().optional(), scanId: scanId.optional() }),
};

export interface LabelRequestResults {
  'scan:start': { jobId: string; scanId: number };
  'scan:list': LabelScanSummary[];
  'scan:delete': null;
  'scan:issues': { total: number; issues: (LabelIssue & { pixels: Uint8Array })[] };
  'scan:typical': LabelImage[];
  'scan:relabel': null;
  'scan:confirm': null;
  'scan:unconfirm': null;
  'labels:changes': { total: number; changes: LabelChangeEntry[] };
  'labels:undo-change': null;
  'labels:flagged': (LabelImage & { source: string })[];
  'scan:guidelines': ScanGuidelines | null;
}
