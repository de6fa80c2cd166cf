/** The review gate and unusual-photo scorer a batch uses, from its run's stored calibration and the person's settings. */
import type { ReviewGate } from '../../shared/types.ts';
import type { Db } from '../db/connection.ts';
import { loadRunValidation } from '../db/run-validation.ts';
import { reviewThresholdOf } from '../db/runs.ts';
import { getSetting, setSetting } from '../db/settings.ts';
import type { FeatureDistanceModel } from '../ml/feature-distance.ts';
import { DEFAULT_AUDIT_SHARE, DEFAULT_MAX_ERROR, perClassGate } from './review-gate.ts';

/** Used when a run stored neither validation predictions nor a threshold. */
export const FALLBACK_REVIEW_THRESHOLD = 0.9;

const MAX_ERROR_KEY = 'review.maxError';
const AUDIT_SHARE_KEY = 'review.auditShare';

export interface ReviewSettings {
  /** "At most this share wrong among photos that skip review." */
  maxError: number;
  /** Share of gate-passed photos sent to review anyway. */
  auditShare: number;
}

export function reviewSettings(db: Db): ReviewSettings {
  const maxError = Number(getSetting(db, MAX_ERROR_KEY) ?? DEFAULT_MAX_ERROR);
  const auditShare = Number(getSetting(db, AUDIT_SHARE_KEY) ?? DEFAULT_AUDIT_SHARE);
  return { maxError: Number.isFinite(maxError) ? maxError : DEFAULT_MAX_ERROR, auditShare: Number.isFinite(auditShare) ? auditShare : DEFAULT_AUDIT_SHARE };
}

export function saveReviewSettings(db: Db, settings: Partial<ReviewSettings>): ReviewSettings {
  if (settings.maxError !== undefined) setSetting(db, MAX_ERROR_KEY, String(settings.maxError));
  if (settings.auditShare !== undefined) setSetting(db, AUDIT_SHARE_KEY, String(settings.auditShare));
  return reviewSettings(db);
}

/** The gate for a run under the given settings: per class when the run stored its validation predictions, else its single threshold. */
export function gateForRun(db: Db, runId: number, settings: ReviewSettings = reviewSettings(db)): ReviewGate {
  const validation = loadRunValidation(db, runId);
  if (validation) return perClassGate(validation.labels, validation.probabilities, settings.maxError, settings.auditShare);
  return { kind: 'single', threshold: reviewThresholdOf(db, runId) ?? FALLBACK_REVIEW_THRESHOLD, auditShare: settings.auditShare };
}

/** The run's unusual-photo scorer and threshold, or null for runs trained before they were stored. */
export function unusualScorer(db: Db, runId: number): { model: FeatureDistanceModel; threshold: number } | null {
  const validation = loadRunValidation(db, runId);
  if (!validation?.featureModelJson || validation.featureThreshold === null) return null;
  return { model: JSON.parse(validation.featureModelJson) as FeatureDistanceModel, threshold: validation.featureThreshold };
}
