import { describe, expect, it } from 'vitest';
import { importDataset } from '../../../src/main/dataset/import-service.ts';
import { setSuspicious } from '../../../src/main/db/images.ts';
import { confirmLabel } from '../../../src/main/db/label-scans.ts';
import { getRun } from '../../../src/main/db/runs.ts';
import { TrainingJobs } from '../../../src/main/jobs/training-jobs.ts';
import { nodeWorkerLauncher } from '../../../src/main/workers/node-launcher.ts';
import { tempDir, tempWorkspace, writeIdxSlice } from '../../helpers.ts';

describe('training can leave out images whose label is under suspicion', () => {
  it('flagged images sit out when asked, confirmed ones never, and every image still gets a prediction', async () => {
    const { db, file } = tempWorkspace();
    const dir = tempDir();
    writeIdxSlice(dir, 'train', 300);
    writeIdxSlice(dir, 'test', 50);
    await importDataset(db, [dir], {});
    const ids = (db.prepare("SELECT id FROM images WHERE split = 'train' ORDER BY id").all() as { id: number }[]).map((r) => r.id);
    for (const id of ids.slice(0, 30)) setSuspicious(db, id, true);
    // Ten of the flagged were then checked and confirmed with K: they train.
    for (const id of ids.slice(0, 10)) confirmLabel(db, id, new Date());
    const jobs = new TrainingJobs({ db, dbPath: file, launch: nodeWorkerLauncher(), publish: () => {} });

    const train = async (excludeSuspects: boolean): Promise<number> => {
      const { jobId, runId } = jobs.start({ model: 'mlp', epochs: 1, batchSize: 50, validationFraction: 0, excludeSuspects });
      expect((await jobs.whenFinished(jobId)).state).toBe('succeeded');
      const predicted = (db.prepare("SELECT COUNT(*) AS n FROM predictions p JOIN images i ON i.id = p.image_id WHERE p.run_id = ? AND i.split = 'train'").get(runId) as { n: number }).n;
      expect(predicted).toBe(300);
      return getRun(db, runId)!.trainImages!;
    };

    expect(await train(false)).toBe(300);
    expect(await train(true)).toBe(280);
  }, 120_000);
});
