import { describe, expect, it } from 'vitest';
import { importDataset } from '../../../src/main/dataset/import-service.ts';
import { insertPredictions } from '../../../src/main/db/predictions.ts';
import { completeRun, createRun, getRun } from '../../../src/main/db/runs.ts';
import { resolveTrainConfig } from '../../../src/main/jobs/training-jobs.ts';
import { activeRunId, applyPromotionGate } from '../../../src/main/runs/active-run.ts';
import { decidePromotion, mcnemarWorseP } from '../../../src/main/runs/promotion-gate.ts';
import { topClasses } from '../../../src/main/ml/metrics.ts';
import { tempDir, tempWorkspace, writeIdxSlice } from '../../helpers.ts';

describe('exact one-sided McNemar test', () => {
  it('matches binomial(b + c, ½) lower tails worked out by hand', () => {
    expect(mcnemarWorseP(0, 5)).toBeCloseTo(1 / 32, 12);
    expect(mcnemarWorseP(1, 9)).toBeCloseTo(11 / 1024, 12);
    expect(mcnemarWorseP(2, 8)).toBeCloseTo(56 / 1024, 12);
    expect(mcnemarWorseP(5, 5)).toBeCloseTo(638 / 1024, 12);
    expect(mcnemarWorseP(0, 0)).toBe(1);
    expect(mcnemarWorseP(7, 0)).toBe(1);
  });

  it('stays exact where 2^n overflows (values from exact rational arithmetic)', () => {
    expect(mcnemarWorseP(40, 60)).toBeCloseTo(0.028443966820490395, 10);
    expect(mcnemarWorseP(450, 550)).toBeCloseTo(0.0008652680424881588, 12);
    expect(mcnemarWorseP(3000, 3100)).toBeCloseTo(0.10247477232578082, 8);
  });
});

describe('the promotion gate decision', () => {
  const paired = (candidateRight: number[], activeRight: number[], b: number, c: number) => ({
    images: 1000,
    support: new Array(10).fill(100),
    candidateRight,
    activeRight,
    candidateOnlyRight: b,
    activeOnlyRight: c,
  });
  const same = new Array(10).fill(90);

  it('promotes the first run, refuses a less accurate one, and gives the reason', () => {
    expect(decidePromotion({ candidateRunId: 2, candidateAccuracy: 0.5, active: null, paired: null })).toMatchObject({ promoted: true });
    const lower = decidePromotion({ candidateRunId: 2, candidateAccuracy: 0.89, active: { runId: 1, accuracy: 0.9 }, paired: paired(same, same, 0, 0) });
    expect(lower).toEqual({ promoted: false, reason: expect.stringMatching(/89\.00% is below run 1's 90\.00%/) });
  });

  it('refuses a run that loses more than 2 points of recall on one class, even when more accurate overall', () => {
    const candidate = [...same];
    candidate[6] = 87; // Shirt: 90% → 87%, 3 points
    candidate[0] = 99;
    const decision = decidePromotion({ candidateRunId: 2, candidateAccuracy: 0.906, active: { runId: 1, accuracy: 0.9 }, paired: paired(candidate, same, 12, 3) });
    expect(decision).toEqual({ promoted: false, reason: expect.stringMatching(/recall of Shirt fell 3\.0 points/) });
    candidate[6] = 88; // exactly 2 points: allowed
    expect(decidePromotion({ candidateRunId: 2, candidateAccuracy: 0.907, active: { runId: 1, accuracy: 0.9 }, paired: paired(candidate, same, 12, 3) }).promoted).toBe(true);
  });

  it('refuses a run significantly worse on the images both were scored on (p < 0.05), not one that is merely different', () => {
    const worse = decidePromotion({ candidateRunId: 2, candidateAccuracy: 0.9, active: { runId: 1, accuracy: 0.9 }, paired: paired(same, same, 40, 60) });
    expect(worse).toEqual({ promoted: false, reason: expect.stringMatching(/significantly worse than run 1 \(exact one-sided McNemar p = 0\.028/) });
    expect(decidePromotion({ candidateRunId: 2, candidateAccuracy: 0.9, active: { runId: 1, accuracy: 0.9 }, paired: paired(same, same, 2, 8) }).promoted).toBe(true);
  });

  it('words the test for people: how many images the runs disagree on, thousands separated, and no exponents', () => {
    const many = same.map((n) => n * 100);
    const decision = decidePromotion({ candidateRunId: 2, candidateAccuracy: 0.9, active: { runId: 1, accuracy: 0.9 }, paired: paired(many, many, 1200, 1900) });
    expect(decision.promoted).toBe(false);
    expect(decision.reason).toContain('McNemar p < 0.0001, below 0.05');
    expect(decision.reason).toMatch(/the two disagree on 3,100: this run got 1,200 of them right, run 1 1,900\.$/);
    expect(decision.reason).not.toMatch(/e-\d/);
  });
});

describe('the gate in the workspace', () => {
  it('compares on the test images both runs predicted, with current labels, and stores the decision on the run', async () => {
    const { db } = tempWorkspace();
    const dir = tempDir();
    writeIdxSlice(dir, 'test', 200);
    writeIdxSlice(dir, 'train', 20);
    await importDataset(db, [dir], {});
    const images = db.prepare('SELECT id, label, split FROM images ORDER BY id').all() as { id: number; label: number; split: string }[];
    const tests = images.filter((i) => i.split === 'test');
    const run = (wrong: (i: { id: number; label: number }, k: number) => boolean): number => {
      const runId = createRun(db, resolveTrainConfig(db, { model: 'mlp' }), new Date());
      const probabilities = new Float32Array(images.length * 10);
      images.forEach((image, k) => (probabilities[k * 10 + (wrong(image, k) ? (image.label + 1) % 10 : image.label)] = 1));
      insertPredictions(db, runId, { imageIds: Int32Array.from(images.map((i) => i.id)), ...topClasses(probabilities), probabilities });
      return runId;
    };
    const accuracyOf = (runId: number): number =>
      (db.prepare("SELECT AVG(p.predicted = i.label) AS a FROM predictions p JOIN images i ON i.id = p.image_id WHERE p.run_id = ? AND i.split = 'test'").get(runId) as { a: number }).a;
    const finish = (runId: number) => {
      const decision = applyPromotionGate(db, runId, accuracyOf(runId));
      completeRun(db, runId, { bestEpoch: 1, secondsPerEpoch: 1, testAccuracy: accuracyOf(runId), testLoss: 1 }, new Date());
      return decision;
    };

    const first = run((_, k) => k % 10 === 0);
    expect(finish(first).promoted).toBe(true);
    // Same accuracy, but every error moved onto one class: that class's recall collapses.
    const firstLabel = tests[0].label;
    const wrongCount = tests.filter((_, k) => k % 10 === 0).length;
    let moved = 0;
    const lopsided = run((image) => image.label === firstLabel && moved++ < wrongCount);
    const decision = finish(lopsided);
    expect(decision.promoted).toBe(false);
    expect(decision.reason).toMatch(/recall of .* fell/);
    expect(getRun(db, lopsided)).toMatchObject({ promoted: false, promotionReason: decision.reason });
    expect(activeRunId(db)).toBe(first);
  });
});
