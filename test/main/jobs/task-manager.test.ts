import { describe, expect, it } from 'vitest';
import { TaskManager } from '../../../src/main/jobs/task-manager.ts';
import type { JobUpdate, TaskJobUpdate } from '../../../src/shared/types.ts';

/** A task manager whose published updates are collected. */
function manager() {
  const updates: JobUpdate[] = [];
  return { tasks: new TaskManager((u) => updates.push(u)), updates };
}

describe('TaskManager', () => {
  it('publishes progress as a fraction with its phase, and the final state when the work returns', async () => {
    const { tasks, updates } = manager();
    const { jobId, result } = tasks.run('scan', async (task) => {
      for (let i = 1; i <= 4; i++) task.progress(i, 4, 'scanning');
      return 'done';
    });
    expect(await result).toBe('done');
    const mine = updates.filter((u) => u.jobId === jobId) as TaskJobUpdate[];
    expect(mine.map((u) => u.progress.fraction)).toEqual([0, 0.25, 0.5, 0.75, 1, 1]);
    expect(mine.at(-1)).toMatchObject({ kind: 'scan', state: 'succeeded', progress: { phase: 'scanning', done: 4, total: 4 } });
    expect(tasks.running()).toEqual([]);
    expect(await tasks.whenFinished(jobId)).toEqual(mine.at(-1));
  });

  it('ends a failing job as failed with its message, and the caller still sees the error', async () => {
    const { tasks, updates } = manager();
    const { result } = tasks.run('import', async () => {
      throw new Error('row 3 has 5 columns');
    });
    await expect(result).rejects.toThrow(/row 3/);
    expect(updates.at(-1)).toMatchObject({ kind: 'import', state: 'failed', error: 'row 3 has 5 columns' });
  });

  it('cancel aborts the signal; work that stops ends as cancelled, and cancelling an ended job is an error', async () => {
    const { tasks, updates } = manager();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { jobId, result } = tasks.run('classify', async (task) => {
      await gate;
      if (task.signal.aborted) throw task.cancelled();
      return 1;
    });
    expect(tasks.running('classify').map((u) => u.jobId)).toEqual([jobId]);
    tasks.cancel(jobId);
    release();
    await expect(result).rejects.toMatchObject({ code: 'cancelled' });
    expect(updates.at(-1)).toMatchObject({ jobId, state: 'cancelled' });
    expect(() => tasks.cancel(jobId)).toThrow(/not running/);
  });

  it('publishes a tracked job’s final state once, however often its owner reports the end', () => {
    const { tasks, updates } = manager();
    const cancels: string[] = [];
    const job = tasks.track<TaskJobUpdate>({ jobId: 'j', kind: 'scan', state: 'running', progress: { phase: 'x', fraction: 0, done: 0, total: 1 } }, () => cancels.push('j'));
    tasks.cancelAll();
    tasks.cancelAll();
    expect(cancels).toEqual(['j']);
    job.finish('cancelled');
    job.finish('failed', { error: 'late' });
    job.change({ progress: { phase: 'x', fraction: 1, done: 1, total: 1 } });
    expect(updates.map((u) => u.state)).toEqual(['running', 'cancelled']);
  });
});
