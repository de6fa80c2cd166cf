import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/main/ml/backend.ts';
import type { LabeledImages } from '../../../src/main/ml/data.ts';
import { buildModel, modelDefaults } from '../../../src/main/ml/models.ts';
import { seededRandom } from '../../../src/main/ml/random.ts';
import { shareOf } from '../../../src/main/ml/data-parallel.ts';
import { trainModel } from '../../../src/main/ml/train.ts';
import type { ModelKind, TrainConfig } from '../../../src/shared/types.ts';
import { realImages } from '../../helpers.ts';

const REPLICA = new URL('../../../src/main/workers/replica-worker.ts', import.meta.url).pathname;


const config = (model: ModelKind, overrides: Partial<TrainConfig>): TrainConfig => ({
  model,
  datasetId: 1,
  ...modelDefaults(model, 'wasm'),
  validationFraction: 0.1,
  seed: 5,
  limit: null,
  includeUserLabels: false,
  patience: 0,
  ...overrides,
});

const empty: LabeledImages = { imageIds: new Int32Array(0), labels: new Uint8Array(0), pixels: new Uint8Array(0) };

describe('data-parallel training on N replicas', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('takes the same steps as training on one thread: averaged half-batch gradients equal the batch gradient', async () => {
    // The MLP has no dropout, so both strategies see the same function; three steps of 100 images.
    const train = realImages('train', 0, 300);
    const settings = config('mlp', { epochs: 1, batchSize: 100 });
    const single = buildModel('mlp', 5);
    const parallel = buildModel('mlp', 5);
    const first = await trainModel(single, { train, validation: empty }, settings, seededRandom(1), { strategy: 'fit' });
    const second = await trainModel(parallel, { train, validation: empty }, settings, seededRandom(1), { strategy: 'data-parallel', replicaScript: REPLICA });
    expect([first.strategy, second.strategy]).toEqual(['fit', 'data-parallel']);
    const a = single.getWeights().map((w) => w.dataSync());
    const b = parallel.getWeights().map((w) => w.dataSync());
    let moved = 0;
    a.forEach((weights, i) => {
      const start = buildModel('mlp', 5).getWeights()[i].dataSync();
      for (let k = 0; k < weights.length; k++) {
        expect(Math.abs(weights[k] - b[i][k])).toBeLessThan(1e-4);
        moved = Math.max(moved, Math.abs(weights[k] - start[k]));
      }
    });
    // And they did move: three Adam steps of 0.001 each.
    expect(moved).toBeGreaterThan(0.002);
    expect(second.epochs[0].loss).toBeCloseTo(first.epochs[0].loss, 3);
    tf.dispose([single, parallel] as never);
  });

  it('three replicas take the same steps as one thread, with each share weighted by its size', async () => {
    // Batches of 100 split 33/33/34 among three replicas, and the last batch of 50 splits 16/17/17:
    // an unweighted average of the shares' mean gradients would differ from the batch's mean.
    const train = realImages('train', 0, 350);
    const settings = config('mlp', { epochs: 2, batchSize: 100 });
    const single = buildModel('mlp', 5);
    const parallel = buildModel('mlp', 5);
    const first = await trainModel(single, { train, validation: empty }, settings, seededRandom(1), { strategy: 'fit' });
    const second = await trainModel(parallel, { train, validation: empty }, settings, seededRandom(1), { strategy: 'data-parallel', replicaScript: REPLICA, replicas: 3 });
    expect(second.strategy).toBe('data-parallel');
    const a = single.getWeights().map((w) => w.dataSync());
    const b = parallel.getWeights().map((w) => w.dataSync());
    let worst = 0;
    a.forEach((weights, i) => weights.forEach((w, k) => (worst = Math.max(worst, Math.abs(w - b[i][k])))));
    expect(worst).toBeLessThan(1e-4);
    expect(second.epochs[1].loss).toBeCloseTo(first.epochs[1].loss, 3);
    tf.dispose([single, parallel] as never);
  });

  it('splits a batch among replicas as evenly as it goes, leaving none out, the larger shares first', () => {
    expect([0, 1, 2].map((i) => shareOf(100, 150, i, 3))).toEqual([[100, 117], [117, 134], [134, 150]]);
    expect([0, 1, 2].map((i) => shareOf(0, 2, i, 3))).toEqual([[0, 1], [1, 2], [2, 2]]);
    expect([0, 1].map((i) => shareOf(7, 8, i, 2))).toEqual([[7, 8], [8, 8]]);
  });

  it('keeps batch normalisation statistics that moved, even with batches of one image on two replicas', async () => {
    // The first replica's moving averages are the ones kept: it must be the one that has the image.
    const model = buildModel('cnn', 5);
    const movingMean = () => model.layers.find((l) => l.getClassName() === 'BatchNormalization')!.getWeights()[2].dataSync().slice();
    const start = movingMean();
    const outcome = await trainModel(model, { train: realImages('train', 0, 6), validation: empty }, config('cnn', { epochs: 1, batchSize: 1, validationFraction: 0 }), seededRandom(5), {
      replicaScript: REPLICA,
      replicas: 2,
    });
    expect(outcome.strategy).toBe('data-parallel');
    const moved = Math.max(...Array.from(movingMean(), (v, i) => Math.abs(v - start[i])));
    expect(moved).toBeGreaterThan(1e-4);
    model.dispose();
  });

  it('trains the CNN: loss falls, validation beats chance, no tensor is left behind', async () => {
    const model = buildModel('cnn', 5);
    const before = tf.memory().numTensors;
    const outcome = await trainModel(model, { train: realImages('train', 0, 600), validation: realImages('train', 600, 200) }, config('cnn', { epochs: 2, batchSize: 32 }), seededRandom(5), {
      replicaScript: REPLICA,
    });
    expect(outcome.strategy).toBe('data-parallel');
    expect(tf.memory().numTensors).toBe(before);
    expect(outcome.epochs[1].loss).toBeLessThan(outcome.epochs[0].loss);
    expect(outcome.epochs[1].valAccuracy!).toBeGreaterThan(0.3);
    model.dispose();
  });

  // Data parallel augments each half-batch in its replica; `fit` augments the whole epoch up front.
  it.each(['data-parallel', 'fit'] as const)('augments reproducibly from the seed (%s)', async (strategy) => {
    const train = realImages('train', 0, 256);
    const weightsAfter = async (augment: boolean): Promise<Float32Array> => {
      const settings = config('mlp', { epochs: 1, batchSize: 64, augment });
      const model = buildModel('mlp', 5);
      await trainModel(model, { train, validation: empty }, settings, seededRandom(1), { strategy, replicaScript: REPLICA });
      const first = model.getWeights()[0].dataSync() as Float32Array;
      model.dispose();
      return first;
    };
    const [plain, augmented, again] = [await weightsAfter(false), await weightsAfter(true), await weightsAfter(true)];
    expect(augmented).toEqual(again);
    expect(augmented).not.toEqual(plain);
  });

  it('cancels within a batch and ends its worker thread', async () => {
    const model = buildModel('cnn', 5);
    const controller = new AbortController();
    const seen: number[] = [];
    const outcome = await trainModel(model, { train: realImages('train', 0, 600), validation: empty }, config('cnn', { epochs: 5, batchSize: 32 }), seededRandom(5), {
      replicaScript: REPLICA,
      signal: controller.signal,
      onBatch: (b) => {
        seen.push(b.batch);
        if (b.batch === 3) controller.abort();
      },
    });
    expect(outcome).toMatchObject({ cancelled: true, epochs: [], strategy: 'data-parallel' });
    expect(seen).toEqual([1, 2, 3]);
    model.dispose();
  });

  it('cancels at an epoch\'s last batch too, when the partner already waits for the next epoch', async () => {
    const model = buildModel('cnn', 5);
    const controller = new AbortController();
    // 320 images in batches of 32: ten steps; the tenth is the epoch's last.
    const outcome = await trainModel(model, { train: realImages('train', 0, 320), validation: empty }, config('cnn', { epochs: 3, batchSize: 32 }), seededRandom(5), {
      replicaScript: REPLICA,
      signal: controller.signal,
      onBatch: (b) => {
        if (b.epoch === 1 && b.batch === 10) controller.abort();
      },
    });
    expect(outcome.cancelled).toBe(true);
    expect(outcome.epochs).toHaveLength(1);
    model.dispose();
  });
});
