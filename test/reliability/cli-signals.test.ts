/**
 * Ctrl-C and SIGTERM to the CLI while it trains: both cancel after the current batch, the run is
 * recorded as cancelled, and the CLI says so and exits 130 (tester, after issue 14: SIGTERM used to
 * leave the run failed, without a word).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openWorkspace } from '../../src/main/db/connection.ts';
import { cliWorkspace } from '../helpers.ts';

const CLI = path.resolve(import.meta.dirname, '../../src/main/cli/main.ts');

describe('signals to the CLI while it trains', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s cancels the run after its current batch and says so', async (signal) => {
    const { db: file } = await cliWorkspace(3000, 100);
    const child = spawn(process.execPath, [CLI, 'train', '--model', 'mlp', '--epochs', '200', '--batch', '32', '--db', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        // Inside the run: its first epoch has ended.
        if (/^epoch 1:/m.test(out)) resolve();
      }),
    );
    child.kill(signal);
    expect(await exited).toBe(130);
    expect(err).toMatch(/Cancelling after the current batch…\nRun 1 was cancelled\./);
    const check = openWorkspace(file);
    const runs = check.prepare('SELECT status FROM runs').all();
    check.close();
    expect(runs).toEqual([{ status: 'cancelled' }]);
  }, 120_000);
});
