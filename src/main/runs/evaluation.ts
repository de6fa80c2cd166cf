import { AppError } from '../../shared/errors.ts';
import type { Evaluation, Split } from '../../shared/types.ts';
import type { Db } from '../db/connection.ts';
import { predictedPairs } from '../db/predictions.ts';
import { getRun } from '../db/runs.ts';
import { classMetrics, confusionMatrix, topConfusions } from '../ml/evaluate.ts';

/** Smallest probability used in the loss, as in training. */
const EPSILON = 1e-7;

/**
 * A run's evaluation on a split, computed from its stored predictions and the images' labels as they
 * are now, so that relabeled images count with their corrected label.
 */
export function workspaceEvaluation(db: Db, runId: number, split: Split): Evaluation {
  const run = getRun(db, runId);
  if (!run) throw new AppError('not-found', `There is no run ${runId}.`);
  if (run.status !== 'succeeded') throw new AppError('not-found', `Run ${runId} has no predictions: it ${run.status === 'running' ? 'is still training' : `${run.status}`}.`);
  const { trueLabels, predicted, probabilityOfTrue } = predictedPairs(db, runId, split);
  const confusion = confusionMatrix(trueLabels, predicted);
  let correct = 0;
  let loss = 0;
  for (let i = 0; i < trueLabels.length; i++) {
    if (trueLabels[i] === predicted[i]) correct++;
    loss -= Math.log(Math.max(EPSILON, probabilityOfTrue[i]));
  }
  const n = Math.max(1, trueLabels.length);
  return { runId, split, images: trueLabels.length, accuracy: correct / n, loss: loss / n, confusion, perClass: classMetrics(confusion), topConfusions: topConfusions(confusion) };
}
