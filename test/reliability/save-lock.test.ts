/**
 * Issue 11, item 2: a training run's final save (70,000 predictions) holds the write lock only briefly,
 * in chunks, and stays all or nothing. Prints the measured holds; the README quotes them.
 */
import { describe, expect, it } from 'vitest';
import { importDataset } from '../../src/main/dataset/import-service.ts';
import { insertPredictions } from '../../src/main/db/predictions.ts';
import { createRun, endRun, getRun } from '../../src/main/db/runs.ts';
import { resolveTrainConfig } from '../../src/main/jobs/training-jobs.ts';
import { evaluationOf, topClasses } from '../../src/main/ml/metrics.ts';
import { saveRunResults } from '../../src/main/runs/save-run.ts';
import { FASHION_MNIST_DIR, tempWorkspace } from '../helpers.ts';

describe('the final save of a training run', () => {
  it('writes 70,000 predictions in short transactions, then completes the run in one more; a failed run keeps none', async () => {
    const { db } = tempWorkspace();
    await importDataset(db, [FASHION_MNIST_DIR], {});
    const images = db.prepare("SELECT id, label, split FROM images ORDER BY split = 'test' DESC, id").all() as { id: number; label: number; split: string }[];
    expect(images.length).toBe(70_000);
    const imageIds = Int32Array.from(images.map((i) => i.id));
    const probabilities = new Float32Array(images.length * 10);
    images.forEach((image, k) => (probabilities[k * 10 + image.label] = 1));
    const predictions = { imageIds, ...topClasses(probabilities), probabilities };
    const tests = images.filter((i) => i.split === 'test');
    const evaluation = evaluationOf(0, 'test', Uint8Array.from(tests.map((i) => i.label)), probabilities.subarray(0, tests.length * 10));
    const config = resolveTrainConfig(db, { model: 'mlp' });
    const toSave = {
      model: { topology: '{}', weightSpecs: '[]', weights: Buffer.alloc(400_000) },
      predictions,
      results: { bestEpoch: 1, secondsPerEpoch: 1, testAccuracy: 1, testLoss: 0 },
      evaluation,
      reviewThreshold: 0.9,
    };

    // The old way, for comparison: every prediction in one transaction.
    const single = createRun(db, config, new Date());
    const started = performance.now();
    db.transaction(() => insertPredictions(db, single, predictions))();
    const singleHoldMs = performance.now() - started;
    endRun(db, single, 'failed', 'comparison only', new Date());

    const runId = createRun(db, config, new Date());
    const report = await saveRunResults(db, runId, toSave, () => new Date());
    console.log(
      `70,000 predictions: one transaction held the lock ${singleHoldMs.toFixed(0)} ms; chunked, the longest of ${report.transactions} holds was ${report.longestHoldMs.toFixed(0)} ms (${(singleHoldMs / report.longestHoldMs).toFixed(1)}× shorter)`,
    );
    expect(report.transactions).toBe(15);
    expect(getRun(db, runId)).toMatchObject({ status: 'succeeded', promoted: true });
    expect((db.prepare('SELECT COUNT(*) AS n FROM predictions WHERE run_id = ?').get(runId) as { n: number }).n).toBe(70_000);
    expect((db.prepare('SELECT COUNT(*) AS n FROM predictions WHERE run_id = ?').get(single) as { n: number }).n).toBe(0);

    // A run ended by someone else mid-save: the save stops, and what it wrote is gone.
    const interrupted = createRun(db, config, new Date());
    const save = saveRunResults(db, interrupted, toSave, () => new Date(), {
      onChunk: (done) => {
        if (done === 10_000) endRun(db, interrupted, 'failed', 'The training process stopped.', new Date());
      },
    });
    await expect(save).rejects.toThrow(/ended by another process/);
    expect(getRun(db, interrupted)).toMatchObject({ status: 'failed', promoted: null });
    expect((db.prepare('SELECT COUNT(*) AS n FROM predictions WHERE run_id = ?').get(interrupted) as { n: number }).n).toBe(0);
    expect((db.prepare('SELECT COUNT(*) AS n FROM model_artifacts WHERE run_id = ?').get(interrupted) as { n: number }).n).toBe(0);
  });
});
