import { describe, expect, it } from 'vitest';
import { importDataset } from '../../../src/main/dataset/import-service.ts';
import { galleryPage, imageDetail, relabelImage, setSuspicious, undoRelabel } from '../../../src/main/db/images.ts';
import { insertPredictions } from '../../../src/main/db/predictions.ts';
import { topClasses } from '../../../src/main/ml/metrics.ts';
import { completeRun, createRun } from '../../../src/main/db/runs.ts';
import { resolveTrainConfig } from '../../../src/main/jobs/training-jobs.ts';
import { activateRun, activeRunId, applyPromotionGate } from '../../../src/main/runs/active-run.ts';
import { compareRuns } from '../../../src/main/runs/compare.ts';
import { workspaceEvaluation } from '../../../src/main/runs/evaluation.ts';
import { tempDir, tempWorkspace, writeIdxSlice } from '../../helpers.ts';

/** A workspace with 40 real test and 60 real train images, and runs whose predictions we choose. */
async function setup() {
  const { db } = tempWorkspace();
  const dir = tempDir();
  writeIdxSlice(dir, 'test', 40);
  writeIdxSlice(dir, 'train', 60);
  await importDataset(db, [dir], {});
  const images = db.prepare('SELECT id, label, split FROM images ORDER BY id').all() as { id: number; label: number; split: string }[];
  /** Stores a succeeded run predicting `predict(image)` with probability `confidence(image)`. */
  const run = (predict: (i: { id: number; label: number }) => number, confidence: (i: { id: number }) => number, accuracy: number): number => {
    const runId = createRun(db, resolveTrainConfig(db, { model: 'mlp' }), new Date());
    const probabilities = new Float32Array(images.length * 10);
    images.forEach((image, k) => {
      const c = confidence(image);
      for (let j = 0; j < 10; j++) probabilities[k * 10 + j] = (1 - c) / 9;
      probabilities[k * 10 + predict(image)] = c;
    });
    db.transaction(() => {
      insertPredictions(db, runId, { imageIds: Int32Array.from(images.map((i) => i.id)), ...topClasses(probabilities), probabilities });
      completeRun(db, runId, { bestEpoch: 1, secondsPerEpoch: 1, testAccuracy: accuracy, testLoss: 1 }, new Date());
    })();
    return runId;
  };
  return { db, images, run };
}

describe('error analysis queries', () => {
  it('a confusion cell gallery holds exactly those images, sorted by confidence, and matches the evaluation', async () => {
    const { db, images, run } = await setup();
    // Every Shirt (6) predicted as T-shirt/top (0), with confidence rising with the id; the rest right.
    const runId = run((i) => (i.label === 6 ? 0 : i.label), (i) => 0.5 + (i.id % 40) / 100, 0.9);
    const shirts = images.filter((i) => i.split === 'test' && i.label === 6);
    const page = galleryPage(db, { kind: 'cell', runId, split: 'test', trueLabel: 6, predicted: 0 }, 'confidence-desc', 0, 100);
    expect(page.total).toBe(shirts.length);
    expect(page.images.map((i) => i.imageId).sort()).toEqual(shirts.map((s) => s.id).sort());
    const confidences = page.images.map((i) => i.confidence);
    expect(confidences).toEqual([...confidences].sort((a, b) => b - a));
    expect(workspaceEvaluation(db, runId, 'test').confusion[6][0]).toBe(shirts.length);
    expect(galleryPage(db, { kind: 'cell', runId, split: 'test', trueLabel: 6, predicted: 0 }, 'confidence-asc', 1, 2).images).toHaveLength(Math.min(2, shirts.length - 1));
  });

  it('relabels at once with history, undoes, and the evaluation follows the corrected labels', async () => {
    const { db, images, run } = await setup();
    const runId = run((i) => i.label, () => 0.9, 1);
    const image = images.find((i) => i.split === 'test')!;
    const other = (image.label + 1) % 10;
    relabelImage(db, image.id, other, 'review', new Date('2026-01-01'));
    relabelImage(db, image.id, other, 'review', new Date('2026-01-02')); // no change, no history
    let detail = imageDetail(db, image.id, runId);
    expect(detail.image.label).toBe(other);
    expect(detail.history).toMatchObject([{ oldLabel: image.label, newLabel: other, origin: 'review' }]);
    expect(detail.prediction!.predicted).toBe(image.label);
    expect(workspaceEvaluation(db, runId, 'test').confusion[other][image.label]).toBe(1);

    undoRelabel(db, image.id, new Date('2026-01-03'));
    detail = imageDetail(db, image.id, runId);
    expect(detail.image.label).toBe(image.label);
    expect(detail.history.map((h) => h.origin)).toEqual(['review', 'undo']);
    setSuspicious(db, image.id, true);
    expect(imageDetail(db, image.id, null)).toMatchObject({ image: { suspicious: true }, prediction: null });
  });

  it('compares two runs: per-class accuracy, and the fixed and broken images', async () => {
    const { db, images, run } = await setup();
    const test = images.filter((i) => i.split === 'test');
    const a = run((i) => (i.label === 6 ? 0 : i.label), () => 0.8, 0.9);
    const b = run((i) => (i.label === 2 ? 4 : i.label), () => 0.8, 0.9);
    const comparison = compareRuns(db, a, b, 'test');
    const shirts = test.filter((i) => i.label === 6).length;
    const pullovers = test.filter((i) => i.label === 2).length;
    expect(comparison).toMatchObject({ fixed: shirts, broken: pullovers });
    expect(comparison.perClassAccuracy[6]).toEqual([0, 1]);
    expect(comparison.perClassAccuracy[2]).toEqual([1, 0]);
    // Run a calls every shirt a T-shirt: T-shirt precision drops to tees/(tees + shirts); run b has no such loss.
    const tees = test.filter((i) => i.label === 0).length;
    expect(comparison.perClass[0][0]).toMatchObject({ recall: 1, precision: tees / (tees + shirts), support: tees });
    expect(comparison.perClass[0][1]).toMatchObject({ recall: 1, precision: 1, f1: 1 });
    expect(comparison.perClass[6][0]).toMatchObject({ recall: 0, f1: 0 });
    const fixed = galleryPage(db, { kind: 'compare', runId: a, otherRunId: b, split: 'test', change: 'fixed' }, 'confidence-desc', 0, 100);
    expect(fixed.total).toBe(shirts);
  });

  it('the promotion gate keeps the more accurate model active unless a person chooses', async () => {
    const { db, run } = await setup();
    const good = run((i) => i.label, () => 0.9, 0.9);
    expect(applyPromotionGate(db, good, 0.9).promoted).toBe(true);
    const worse = run((i) => i.label, () => 0.9, 0.8);
    expect(applyPromotionGate(db, worse, 0.8)).toEqual({ promoted: false, reason: expect.stringMatching(/below run \d+'s 90\.00%/) });
    expect(activeRunId(db)).toBe(good);
    const equal = run((i) => i.label, () => 0.9, 0.9);
    expect(applyPromotionGate(db, equal, 0.9).promoted).toBe(true);
    activateRun(db, worse);
    expect(activeRunId(db)).toBe(worse);
  });
});
