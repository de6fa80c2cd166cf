import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/main/ml/backend.ts';
import type { LabeledImages } from '../../../src/main/ml/data.ts';
import { buildModel, MODEL_DEFAULTS } from '../../../src/main/ml/models.ts';
import { runSeeds, seededRandom } from '../../../src/main/ml/random.ts';
import { trainModel } from '../../../src/main/ml/train.ts';
import type { TrainConfig } from '../../../src/shared/types.ts';
import { realSplit } from '../../helpers.ts';

function realImages(start: number, count: number): LabeledImages {
  const { images, labels } = realSplit('train');
  return {
    imageIds: Int32Array.from({ length: count }, (_, i) => start + i + 1),
    labels: new Uint8Array(labels.subarray(start, start + count)),
    pixels: new Uint8Array(images.subarray(start * 784, (start + count) * 784)),
  };
}

const config: TrainConfig = { model: 'cnn', datasetId: 1, ...MODEL_DEFAULTS.cnn, epochs: 1, batchSize: 32, validationFraction: 0.1, seed: 5, limit: null, includeUserLabels: false };

describe('one seeded random source', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('a CNN with dropout trains the same twice from the same seed, whatever Math.random does', async () => {
    const data = { train: realImages(0, 256), validation: realImages(256, 64) };
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
