import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, cliWorkspace, tempDir, writeIdxSlice } from '../../helpers.ts';

/** A workspace holding one small dataset, and its file. */
const importedWorkspace = async (): Promise<string> => (await cliWorkspace(40, 10)).db;

describe('the CLI reads its command line in its own words', () => {
  it('creates no workspace for a command refused for its usage', async () => {
    const dir = tempDir();
    for (const args of [['train', '--model', 'mlp', '--lr', '0'], ['train', '--model', 'cnn', '--augment', '--no-augment'], ['label-scan', '--folds', '1'], ['classify', 'x.png', '--run', '0']]) {
      const db = path.join(dir, `${args[0]}-${args.length}.db`);
      expect((await cli(...args, '--db', db)).code).toBe(2);
      expect(fs.existsSync(db)).toBe(false);
    }
  });

  it('refuses --augment with --no-augment before anything starts', async () => {
    const db = await importedWorkspace();

    const result = await cli('train', '--model', 'cnn', '--augment', '--no-augment', '--limit', '10', '--epochs', '1', '--db', db);

    expect(result.code).toBe(2);
    expect(result.err).toBe('fashion-sorter train: --augment and --no-augment cannot be used together. Usage: fashion-sorter train --model mlp|cnn [--epochs N] [--batch N] [--lr X] [--seed N] [--limit N] [--validation F] [--patience N] [--augment | --no-augment] [--no-user-labels] [--leave-out-suspects] [--dataset ID] [--json]\n');
    expect(JSON.parse((await cli('runs', '--db', db, '--json')).out)).toEqual([]);
  });

  it('takes a negative number after an option as its value, and says what is wrong with it as for --option=value', async () => {
    const db = await importedWorkspace();
    const cases: [string[], string, RegExp][] = [
      [['label-issues'], '--top', /--top must be a whole number of at least 1, not "-3"/],
      [['label-issues'], '--scan', /--scan must be a whole number of at least 1, not "-3"/],
      [['label-scans'], '--delete', /--delete must be a whole number of at least 1, not "-3"/],
      [['label-scan'], '--folds', /--folds must be at least 2, not "-3"/],
      [['train', '--model', 'mlp'], '--epochs', /--epochs must be at least 1, not "-3"/],
      [['train', '--model', 'mlp'], '--lr', /--lr must be greater than 0, not "-3"/],
      [['classify', 'photo.png'], '--run', /--run must be greater than 0, not "-3"/],
    ];
    for (const [command, option, message] of cases) {
      const separate = await cli(...command, option, '-3', '--db', db);
      const joined = await cli(...command, `${option}=-3`, '--db', db);
      expect(separate, `${command[0]} ${option} -3`).toMatchObject({ code: 2, err: expect.stringMatching(message) });
      expect(separate.err).toBe(joined.err);
      expect(separate.err.trim().split('\n')).toHaveLength(1);
    }
    // Other values starting with a dash are still refused, in words and without a doubled period.
    const missing = await cli('label-issues', '--top', '--json', '--db', db);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^fashion-sorter label-issues: --top needs a value \(to give one that starts with "-", write --top=VALUE\)\. Usage: /);
    expect(missing.err).not.toMatch(/\.\./);
    // A negative number where an argument goes says how to give one, and that way works.
    expect((await cli('evaluate', '-1', '--db', db)).err).toMatch(/^fashion-sorter evaluate: -1 reads as an option; to give a negative number as an argument, put it after --, as in fashion-sorter evaluate -- -1\. Usage: /);
    expect(await cli('evaluate', '--db', db, '--', '-1')).toMatchObject({ code: 2, err: expect.stringMatching(/<runId> must be greater than 0, not "-1"/) });
  });

  it('names an unknown option in one sentence', async () => {
    const db = await importedWorkspace();

    const result = await cli('datasets', '--bogus', '--db', db);

    expect(result).toEqual({ code: 2, out: '', err: 'fashion-sorter datasets: Unknown option --bogus. Run fashion-sorter datasets --help.\n' });
  });
});

describe('label scans the CLI cannot find', () => {
  it('says where to look for a scan that does not exist', async () => {
    const db = await importedWorkspace();

    const issues = await cli('label-issues', '--scan', '999', '--db', db);
    const deleted = await cli('label-scans', '--delete', '999', '--db', db);

    expect(issues).toMatchObject({ code: 1, err: 'fashion-sorter label-issues: There is no label scan 999. See fashion-sorter label-scans.\n' });
    expect(deleted).toMatchObject({ code: 1, err: 'fashion-sorter label-scans: There is no label scan 999. See fashion-sorter label-scans.\n' });
  });

  it('refuses an id too large to be read exactly, quoting it as typed', async () => {
    const db = await importedWorkspace();
    for (const option of ['--scan', '--delete']) {
      const result = await cli(option === '--scan' ? 'label-issues' : 'label-scans', option, '99999999999999999999', '--db', db);
      expect(result.code, option).toBe(2);
      expect(result.err).toMatch(new RegExp(`${option} must be a whole number of at least 1 and at most 9007199254740991, not "99999999999999999999"`));
      expect(result.err).not.toMatch(/100000000000000000000/);
    }
  });
});

describe('a workspace path where no file exists', () => {
  it('is an error for a command that only reads, and nothing is created', async () => {
    const dir = tempDir();
    const folder = path.join(dir, 'nonexistent-dir');
    const db = path.join(folder, 'ws.db');
    const commands = [['runs'], ['evaluate', '1'], ['export-predictions', '1', '--out', path.join(dir, 'p.csv')], ['export-model', '1', '--out', path.join(dir, 'model')], ['batches'], ['datasets'], ['label-issues'], ['label-scans'], ['label-scans', '--delete', '1']];
    for (const command of commands) {
      const result = await cli(...command, '--db', db);
      expect(result, command.join(' ')).toEqual({
        code: 1,
        out: '',
        err: `fashion-sorter ${command[0]}: No workspace at ${db}. Import a dataset first (fashion-sorter import … --db ${db}), or check the path.\n`,
      });
    }
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('still gets usage errors first from a command that only reads', async () => {
    const db = path.join(tempDir(), 'missing.db');
    expect(await cli('evaluate', 'x', '--db', db)).toMatchObject({ code: 2, err: expect.stringMatching(/<runId> must be a number, not "x"/) });
    expect(await cli('label-issues', '--top', '0', '--db', db)).toMatchObject({ code: 2 });
    expect(fs.existsSync(db)).toBe(false);
  });

  it('becomes a new workspace for a command that writes', async () => {
    const dir = tempDir();
    const data = path.join(dir, 'data');
    fs.mkdirSync(data);
    writeIdxSlice(data, 'test', 10);
    const db = path.join(dir, 'new-folder', 'ws.db');

    expect((await cli('import', data, '--db', db)).code).toBe(0);

    expect(fs.existsSync(db)).toBe(true);
    expect(JSON.parse((await cli('datasets', '--db', db, '--json')).out)).toHaveLength(1);
  });
});
