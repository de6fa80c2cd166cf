import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/cli.ts';
import { cli, cliWorkspace, tempDir, writeIdxSlice } from '../../helpers.ts';


describe('fashion-sorter CLI', () => {
  it('imports and prints the documented JSON fields, then lists the dataset', async () => {
    const dir = tempDir();
    const data = path.join(dir, 'data');
    const db = path.join(dir, 'w.db');
    (await import('node:fs')).mkdirSync(data);
    writeIdxSlice(data, 'train', 120);
    writeIdxSlice(data, 'test', 30);

    const imported = await cli('import', data, '--db', db, '--json');
    expect(imported.code).toBe(0);
    const summary = JSON.parse(imported.out);
    expect(summary).toMatchObject({ datasetId: 1, images: 150, bySplit: { train: 120, test: 30 } });
    expect(summary.labelCounts).toHaveLength(10);
    expect(summary.labelCounts.reduce((a: number, b: number) => a + b, 0)).toBe(150);

    const listed = await cli('datasets', '--db', db, '--json');
    expect(JSON.parse(listed.out)).toEqual([summary]);
    const table = await cli('datasets', '--db', db);
    expect(table.out).toMatch(/id\s+name\s+images\s+train\s+test\s+user\n\s*1\s+Fashion-MNIST\s+150\s+120\s+30\s+0/);
  });

  it('shows an import job\'s progress on a terminal', async () => {
    const dir = tempDir();
    writeIdxSlice(dir, 'train', 50);
    writeIdxSlice(dir, 'test', 20);
    const status: string[] = [];
    const code = await runCli(['import', dir, '--db', path.join(tempDir(), 'w.db')], { out: () => {}, err: () => {}, env: {}, status: (t) => status.push(t) });
    expect(code).toBe(0);
    expect(status).toEqual(expect.arrayContaining(['Importing: reading, 1 of 2 sources read', 'Importing: saving, 2 of 2 sources read']));
    expect(status.at(-1)).toBe('');
  });

  it('on a terminal, training keeps a line per epoch above its progress line', async () => {
    const { db } = await cliWorkspace(300, 50);
    const out: string[] = [];
    const status: string[] = [];
    const code = await runCli(['train', '--model', 'mlp', '--epochs', '2', '--batch', '50', '--db', db], { out: (t) => out.push(t), err: () => {}, env: {}, status: (t) => status.push(t) });
    expect(code).toBe(0);
    expect(out.filter((line) => /^epoch \d: loss [\d.]+, accuracy [\d.]+%, validation [\d.]+%, [\d.]+ s$/.test(line))).toHaveLength(2);
    expect(status.at(-1)).toBe('');
  }, 60_000);

  it('fails with a non-zero code and one line naming the problem', async () => {
    const db = path.join(tempDir(), 'w.db');
    const result = await cli('import', '/no/such/folder', '--db', db);
    expect(result.code).toBe(1);
    expect(result.err.trim().split('\n')).toHaveLength(1);
    expect(result.err).toMatch(/^fashion-sorter import: \/no\/such\/folder: no such file or folder/);
  });

  it('rejects unknown commands, unknown options and bad values as usage errors', async () => {
    const db = path.join(tempDir(), 'w.db');
    expect((await cli('frobnicate')).code).toBe(2);
    expect((await cli('datasets', '--bogus', '--db', db)).code).toBe(2);
    const split = await cli('import', 'x', '--split', 'validation', '--db', db);
    expect(split.code).toBe(2);
    expect(split.err).toMatch(/--split must be train or test/);
  });

  it('refuses the values the contract refuses, naming the flag, with exit code 2', async () => {
    const db = path.join(tempDir(), 'w.db');
    // The contract's rules, not the CLI's own: a learning rate of 0 and 100,000 epochs used to start.
    const cases: [string[], RegExp][] = [
      [['train', '--model', 'mlp', '--lr', '0'], /--lr must be greater than 0, not "0"/],
      [['train', '--model', 'mlp', '--epochs', '100000'], /--epochs must be at most 500/],
      [['train', '--model', 'mlp', '--batch', '1.5'], /--batch must be a whole number/],
      [['train', '--model', 'mlp', '--validation', 'half'], /--validation must be a number, not "half"/],
      [['evaluate', 'x'], /<runId> must be a number/],
    ];
    for (const [argv, message] of cases) {
      const result = await cli(...argv, '--db', db);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.err).toMatch(message);
    }
  });
});
