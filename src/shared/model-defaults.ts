/** Training defaults, shared so the UI shows the values a run will really use. */
import type { ModelKind, TrainConfig } from './types.ts';

/** Defaults per model. The MLP's are the notebook's: Adam 0.001, batch 512, 50 epochs. */
export const MODEL_DEFAULTS: Record<ModelKind, Omit<TrainConfig, 'model' | 'datasetId' | 'seed' | 'limit' | 'includeUserLabels' | 'validationFraction'>> = {
  mlp: { epochs: 50, batchSize: 512, learningRate: 0.001, patience: 10, augment: false },
  // Sized for a 2-core CPU: data-parallel on both cores, about 40 s an epoch on the wasm backend, so
  // eleven epochs take about 7.5 minutes; measured 91.3% test accuracy (the 92% target is not reached
  // yet: see README, Benchmark). Batch 64 learns more per epoch than 128 at the same cost.
  // Augmentation is off by default: every shoe in Fashion-MNIST faces left, so flips add images the test
  // set never has, and within a few epochs shifts and flips cost more accuracy than they return
  // (measured: 86.5% against 87.8% validation accuracy after the second epoch). `augment` turns it on.
  cnn: { epochs: 11, batchSize: 64, learningRate: 0.001, patience: 3, augment: false },
};

export const DEFAULT_VALIDATION_FRACTION = 0.1;
export const DEFAULT_SEED = 42;
