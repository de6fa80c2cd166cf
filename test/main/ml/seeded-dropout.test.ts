import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/main/ml/backend.ts';
import { buildModel, modelDefaults } from '../../../src/main/ml/models.ts';
import { runSeeds, seededRandom } from '../../../src/main/ml/random.ts';
import { trainModel } from '../../../src/main/ml/train.ts';
import type { TrainConfig } from '../../../src/shared/types.ts';
import { realImages, TEST_BACKEND } from '../../helpers.ts';

const config: TrainConfig = { model: 'cnn', datasetId: 1, ...modelDefaults('cnn', 'wasm'), epochs: 1, batchSize: 32, validationFraction: 0.1, seed: 5, limit: null, includeUserLabels: false };

describe('one seeded random source', () => {
  beforeAll(async () => {
    expect(await initBackend(TEST_BACKEND)).toBe(TEST_BACKEND);
  });

  it('a CNN with dropout trains the same twice from the same seed, whatever Math.random does', async () => {
    const data = { train: realImages('train', 0, 256), validation: realImages('train', 256, 64) };
    const run = async (): Promise<number[]> => {
      const seeds = runSeeds(config.seed);
      const model = buildModel('cnn', seeds.weights);
      const outcome = await trainModel(model, data, config, seededRandom(seeds.data));
      const weights = model.getWeights().at(-1)!.dataSync();
      model.dispose();
      return [outcome.epochs[0].loss, outcome.epochs[0].valAccuracy!, ...Array.from(weights)];
    };
    const first = await run();
    // Math.random is left alone (no process-wide replacement); drawing from it between runs changes nothing.
    for (let i = 0; i < 1000; i++) Math.random();
    expect(await run()).toEqual(first);
  });
});
