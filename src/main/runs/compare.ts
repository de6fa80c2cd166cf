import { CLASS_COUNT } from '../../shared/classes.ts';
import { AppError } from '../../shared/errors.ts';
import type { RunComparison } from '../../shared/types.ts';
import type { Db } from '../db/connection.ts';
import { sharedPredictions } from '../db/predictions.ts';

/** Accuracy per class of two runs on the same images, and how many images one fixed or broke. */
export function compareRuns(db: Db, runId: number, otherRunId: number, split: 'test' | 'train'): RunComparison {
  const rows = sharedPredictions(db, runId, otherRunId, split);
  if (rows.length === 0) throw new AppError('not-found', `Runs ${runId} and ${otherRunId} have no ${split} predictions in common.`);
  const support = new Array<number>(CLASS_COUNT).fill(0);
  const correct = [new Array<number>(CLASS_COUNT).fill(0), new Array<number>(CLASS_COUNT).fill(0)];
  let fixed = 0;
  let broken = 0;
  for (const [label, a, b] of rows) {
    support[label]++;
    if (a === label) correct[0][label]++;
    if (b === label) correct[1][label]++;
    if (a !== label && b === label) fixed++;
    if (a === label && b !== label) broken++;
  }
  const total = (k: 0 | 1): number => correct[k].reduce((x, y) => x + y, 0) / rows.length;
  return {
    runId,
    otherRunId,
    split,
    accuracy: [total(0), total(1)],
    perClassAccuracy: support.map((n, c) => [n ? correct[0][c] / n : 0, n ? correct[1][c] / n : 0]),
    fixed,
    broken,
  };
}
