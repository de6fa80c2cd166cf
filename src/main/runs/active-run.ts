import { AppError } from '../../shared/errors.ts';
import type { Db } from '../db/connection.ts';
import { getRun, newestSucceededRunId } from '../db/runs.ts';
import { getSetting, setSetting } from '../db/settings.ts';

const ACTIVE_RUN = 'active_run_id';

/** The run whose model the app uses: the one a person chose, else the newest run that succeeded. */
export function activeRunId(db: Db): number | null {
  const chosen = Number(getSetting(db, ACTIVE_RUN));
  if (chosen && getRun(db, chosen)?.status === 'succeeded') return chosen;
  return newestSucceededRunId(db);
}

/** Makes a run the active model; only a run that succeeded has a model to use. */
export function activateRun(db: Db, runId: number): void {
  const run = getRun(db, runId);
  if (!run) throw new AppError('not-found', `There is no run ${runId}.`);
  if (run.status !== 'succeeded') throw new AppError('conflict', `Run ${runId} ${run.status === 'running' ? 'is still training' : run.status}; only a finished run can be used.`);
  setSetting(db, ACTIVE_RUN, String(runId));
}

/**
 * The promotion gate: a newly finished run becomes the active model only if it is at least as accurate
 * on the test split as the current one. A person can still choose any run (`activateRun`).
 */
export function promoteIfBetter(db: Db, runId: number): { promoted: boolean; previousRunId: number | null } {
  const candidate = getRun(db, runId);
  if (candidate?.status !== 'succeeded') return { promoted: false, previousRunId: activeRunId(db) };
  const chosen = Number(getSetting(db, ACTIVE_RUN));
  const current = chosen && chosen !== runId ? getRun(db, chosen) : null;
  if (current?.status === 'succeeded' && (current.testAccuracy ?? 0) > (candidate.testAccuracy ?? 0)) return { promoted: false, previousRunId: current.runId };
  setSetting(db, ACTIVE_RUN, String(runId));
  return { promoted: true, previousRunId: current?.runId ?? null };
}
