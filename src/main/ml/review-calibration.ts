/**
 * What a run stores at training time so that classification can decide what needs review: its
 * predictions on the validation images (the per-class gate is computed from them for whatever error
 * rate a person accepts) and the unusual-photo scorer, fitted on training-image features and
 * calibrated so that about 1% of validation images score above its threshold.
 */
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { ModelKind } from '../../shared/types.ts';
import type { RunValidation } from '../db/run-validation.ts';
import { imageCount, subset, type LabeledImages } from './data.ts';
import { featureDistances, fitFeatureDistance, thresholdAtQuantile } from './feature-distance.ts';
import { predictWithFeatures, scorerInput, withFeatures } from './features.ts';

/** Share of real images the unusual-photo check may flag: the threshold is this quantile of validation scores. */
export const UNUSUAL_QUANTILE = 0.99;
/** Training images whose features fit the scorer; more adds time and little accuracy. */
export const FEATURE_FIT_IMAGES = 20_000;

/** Computes a run's review calibration; null when there are no validation images to calibrate on. */
export async function reviewCalibration(model: LayersModel, kind: ModelKind, train: LabeledImages, validation: LabeledImages): Promise<RunValidation | null> {
  if (imageCount(validation) === 0) return null;
  const twoOutputs = withFeatures(model);
  const onValidation = await predictWithFeatures(twoOutputs, validation.pixels, kind);
  // Training images are already in a seeded random order, so the first ones are a fair sample.
  const fitOn = imageCount(train) > FEATURE_FIT_IMAGES ? subset(train, Int32Array.from({ length: FEATURE_FIT_IMAGES }, (_, i) => i)) : train;
  let featureModelJson: string | null = null;
  let featureThreshold: number | null = null;
  if (imageCount(fitOn) > 0 && onValidation.dim > 0) {
    const onTrain = await predictWithFeatures(twoOutputs, fitOn.pixels, kind);
    const trainInput = scorerInput(onTrain.features, onTrain.dim, fitOn.pixels);
    const scorer = fitFeatureDistance(trainInput.embeddings, trainInput.dim, fitOn.labels);
    featureThreshold = thresholdAtQuantile(featureDistances(scorer, scorerInput(onValidation.features, onValidation.dim, validation.pixels).embeddings), UNUSUAL_QUANTILE);
    featureModelJson = JSON.stringify(scorer);
  }
  return { labels: validation.labels, probabilities: onValidation.probabilities, featureModelJson, featureThreshold };
}
