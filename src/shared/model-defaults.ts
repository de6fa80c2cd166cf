/** Training defaults, shared so the UI shows the values a run will really use. */
import type { ModelKind, TrainConfig } from './types.ts';

/**
 * The engine a training process will run on, as far as defaults go: tensorflow (tfjs-node, when its addon
 * is built) or wasm (the fallback; the cpu backend, used only when wasm fails, takes wasm's defaults).
 */
export type Engine = 'tensorflow' | 'wasm';

export type ModelDefaults = Omit<TrainConfig, 'model' | 'datasetId' | 'seed' | 'limit' | 'includeUserLabels' | 'validationFraction'>;

/** Defaults per engine and model. The MLP's are the notebook's on both: Adam 0.001, batch 512, 50 epochs. */
const DEFAULTS: Readonly<Record<Engine, Readonly<Record<ModelKind, ModelDefaults>>>> = {
  tensorflow: {
    mlp: { epochs: 50, batchSize: 512, learningRate: 0.001, patience: 10, augment: false },
    // A CNN epoch takes about 11 s here, so the run can afford the epochs that augmentation needs: 15
    // epochs with ±1 px shifts reached 93.26% test accuracy (seed 42), against 92.62% for 15 epochs
    // without augmentation and 92.48% for the wasm recipe's 7 (README, Benchmark). Patience 5 lets
    // the augmented run's noisier validation accuracy dip without stopping it.
    cnn: { epochs: 15, batchSize: 64, learningRate: 0.002, patience: 5, augment: true },
  },
  wasm: {
    mlp: { epochs: 50, batchSize: 512, learningRate: 0.001, patience: 10, augment: false },
    // The same recipe as on tensorflow since the wasm engine got twice as fast (issue 14): about 32 s an
    // epoch on two cores here, so 15 epochs with ±1 px shifts take about 9 minutes, what 7 epochs
    // without augmentation used to, and reach 93.30% test accuracy (median of three seeds) against 92.5%
    // (README, Benchmark). More cores divide the epoch further.
    cnn: { epochs: 15, batchSize: 64, learningRate: 0.002, patience: 5, augment: true },
  },
};

/** The defaults of `kind` on `engine`: what a request that leaves an option out gets. */
export function modelDefaults(kind: ModelKind, engine: Engine): ModelDefaults {
  return DEFAULTS[engine][kind];
}

export const DEFAULT_VALIDATION_FRACTION = 0.1;
export const DEFAULT_SEED = 42;

/** A model's defaults in words, for the Train view and the CLI's help: both read them from here. */
export function describeDefaults(kind: ModelKind, engine: Engine): string {
  const d = modelDefaults(kind, engine);
  return (
    `Defaults on ${engine}: ${d.epochs} epochs, batch ${d.batchSize}, Adam ${d.learningRate}, ` +
    `${Math.round(DEFAULT_VALIDATION_FRACTION * 100)}% of the training images held out to pick the best epoch, ` +
    `stopping after ${d.patience} epochs without improvement, augmentation ${d.augment ? 'on' : 'off'}, seed ${DEFAULT_SEED}.`
  );
}
