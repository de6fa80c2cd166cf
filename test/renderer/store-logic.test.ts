import { describe, expect, it } from 'vitest';
import { visibleRange } from '../../src/renderer/src/lib/virtual-grid.ts';
import { normalizeRows, withPage, type Gallery } from '../../src/renderer/src/store/errors-slice.ts';
import { applyJobUpdate, currentJob, withEpochs } from '../../src/renderer/src/store/training-slice.ts';
import type { EpochMetrics, GalleryImage, TrainJobUpdate } from '../../src/shared/types.ts';

const progress = { phase: 'training' as const, epoch: 1, epochs: 3, batch: 1, batches: 10, loss: 1, accuracy: 0.5, imagesPerSecond: 100, etaSeconds: 5, fraction: 0.1 };
const update = (fields: Partial<TrainJobUpdate>): TrainJobUpdate => ({ jobId: 'a', kind: 'train', runId: 1, state: 'running', progress, ...fields });
const epoch = (n: number): EpochMetrics => ({ epoch: n, loss: 1 / n, accuracy: 0.5, valLoss: null, valAccuracy: null, learningRate: 0.001, seconds: 1 });

describe('training state', () => {
  it('collects each epoch once, in order, and keeps the latest progress', () => {
    let jobs = applyJobUpdate({}, update({ epoch: epoch(2) }));
    jobs = applyJobUpdate(jobs, update({ epoch: epoch(1) }));
    jobs = applyJobUpdate(jobs, update({ epoch: epoch(2) }));
    jobs = applyJobUpdate(jobs, update({ progress: { ...progress, batch: 7 } }));
    expect(jobs.a.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(jobs.a.update.progress.batch).toBe(7);
  });

  it('after a reload, adds the epochs stored so far to a running job without doubling any', () => {
    const jobs = applyJobUpdate({}, update({ epoch: epoch(3) }));
    const seeded = withEpochs(jobs, 'a', [epoch(1), epoch(2), epoch(3)]);
    expect(seeded.a.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(seeded.a.update).toBe(jobs.a.update);
    expect(withEpochs(jobs, 'missing', [epoch(1)])).toBe(jobs);
  });

  it('follows the chosen job, else a running one, else the latest', () => {
    let jobs = applyJobUpdate({}, update({ jobId: 'old', state: 'succeeded' }));
    jobs = applyJobUpdate(jobs, update({ jobId: 'live' }));
    expect(currentJob(jobs, null)!.update.jobId).toBe('live');
    expect(currentJob(jobs, 'old')!.update.jobId).toBe('old');
    expect(currentJob({}, null)).toBeNull();
  });
});

describe('errors state', () => {
  it('row-normalises a confusion matrix, leaving empty rows at zero', () => {
    const rows = normalizeRows([
      [3, 1],
      [0, 0],
    ]);
    expect(rows).toEqual([
      [0.75, 0.25],
      [0, 0],
    ]);
  });

  it('places pages at their offsets in a sparse gallery', () => {
    const image = (imageId: number): GalleryImage => ({ imageId, split: 'test', label: 6, predicted: 0, confidence: 0.9, labelProbability: 0.05, suspicious: false, pixels: new Uint8Array(784) });
    const empty: Gallery = { query: { kind: 'cell', runId: 1, split: 'test', trueLabel: 6, predicted: 0 }, sort: 'confidence-desc', total: 0, images: {} };
    const gallery = withPage(withPage(empty, 120, [image(9)], 500), 0, [image(1), image(2)], 500);
    expect(gallery.total).toBe(500);
    expect(Object.keys(gallery.images).map(Number)).toEqual([0, 1, 120]);
    expect(gallery.images[120].imageId).toBe(9);
  });

  it('draws only the tiles in view, plus a few rows either side', () => {
    expect(visibleRange(0, 400, 8, 6000)).toEqual({ start: 0, end: 8 * 8 });
    const scrolled = visibleRange(92 * 100, 400, 8, 6000);
    expect(scrolled.start).toBe((100 - 3) * 8);
    expect(scrolled.end - scrolled.start).toBeLessThan(120);
    expect(visibleRange(92 * 1000, 400, 8, 6000).end).toBe(6000);
  });
});
