import { describe, expect, it } from 'vitest';
import { epochsText, promotionText, runSettings } from '../../src/renderer/src/lib/run-facts.ts';
import { galleryKeptOnSplit, withTotal } from '../../src/renderer/src/store/stale-rules.ts';
import type { RunSummary } from '../../src/shared/types.ts';

const run = (fields: Partial<RunSummary> = {}): RunSummary => ({
  runId: 3,
  datasetId: 1,
  model: 'mlp',
  status: 'succeeded',
  backend: 'wasm',
  error: null,
  createdAt: '2026-11-25T09:00:00Z',
  finishedAt: '2026-11-25T09:01:00Z',
  config: { model: 'mlp', datasetId: 1, epochs: 50, batchSize: 512, learningRate: 0.001, validationFraction: 0.1, seed: 42, limit: 6000, includeUserLabels: true, patience: 10, augment: true },
  epochsCompleted: 23,
  bestEpoch: 13,
  trainImages: 5400,
  validationImages: 600,
  secondsPerEpoch: 0.5,
  testAccuracy: 0.85,
  testLoss: 0.4,
  promoted: null,
  promotionReason: null,
  ...fields,
});

describe('run facts', () => {
  it('shows epochs run against epochs asked, and why they differ', () => {
    expect(epochsText(run())).toBe('23 of 50 (stopped early)');
    expect(epochsText(run({ epochsCompleted: 50 }))).toBe('50 of 50');
    expect(epochsText(run({ status: 'running', epochsCompleted: 2 }))).toBe('2 of 50 so far');
    expect(epochsText(run({ status: 'cancelled', epochsCompleted: 2 }))).toBe('2 of 50 (cancelled)');
  });

  it('lists the limit, validation share and augmentation among the settings', () => {
    const settings = Object.fromEntries(runSettings(run()).map((s) => [s.label, s.value]));
    expect(settings).toMatchObject({
      Images: 'at most 6,000',
      'Validation share': '10% (5,400 trained on, 600 held out)',
      Augmentation: 'on',
      Epochs: '23 of 50 (stopped early), weights of epoch 13',
    });
    expect(Object.fromEntries(runSettings(run({ config: { ...run().config, limit: null, augment: false } })).map((s) => [s.label, s.value]))).toMatchObject({
      Images: 'all training images',
      Augmentation: 'off',
    });
  });

  it("keeps the promotion gate's reason on the run, and says when a person chose otherwise since", () => {
    const reason = 'Not made active: recall of Shirt fell 3.1 points against run 2 (80.0% → 76.9%); the gate allows at most 2.';
    const refused = run({ promoted: false, promotionReason: reason });
    expect(promotionText(refused, 2, undefined)).toBe(reason);
    expect(promotionText(refused, 3, undefined)).toBe(`${reason} A person chose it since.`);
    const made = run({ promoted: true, promotionReason: 'Made active: test accuracy 85.0% against run 2’s 84.0%.' });
    expect(promotionText(made, 3, undefined)).toBe('Made active: test accuracy 85.0% against run 2’s 84.0%.');
    expect(promotionText(made, 4, undefined)).toContain('Another run is active now.');
    // Runs from before the gate stored its reason: what this window saw, else only whether it is active.
    expect(promotionText(run(), 3, true)).toBe('Became the active model when it finished.');
    expect(promotionText(run(), 2, false)).toContain('the active run was more accurate');
    expect(promotionText(run(), 3, undefined)).toBe('The active model.');
    expect(promotionText(run(), 2, undefined)).toBeNull();
  });
});

describe('stale screens', () => {
  it('a gallery of the other split closes when the split changes', () => {
    const cell = { kind: 'cell' as const, runId: 1, split: 'test' as const, trueLabel: 6, predicted: 0 };
    expect(galleryKeptOnSplit(cell, 'test')).toBe(true);
    expect(galleryKeptOnSplit(cell, 'train')).toBe(false);
    expect(galleryKeptOnSplit({ kind: 'compare', runId: 1, otherRunId: 2, split: 'test', change: 'fixed' }, 'train')).toBe(false);
    expect(galleryKeptOnSplit({ kind: 'compare', runId: 1, otherRunId: 2, split: 'train', change: 'broken' }, 'train')).toBe(true);
  });

  it("a gallery's new total drops positions past its end", () => {
    const gallery = { total: 3, images: { 0: 'a', 1: 'b', 2: 'c' } };
    expect(withTotal(gallery, 2)).toEqual({ total: 2, images: { 0: 'a', 1: 'b' } });
    expect(withTotal(gallery, 4).images).toEqual(gallery.images);
  });
});
