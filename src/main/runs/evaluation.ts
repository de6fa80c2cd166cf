import { AppError } from '../../shared/errors.ts';
import type { Evaluation, Split } from '../../shared/types.ts';
import type { Db } from '../db/connection.ts';
import { predictedPairs } from '../db/predictions.ts';
import { getRun } from '../db/runs.ts';
import { evaluationFromPairs } from '../ml/metrics.ts';

/**
 * A run's evaluation on a split, computed from its stored predictions and the images' labels as they
 * are now, so that relabeled images count with their corrected label.
 */
export function workspaceEvaluation(db: Db, runId: number, split: Split): Evaluation {
  const run = getRun(db, runId);
  if (!run) throw new AppError('not-found', `There is no run ${runId}.`);
  if (run.status !== 'succeeded') throw new AppError('not-found', `Run ${runId} has no predictions: it ${run.status === 'running' ? 'is still training' : run.status === 'cancelled' ? 'was cancelled' : run.status}.`);
  const { trueLabels, predicted, probabilityOfTrue } = predictedPairs(db, runId, split);
  return evaluationFromPairs(runId, split, trueLabels, predicted, probabilityOfTrue);
}
