/**
 * How many replicas data-parallel training may use (training and label scans alike): one per core, at
 * most FASHION_SORTER_MAX_REPLICAS when set (to leave cores to other work).
 */
import os from 'node:os';
import { AppError } from '../../shared/errors.ts';

export function replicasAllowed(): number {
  const cores = os.availableParallelism();
  const raw = process.env.FASHION_SORTER_MAX_REPLICAS;
  if (raw === undefined || raw === '') return cores;
  const cap = Number(raw);
  if (!Number.isInteger(cap) || cap < 1) throw new Error(`FASHION_SORTER_MAX_REPLICAS must be a whole number of at least 1, not "${raw}".`);
  return Math.min(cores, cap);
}

/**
 * Refuses a bad FASHION_SORTER_MAX_REPLICAS before a run or scan is created, in the words the training
 * process would use, rather than leaving a failed run behind.
 */
export function checkReplicaSetting(): void {
  try {
    replicasAllowed();
  } catch (error) {
    throw new AppError('invalid-argument', (error as Error).message);
  }
}
