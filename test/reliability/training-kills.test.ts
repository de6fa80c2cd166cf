/**
 * Issue 11, item 6: a training run killed at any stage leaves no model and no predictions, and is marked
 * failed at once; a training process that dies just after its save committed is reported as the
 * workspace says (succeeded, with the gate's decision), not as failed.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend } from '../../src/main/app-backend.ts';
import { openWorkspace, type Db } from '../../src/main/db/connection.ts';
import { createRun, failInterruptedRuns, getRun } from '../../src/main/db/runs.ts';
import { importDataset } from '../../src/main/dataset/import-service.ts';
import { resolveTrainConfig, TrainingJobs } from '../../src/main/jobs/training-jobs.ts';
import { activeRunId } from '../../src/main/runs/active-run.ts';
import { isSameProcessAlive, processStartTime } from '../../src/main/runs/process-identity.ts';
import { nodeWorkerLauncher } from '../../src/main/workers/node-launcher.ts';
import { FASHION_MNIST_DIR, tempDir } from '../helpers.ts';
import fs from 'node:fs';

const CLI = path.resolve(import.meta.dirname, '../../src/main/cli/main.ts');
let template: string;

let templateDir: string;
beforeAll(async () => {
  // All of Fashion-MNIST, so that the final save writes 70,000 predictions in many chunks.
  templateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fashion-sorter-kills-'));
  template = path.join(templateDir, 'template.db');
  const db = openWorkspace(template);
  await importDataset(db, [FASHION_MNIST_DIR], {});
  db.close();
});
afterAll(() => fs.rmSync(templateDir, { recursive: true, force: true }));

function copyOfWorkspace(): string {
  const file = path.join(tempDir(), 'w.db');
  fs.copyFileSync(template, file);
  return file;
}

const count = (db: Db, table: string, runId: number): number => (db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE run_id = ?`).get(runId) as { n: number }).n;

/** Polls the workspace (from this process, read-only use) until `check` says the run reached a stage. */
async function waitFor(file: string, check: (db: Db) => number | null, ms = 120_000): Promise<number> {
  const started = Date.now();
  const db = openWorkspace(file);
  try {
    for (;;) {
      const value = check(db);
      if (value !== null) return value;
      if (Date.now() - started > ms) throw new Error('the training run never reached the stage');
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    db.close();
  }
}

type Stage = 'loading' | 'training' | 'saving';

const stageReached: Record<Stage, (db: Db) => number | null> = {
  // The training process is recorded at launch: its pid differs from the CLI's.
  loading: (db) => (db.prepare("SELECT pid FROM runs WHERE status = 'running' AND backend IS NULL AND pid IS NOT NULL").get() as { pid: number } | undefined)?.pid ?? null,
  training: (db) => (db.prepare("SELECT r.pid FROM runs r JOIN run_epochs e ON e.run_id = r.id WHERE r.status = 'running'").get() as { pid: number } | undefined)?.pid ?? null,
  saving: (db) => (db.prepare("SELECT r.pid FROM runs r WHERE r.status = 'running' AND EXISTS (SELECT 1 FROM predictions p WHERE p.run_id = r.id)").get() as { pid: number } | undefined)?.pid ?? null,
};

describe('killing training at each stage', () => {
  for (const stage of ['loading', 'training', 'saving'] as const) {
    it(`the whole CLI killed while ${stage}: the run is failed on the next open, with no model and no predictions`, async () => {
      const file = copyOfWorkspace();
      const cli = spawn(process.execPath, [CLI, 'train', '--model', 'mlp', '--epochs', '2', '--limit', '3000', '--db', file, '--json'], { stdio: 'ignore' });
      const exited = new Promise((resolve) => cli.once('exit', resolve));
      let pid = await waitFor(file, stageReached[stage]);
      if (stage === 'loading') {
        // Wait for the training process, not the CLI that created the run, to be recorded.
        pid = await waitFor(file, (db) => {
          const row = db.prepare("SELECT pid FROM runs WHERE status = 'running'").get() as { pid: number } | undefined;
          return row && row.pid !== cli.pid ? row.pid : null;
        });
      }
      process.kill(pid, 'SIGKILL');
      cli.kill('SIGKILL');
      await exited;
      // SIGKILL takes a moment to end a busy process; "at once" means as soon as it is gone.
      while (isSameProcessAlive(pid, null)) await new Promise((r) => setTimeout(r, 10));

      const backend = openBackend({ dbPath: file, host: 'web' });
      try {
        const run = backend.db.prepare('SELECT id, status, error, pid, process_started FROM runs').get() as { id: number; status: string; error: string };
        expect(run.status).toBe('failed');
        expect(count(backend.db, 'predictions', run.id)).toBe(0);
        expect(count(backend.db, 'model_artifacts', run.id)).toBe(0);
      } finally {
        backend.close();
      }
    });
  }

  it('a training process that dies just after its save committed is reported succeeded, with the stored gate decision', async () => {
    const file = copyOfWorkspace();
    const db = openWorkspace(file);
    const launch = nodeWorkerLauncher();
    const jobs = new TrainingJobs({
      db,
      dbPath: file,
      publish: () => {},
      launch: () => {
        const handle = launch();
        let killed = false;
        return {
          ...handle,
          onMessage: (listener) =>
            handle.onMessage((message) => {
              if (killed) return;
              // The last progress message comes right after the commit: kill it there, before it says "succeeded".
              if (message.type === 'progress' && message.progress.phase === 'saving' && message.progress.fraction === 1) {
                killed = true;
                handle.kill();
                return;
              }
              listener(message);
            }),
        };
      },
    });
    try {
      const { jobId, runId } = jobs.start({ model: 'mlp', epochs: 1, limit: 1000 });
      const final = await jobs.whenFinished(jobId);
      expect(final.state).toBe('succeeded');
      expect(final.promoted).toBe(true);
      expect(getRun(db, runId)).toMatchObject({ status: 'succeeded', promoted: true, promotionReason: expect.stringMatching(/No model was active/) });
      expect(activeRunId(db)).toBe(runId);
    } finally {
      db.close();
    }
  });
});

describe('telling a live training process from a dead or reused pid', () => {
  it('a run whose pid now belongs to another process (start time differs) is failed at once', () => {
    const file = copyOfWorkspace();
    const db = openWorkspace(file);
    const config = resolveTrainConfig(db, { model: 'mlp' });
    const reused = createRun(db, config, new Date(), { pid: process.pid, startedAt: 'linux:1' });
    const live = createRun(db, config, new Date(), { pid: process.pid, startedAt: processStartTime(process.pid) });
    expect(failInterruptedRuns(db, isSameProcessAlive, new Date())).toBe(processStartTime(process.pid) === null ? 0 : 1);
    expect(getRun(db, live)!.status).toBe('running');
    if (processStartTime(process.pid) !== null) expect(getRun(db, reused)).toMatchObject({ status: 'failed', error: expect.stringMatching(/interrupted/) });
    db.close();
  });
});
