import { describe, expect, it } from 'vitest';
import { createRun, failInterruptedRuns, getRun, HEARTBEAT_TIMEOUT_MS, markRunStarted } from '../../../src/main/db/runs.ts';
import { ensureDataset } from '../../../src/main/db/datasets.ts';
import { modelDefaults } from '../../../src/main/ml/models.ts';
import { tempWorkspace } from '../../helpers.ts';
import type { TrainConfig } from '../../../src/shared/types.ts';

describe('interrupted runs', () => {
  const config: TrainConfig = { model: 'mlp', datasetId: 1, ...modelDefaults('mlp', 'wasm'), validationFraction: 0.1, seed: 1, limit: null, includeUserLabels: false };

  it('fails runs whose process is gone or silent too long, and leaves live ones alone', () => {
    const { db } = tempWorkspace();
    ensureDataset(db, 'd', new Date());
    const start = new Date('2026-01-01T00:00:00Z');
    const dead = createRun(db, config, start);
    markRunStarted(db, dead, { pid: 111, backend: 'wasm', trainImages: 1, validationImages: 0 }, start);
    const alive = createRun(db, config, start);
    markRunStarted(db, alive, { pid: 222, backend: 'wasm', trainImages: 1, validationImages: 0 }, start);
    const silent = createRun(db, config, start);
    markRunStarted(db, silent, { pid: 333, backend: 'wasm', trainImages: 1, validationImages: 0 }, start);
    db.prepare("UPDATE runs SET heartbeat_at = ? WHERE id IN (?, ?)").run(new Date(start.getTime() + HEARTBEAT_TIMEOUT_MS).toISOString(), dead, alive);

    const now = new Date(start.getTime() + HEARTBEAT_TIMEOUT_MS + 1000);
    expect(failInterruptedRuns(db, (pid) => pid !== 111, now)).toBe(2);
    expect(getRun(db, dead)).toMatchObject({ status: 'failed', error: expect.stringMatching(/interrupted/) });
    expect(getRun(db, silent)!.status).toBe('failed');
    expect(getRun(db, alive)!.status).toBe('running');
  });
});
