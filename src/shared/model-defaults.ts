/** Training defaults, shared so the UI shows the values a run will really use. */
import type { ModelKind, TrainConfig } from './types.ts';

/** Defaults per model. The MLP's are the notebook's: Adam 0.001, batch 512, 50 epochs. */
export const MODEL_DEFAULTS: Record<ModelKind, Omit<TrainConfig, 'model' | 'datasetId' | 'seed' | 'limit' | 'includeUserLabels' | 'validationFraction'>> = {
  mlp: { epochs: 50, batchSize: 512, learningRate: 0.001, patience: 10, augment: false },
  // Sized for a 2-core CPU: about a minute an epoch on the wasm backend; about 91% after eight epochs
  // (the 92% target is not reached yet: see README, Benchmark).
  // Augmentation is off by default: every shoe in Fashion-MNIST faces left, so flips add images the test
  // set never has, and within eight epochs shifts and flips cost more accuracy than they return
  // (measured: 86.5% against 87.8% validation accuracy after the second epoch). `augment` turns it on.
  // Batch 64 costs no more time per epoch here than 128 and learns faster (validation 91.6% against
  // 91.05% after eight epochs).
  cnn: { epochs: 8, batchSize: 64, learningRate: 0.001, patience: 3, augment: false },
};

export const DEFAULT_VALIDATION_FRACTION = 0.1;
export const DEFAULT_SEED = 42;
