/**
 * Error-analysis speed, through the same request handlers the UI calls: opening the Errors view for a
 * run with 70,000 predictions (target ≤ 500 ms) and a confusion cell's first page of images
 * (target ≤ 200 ms). The run is a one-epoch MLP, so its cells are realistically large.
 */
import { insertPredictions } from '../src/main/db/predictions.ts';
import { topClasses } from '../src/main/ml/metrics.ts';
import { completeRun } from '../src/main/db/runs.ts';
import { loadImages } from '../src/main/ml/data.ts';
import { predictProbabilities } from '../src/main/ml/evaluate.ts';
import { median, timed, trainQuickMlp, withFashionWorkspace } from './bench-util.ts';

export async function benchErrors(repeats: number): Promise<Record<string, unknown>> {
  return withFashionWorkspace('errors', async ({ db, handlers }) => {
    const { runId, model } = await trainQuickMlp(db, 1);
    const all = loadImages(db, 1, ['test', 'train']);
    const probabilities = await predictProbabilities(model, all.pixels, 'mlp');
    model.dispose();
    db.transaction(() => {
      insertPredictions(db, runId, { imageIds: all.imageIds, ...topClasses(probabilities), probabilities });
      completeRun(db, runId, { bestEpoch: null, secondsPerEpoch: 1, testAccuracy: 0, testLoss: 0 }, new Date());
    })();

    // What the Errors view asks for when it opens: runs, the active run, its evaluation.
    const openView = async (): Promise<void> => {
      await handlers['run:list'](undefined);
      await handlers['run:active'](undefined);
      await handlers['run:evaluation']({ runId, split: 'test' });
    };
    const evaluation = await handlers['run:evaluation']({ runId, split: 'train' });
    let largest = { trueLabel: 0, predicted: 1, count: 0 };
    evaluation.confusion.forEach((row, t) => row.forEach((n, p) => t !== p && n > largest.count && (largest = { trueLabel: t, predicted: p, count: n })));
    const diagonal = { trueLabel: 1, predicted: 1, count: evaluation.confusion[1][1] };
    const firstPage = (cell: { trueLabel: number; predicted: number }, split: 'test' | 'train') => () =>
      handlers['gallery:page']({ query: { kind: 'cell', runId, split, trueLabel: cell.trueLabel, predicted: cell.predicted }, sort: 'confidence-desc', offset: 0, limit: 120 });

    const measure = async (work: () => Promise<unknown> | unknown): Promise<number[]> => {
      const runs: number[] = [];
      for (let i = 0; i < repeats + 1; i++) {
        const { seconds } = await timed(work);
        if (i > 0) runs.push(Number((seconds * 1000).toFixed(1)));
      }
      return runs;
    };
    const open = await measure(openView);
    const cell = await measure(firstPage(largest, 'train'));
    const big = await measure(firstPage(diagonal, 'train'));
    return {
      predictions: all.imageIds.length,
      openErrorsViewMs: median(open),
      openErrorsViewRuns: open,
      firstCellPageMs: median(cell),
      firstCellPageRuns: cell,
      cellImages: largest.count,
      firstPageOfLargestCellMs: median(big),
      largestCellImages: diagonal.count,
    };
  });
}
