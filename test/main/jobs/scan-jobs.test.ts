import { describe, expect, it } from 'vitest';
import { importDataset } from '../../../src/main/dataset/import-service.ts';
import { getScan, listScans } from '../../../src/main/db/label-scans.ts';
import { nodeScanLauncher, ScanJobs, taskProgress } from '../../../src/main/jobs/scan-jobs.ts';
import { TaskManager } from '../../../src/main/jobs/task-manager.ts';
import type { JobUpdate, TaskJobUpdate } from '../../../src/shared/types.ts';
import { tempDir, tempWorkspace, writeIdxSlice } from '../../helpers.ts';

async function setup() {
  const { db, file } = tempWorkspace();
  const dir = tempDir();
  writeIdxSlice(dir, 'train', 2000);
  await importDataset(db, [dir], {});
  const updates: JobUpdate[] = [];
  const tasks = new TaskManager((u) => updates.push(u));
  return { db, file, tasks, updates };
}

describe('label scans as jobs of the task manager, each in its own process', () => {
  it('reports fold and epoch progress as a scan job and is cancelled within a batch, storing nothing', async () => {
    const { db, file, tasks, updates } = await setup();
    const launch = nodeScanLauncher();
    const scans = new ScanJobs({ db, dbPath: file, tasks, launch });
    let cancelled = false;
    const { jobId, scanId } = scans.start({ model: 'mlp', folds: 4, epochs: 50 }, (p) => {
      // Cancel in the middle of the second fold's first epoch.
      if (!cancelled && p.phase === 'training' && p.fold === 2 && p.batch > 0) {
        cancelled = true;
        scans.cancel(jobId);
      }
    });
    const final = (await scans.whenFinished(jobId)) as TaskJobUpdate;
    expect(final).toMatchObject({ kind: 'scan', state: 'cancelled', subject: { scanId } });
    expect(updates.some((u) => u.kind === 'scan' && /fold 2\/4, epoch 1\/50/.test(u.progress.phase as string))).toBe(true);
    // Stopped within the fold it was in: far from the end.
    expect(final.progress.fraction).toBeLessThan(0.5);
    expect(getScan(db, scanId)).toMatchObject({ status: 'cancelled', issues: null });
    expect(db.prepare('SELECT COUNT(*) AS n FROM label_scan_images').get()).toEqual({ n: 0 });
  }, 120_000);

  it('a scan process that dies is marked failed with what it said', async () => {
    const { db, file, tasks } = await setup();
    const launch = nodeScanLauncher();
    const scans = new ScanJobs({
      db,
      dbPath: file,
      tasks,
      launch: () => {
        const handle = launch();
        handle.onMessage((m) => m.type === 'progress' && m.progress.phase === 'training' && handle.kill());
        return handle;
      },
    });
    const { jobId, scanId } = scans.start({ model: 'mlp', folds: 2, epochs: 5 });
    const final = await scans.whenFinished(jobId);
    expect(final.state).toBe('failed');
    expect(final.error).toMatch(/The scan process stopped unexpectedly/);
    expect(listScans(db)[0]).toMatchObject({ scanId, status: 'failed' });
  }, 120_000);

  it('follows FASHION_SORTER_MAX_REPLICAS as training does: a bad cap is refused in its words, leaving no scan', async () => {
    const { db, file, tasks } = await setup();
    const scans = new ScanJobs({ db, dbPath: file, tasks, launch: nodeScanLauncher() });
    const before = process.env.FASHION_SORTER_MAX_REPLICAS;
    process.env.FASHION_SORTER_MAX_REPLICAS = 'abc';
    try {
      expect(() => scans.start({ model: 'mlp', folds: 2, epochs: 1 })).toThrow(/FASHION_SORTER_MAX_REPLICAS must be a whole number of at least 1, not "abc"/);
      expect(listScans(db)).toEqual([]);
    } finally {
      if (before === undefined) delete process.env.FASHION_SORTER_MAX_REPLICAS;
      else process.env.FASHION_SORTER_MAX_REPLICAS = before;
    }
  }, 120_000);
});

describe("a scan's progress in words", () => {
  const base = { fold: 1, folds: 4, epoch: 4, epochs: 4, batch: 0, batches: 0, fraction: 0.23 };
  it('names the fold and epoch while training, and keeps the time left through the embedding', () => {
    expect(taskProgress({ ...base, phase: 'training', epoch: 2, etaSeconds: 203.2 }).phase).toBe('fold 1/4, epoch 2/4, about 204 s left');
    expect(taskProgress({ ...base, phase: 'embedding', etaSeconds: 150 }).phase).toBe('embedding, about 150 s left');
    expect(taskProgress({ ...base, phase: 'saving', etaSeconds: null })).toEqual({ phase: 'saving', fraction: 0.23, done: 230, total: 1000 });
  });
});
