import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/main/ml/backend.ts';
import { augment } from '../../../src/main/ml/data.ts';
import { accuracyAndLoss, predictProbabilities } from '../../../src/main/ml/evaluate.ts';
import { buildModel, modelDefaults } from '../../../src/main/ml/models.ts';
import { seededRandom } from '../../../src/main/ml/random.ts';
import { learningRateAt, trainModel } from '../../../src/main/ml/train.ts';
import type { TrainConfig } from '../../../src/shared/types.ts';
import { realImages, TEST_BACKEND } from '../../helpers.ts';

const config = (overrides: Partial<TrainConfig>): TrainConfig => ({
  model: 'mlp',
  datasetId: 1,
  ...modelDefaults(overrides.model ?? 'mlp', 'wasm'),
  validationFraction: 0.1,
  seed: 7,
  limit: null,
  includeUserLabels: false,
  ...overrides,
});

describe('trainModel on real Fashion-MNIST slices', () => {
  beforeAll(async () => {
    expect(await initBackend(TEST_BACKEND)).toBe(TEST_BACKEND);
  });

  const data = { train: realImages('train', 0, 600), validation: realImages('train', 600, 200) };

  it('the MLP learns: loss falls, validation accuracy beats chance, and no tensor is left behind', async () => {
    const model = buildModel('mlp', 7);
    const before = tf.memory().numTensors;
    const outcome = await trainModel(model, data, config({ epochs: 3, batchSize: 64 }), seededRandom(7));
    expect(tf.memory().numTensors).toBe(before);
    expect(outcome.cancelled).toBe(false);
    expect(outcome.epochs).toHaveLength(3);
    expect(outcome.epochs[2].loss).toBeLessThan(outcome.epochs[0].loss);
    expect(outcome.epochs[2].valAccuracy!).toBeGreaterThan(0.5);
    // The model holds the best checkpoint: its validation accuracy is the best epoch's.
    const best = Math.max(...outcome.epochs.map((e) => e.valAccuracy!));
    expect(outcome.epochs[outcome.bestEpoch! - 1].valAccuracy).toBe(best);
    const { accuracy } = accuracyAndLoss(data.validation.labels, await predictProbabilities(model, data.validation.pixels, 'mlp'));
    expect(accuracy).toBeCloseTo(best, 6);
    model.dispose();
  });

  it('the CNN trains with augmentation and beats chance', async () => {
    const model = buildModel('cnn', 7);
    const before = tf.memory().numTensors;
    const outcome = await trainModel(model, data, config({ model: 'cnn', epochs: 2, batchSize: 32 }), seededRandom(7));
    expect(tf.memory().numTensors).toBe(before);
    expect(outcome.epochs[1].loss).toBeLessThan(outcome.epochs[0].loss);
    expect(outcome.epochs[1].valAccuracy!).toBeGreaterThan(0.3);
    model.dispose();
  });

  it('the same seed gives the same run', async () => {
    const run = async (): Promise<number[]> => {
      const model = buildModel('mlp', 11);
      const outcome = await trainModel(model, data, config({ epochs: 1, batchSize: 64, seed: 11 }), seededRandom(11));
      model.dispose();
      return outcome.epochs.map((e) => e.valAccuracy!);
    };
    expect(await run()).toEqual(await run());
  });

  it('cancelling stops within one batch and leaves no tensors', async () => {
    const model = buildModel('mlp', 7);
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const batchesSeen: number[] = [];
    const outcome = await trainModel(model, data, config({ epochs: 5, batchSize: 32 }), seededRandom(7), {
      signal: controller.signal,
      onBatch: (b) => {
        batchesSeen.push(b.batch);
        if (b.batch === 3) controller.abort();
      },
    });
    expect(outcome.cancelled).toBe(true);
    expect(outcome.epochs).toEqual([]);
    expect(batchesSeen).toEqual([1, 2, 3]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

describe('training details', () => {
  it('the CNN learning rate follows a half cosine; the MLP keeps the notebook constant', () => {
    const cnn = config({ model: 'cnn', epochs: 9, learningRate: 0.002 });
    expect(learningRateAt(cnn, 0)).toBeCloseTo(0.002);
    expect(learningRateAt(cnn, 8)).toBeCloseTo(0.0001);
    expect(learningRateAt(cnn, 4)).toBeLessThan(learningRateAt(cnn, 3));
    expect(learningRateAt(config({ epochs: 50 }), 30)).toBe(0.001);
  });

  it('augmentation shifts by at most one pixel each way, and never flips (shoes all face one way)', () => {
    const image = new Uint8Array(784);
    image[10 * 28 + 3] = 255; // a pixel near the left edge
    const seen = new Set<string>();
    for (let seed = 0; seed < 60; seed++) {
      const at = augment(image, seededRandom(seed)).indexOf(255);
      const [y, x] = [Math.floor(at / 28), at % 28];
      expect(Math.abs(y - 10)).toBeLessThanOrEqual(1);
      expect(Math.abs(x - 3)).toBeLessThanOrEqual(1); // a flip would put it near x = 24
      seen.add(`${x - 3},${y - 10}`);
    }
    expect(seen.size).toBe(9); // every shift of the 3×3 neighbourhood occurs
  });
});
