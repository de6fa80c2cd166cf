/** The Train view's form: what switching the model does, and its problems in words before anything is sent. */
import { requestSchemas } from '../../../shared/api.ts';
import { issueInWords, type FieldWords } from '../../../shared/issue-words.ts';
import { DEFAULT_VALIDATION_FRACTION, modelDefaults, type Engine } from '../../../shared/model-defaults.ts';
import type { ModelKind, TrainRequest } from '../../../shared/types.ts';

/** The form's fields as the person sees them named. */
export const TRAIN_FIELDS: Readonly<Record<string, FieldWords>> = {
  epochs: { label: 'Epochs' },
  batchSize: { label: 'Batch size' },
  learningRate: { label: 'Learning rate' },
  validationFraction: { label: 'Validation share', scale: 100, unit: '%' },
  seed: { label: 'Seed' },
  limit: { label: 'Train on at most' },
  patience: { label: 'Patience' },
};

/**
 * The form after choosing `model`: the options that belong to a model (epochs, batch size, learning rate,
 * patience, augmentation) take that model's defaults on the engine runs will use; the rest (dataset,
 * seed, limit, validation share, labeled photos) stay as the person set them.
 */
export function formForModel(form: TrainRequest, model: ModelKind, engine: Engine): TrainRequest {
  const { epochs, batchSize, learningRate, patience, augment } = modelDefaults(model, engine);
  return { ...form, model, epochs, batchSize, learningRate, patience, augment };
}

/** The form a person first sees: the MLP with its defaults written out (the same on both engines). */
export function initialTrainForm(): TrainRequest {
  return formForModel({ model: 'mlp', validationFraction: DEFAULT_VALIDATION_FRACTION, includeUserLabels: true }, 'mlp', 'wasm');
}

/** Everything wrong with the form, one sentence each; empty when it can be sent. */
export function trainFormProblems(form: TrainRequest): string[] {
  const parsed = requestSchemas['train:start'].safeParse(form);
  return parsed.success ? [] : parsed.error.issues.map((issue) => issueInWords(issue, TRAIN_FIELDS));
}
