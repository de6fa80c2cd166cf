import { describe, expect, it } from 'vitest';
import { importDataset } from '../../../src/main/dataset/import-service.ts';
import { datasetSummaries } from '../../../src/main/db/datasets.ts';
import { TaskManager } from '../../../src/main/jobs/task-manager.ts';
import type { JobUpdate } from '../../../src/shared/types.ts';
import { tempDir, tempWorkspace, writeIdxSlice } from '../../helpers.ts';

describe('an import run as a job', () => {
  it('reports progress per source and, when cancelled, writes nothing at all', async () => {
    const { db } = tempWorkspace();
    const dir = tempDir();
    writeIdxSlice(dir, 'train', 500);
    writeIdxSlice(dir, 'test', 100);
    const updates: JobUpdate[] = [];
    const tasks = new TaskManager((update) => {
      updates.push(update);
      // Cancel once the first of the two sources has been read.
      if (update.kind === 'import' && update.state === 'running' && update.progress.done === 1) tasks.cancel(update.jobId);
    });

    const { result } = tasks.run('import', (task) => importDataset(db, [dir], {}, new Date(), task));
    await expect(result).rejects.toMatchObject({ code: 'cancelled' });
    expect(updates.at(-1)).toMatchObject({ kind: 'import', state: 'cancelled' });
    expect(datasetSummaries(db)).toEqual([]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM images').get()).toEqual({ n: 0 });
  });

  it('ends succeeded with every source read and saved', async () => {
    const { db } = tempWorkspace();
    const dir = tempDir();
    writeIdxSlice(dir, 'train', 200);
    writeIdxSlice(dir, 'test', 50);
    const updates: JobUpdate[] = [];
    const tasks = new TaskManager((update) => updates.push(update));
    const imported = await tasks.run('import', (task) => importDataset(db, [dir], {}, new Date(), task)).result;
    expect(imported.added).toBe(250);
    expect(updates.at(-1)).toMatchObject({ kind: 'import', state: 'succeeded', progress: { phase: 'saving', done: 2, total: 2, fraction: 1 } });
  });
});
