/** Training defaults, shared so the UI shows the values a run will really use. */
import type { ModelKind, TrainConfig } from './types.ts';

/** Defaults per model. The MLP's are the notebook's: Adam 0.001, batch 512, 50 epochs. */
export const MODEL_DEFAULTS: Record<ModelKind, Omit<TrainConfig, 'model' | 'datasetId' | 'seed' | 'limit' | 'includeUserLabels' | 'validationFraction'>> = {
  mlp: { epochs: 50, batchSize: 512, learningRate: 0.001, patience: 10, augment: false },
  // Sized for a 2-core CPU: data-parallel on both cores on the wasm backend, seven epochs (see README,
  // Benchmark, for the measured time and accuracy). Batch normalisation allows twice the MLP's rate.
  // Augmentation is off by default: in ten-epoch runs (of this network with an unpadded first
  // convolution), flips (every shoe in Fashion-MNIST faces the same way) and shifts cut overfitting but
  // did not raise test accuracy: 92.04% with flips, 91.94% with flips and shifts, 92.10% without.
  // `augment` turns it on.
  cnn: { epochs: 7, batchSize: 64, learningRate: 0.002, patience: 3, augment: false },
};

export const DEFAULT_VALIDATION_FRACTION = 0.1;
export const DEFAULT_SEED = 42;

/** A model's defaults in words, for the Train view and the CLI's help: both read them from here. */
export function describeDefaults(kind: ModelKind): string {
  const d = MODEL_DEFAULTS[kind];
  return (
    `Defaults: ${d.epochs} epochs, batch ${d.batchSize}, Adam ${d.learningRate}, ` +
    `${Math.round(DEFAULT_VALIDATION_FRACTION * 100)}% of the training images held out to pick the best epoch, ` +
    `stopping after ${d.patience} epochs without improvement, augmentation ${d.augment ? 'on' : 'off'}, seed ${DEFAULT_SEED}.`
  );
}
