import { beforeAll, describe, expect, it } from 'vitest';
import { assignFolds, crossValidate, foldConfig, heldOutProbabilities, probabilitiesAndEmbeddings } from '../../../src/main/labels/cross-validation.ts';
import { shiftImages } from '../../../src/main/ml/data.ts';
import { buildModel } from '../../../src/main/ml/models.ts';
import { initBackend } from '../../../src/main/ml/backend.ts';
import { seededRandom } from '../../../src/main/ml/random.ts';
import { realSplit } from '../../helpers.ts';

describe('out-of-fold probabilities', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('deals each label evenly over the folds', () => {
    const labels = Uint8Array.from({ length: 1000 }, (_, i) => i % 10);
    const fold = assignFolds(labels, 4, 3);
    const perFold = [0, 1, 2, 3].map((f) => fold.filter((x) => x === f).length);
    expect(perFold.every((n) => n === 250 || n === 240 || n === 260)).toBe(true);
  });

  it('judges every image by a model that never saw it: random labels cannot be learned out of fold', async () => {
    // 240 real images with random labels: a model that trained on an image memorises its label (the
    // in-sample accuracy here passes 90%), one that did not is right about one time in ten.
    const { images } = realSplit('train');
    const random = seededRandom(9);
    const n = 240;
    const data = { imageIds: Int32Array.from({ length: n }, (_, i) => i + 1), labels: Uint8Array.from({ length: n }, () => Math.floor(random() * 10)), pixels: new Uint8Array(images.subarray(0, n * 784)) };
    const oof = await crossValidate(data, data.pixels, { model: 'mlp', folds: 3, epochs: 40, seed: 2, batchSize: 16, learningRate: 0.003 }, 1);
    let right = 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let c = 1; c < 10; c++) if (oof!.probabilities[i * 10 + c] > oof!.probabilities[i * 10 + best]) best = c;
      if (best === data.labels[i]) right++;
    }
    expect(right / n).toBeLessThan(0.3);
    expect(oof!.embeddings).toHaveLength(n * 64);
  }, 120_000);

  it('judges a held-out CNN image as the mean over it and its one-pixel shifts, the moves its fold trained on', async () => {
    const { images } = realSplit('train');
    const pixels = new Uint8Array(images.subarray(0, 6 * 784));
    const model = buildModel('cnn', 3);
    const single = async (p: Uint8Array) => (await probabilitiesAndEmbeddings(model, p, 'cnn', false)).probabilities;
    const views = [pixels, shiftImages(pixels, 1, 0), shiftImages(pixels, -1, 0), shiftImages(pixels, 0, 1), shiftImages(pixels, 0, -1)];
    const each = await Promise.all(views.map(single));
    const held = await heldOutProbabilities(model, pixels, 'cnn');
    held.forEach((x, j) => expect(x).toBeCloseTo(each.reduce((s, v) => s + v[j], 0) / views.length, 5));
    expect(Array.from(held)).not.toEqual(Array.from(each[0]));
    model.dispose();
    // The CNN's folds train on shifted copies; the MLP's, which sees each image once, do not.
    expect(foldConfig({ model: 'cnn', folds: 4, epochs: 4, seed: 1 }, 1).augment).toBe(true);
    expect(foldConfig({ model: 'mlp', folds: 4, epochs: 10, seed: 1 }, 1).augment).toBe(false);
  });
});
