import { describe, expect, it } from 'vitest';
import { formForModel, initialTrainForm, trainFormProblems } from '../../src/renderer/src/lib/train-form.ts';
import { formatEta, statusText } from '../../src/renderer/src/lib/training-status.ts';
import { modelDefaults } from '../../src/shared/model-defaults.ts';
import type { TrainJobUpdate, TrainProgress } from '../../src/shared/types.ts';

describe('train form', () => {
  it("switching the model puts back that model's own defaults and keeps the rest", () => {
    const edited = { ...initialTrainForm(), epochs: 3, batchSize: 32, learningRate: 0.01, patience: 0, augment: true, limit: 1500, seed: 7 };
    const cnn = formForModel(edited, 'cnn', 'wasm');
    expect(cnn).toMatchObject({ model: 'cnn', ...modelDefaults('cnn', 'wasm'), limit: 1500, seed: 7, validationFraction: 0.1 });
    expect(formForModel(cnn, 'mlp', 'wasm')).toMatchObject({ model: 'mlp', ...modelDefaults('mlp', 'wasm'), limit: 1500 });
  });

  it('gives the CNN the defaults of the engine runs will use: more epochs with augmentation on tensorflow', () => {
    expect(formForModel(initialTrainForm(), 'cnn', 'tensorflow')).toMatchObject({ epochs: 15, augment: true, patience: 5 });
    expect(formForModel(initialTrainForm(), 'cnn', 'wasm')).toMatchObject({ epochs: 15, augment: true, patience: 5 });
  });

  it('says what is wrong in words, with the contract’s own limits', () => {
    expect(trainFormProblems(initialTrainForm())).toEqual([]);
    expect(trainFormProblems({ ...initialTrainForm(), epochs: 501 })).toEqual(['Epochs must be at most 500']);
    expect(trainFormProblems({ ...initialTrainForm(), epochs: 2.5, learningRate: 0, limit: 5, validationFraction: 0.7 })).toEqual([
      'Epochs must be a whole number',
      'Learning rate must be more than 0',
      'Validation share must be at most 50%',
      'Train on at most must be at least 10',
    ]);
  });
});

const progress = (fields: Partial<TrainProgress>): TrainProgress => ({
  phase: 'training',
  epoch: 2,
  epochs: 7,
  batch: 40,
  batches: 844,
  loss: 0.4,
  accuracy: 0.85,
  imagesPerSecond: 1234.4,
  etaSeconds: 250,
  fraction: 0.3,
  ...fields,
});
const job = (fields: Partial<TrainJobUpdate>, p: Partial<TrainProgress> = {}): TrainJobUpdate => ({ jobId: 'j', kind: 'train', runId: 4, state: 'running', progress: progress(p), ...fields });

describe('training status', () => {
  it('says what the job is doing in every phase', () => {
    expect(statusText(job({}, { phase: 'loading' }))).toBe('Loading the training images from the workspace…');
    expect(statusText(job({}))).toBe('Epoch 2 of 7, batch 40 of 844 · 1,234 images/s · about 4 min 10 s left');
    expect(statusText(job({}, { etaSeconds: null }))).toContain('estimating the time left');
    expect(statusText(job({}, { phase: 'evaluating', etaSeconds: 12.2 }))).toBe("Scoring every test and training image with the best epoch's weights… about 13 s left");
    expect(statusText(job({}, { phase: 'saving' }))).toBe('Saving the model and its predictions…');
    expect(statusText(job({ state: 'failed', error: 'Out of memory' }))).toBe('Failed: Out of memory');
  });

  it('formats the time left', () => {
    expect(formatEta(null)).toBe('');
    expect(formatEta(0.2)).toBe('about 1 s left');
    expect(formatEta(59.5)).toBe('about 1 min 0 s left');
    expect(formatEta(7300)).toBe('about 2 h 2 min left');
  });
});
