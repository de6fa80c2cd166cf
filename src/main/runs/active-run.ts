import { AppError } from '../../shared/errors.ts';
import type { Db } from '../db/connection.ts';
import { pairedTestOutcomes } from '../db/promotion.ts';
import { getRun, newestSucceededRunId, recordPromotion } from '../db/runs.ts';
import { getSetting, setSetting } from '../db/settings.ts';
import { decidePromotion, type GateDecision } from './promotion-gate.ts';

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
 * The promotion gate, run inside the transaction that saves a finished run (before it is marked
 * succeeded): decides against the active model, makes the run active when it passes, and stores the
 * decision and its reason on the run. Whoever sees the save committed sees the decision too.
 */
export function applyPromotionGate(db: Db, runId: number, testAccuracy: number): GateDecision {
  const activeId = activeRunId(db);
  const active = activeId !== null && activeId !== runId ? getRun(db, activeId) : null;
  const decision = decidePromotion({
    candidateRunId: runId,
    candidateAccuracy: testAccuracy,
    active: active ? { runId: active.runId, accuracy: active.testAccuracy } : null,
    paired: active ? pairedTestOutcomes(db, runId, active.runId) : null,
  });
  if (decision.promoted) setSetting(db, ACTIVE_RUN, String(runId));
  recordPromotion(db, runId, decision.promoted, decision.reason);
  return decision;
}
