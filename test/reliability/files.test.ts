/**
 * Issue 11, items 7–9: no silent wrong data, messages that name the file and say what to do, and the
 * odd cases: links, empty imports, other applications' databases, read-only files and folders.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { classFolderName } from '../../src/shared/classes.ts';
import { runCli } from '../../src/main/cli/cli.ts';
import { sortIntoFolders } from '../../src/main/classify/sort-files.ts';
import { openWorkspace } from '../../src/main/db/connection.ts';
import { workspaceError } from '../../src/main/db/workspace-errors.ts';
import { importDataset } from '../../src/main/dataset/import-service.ts';
import { completeRun, createRun } from '../../src/main/db/runs.ts';
import { resolveTrainConfig } from '../../src/main/jobs/training-jobs.ts';
import { initBackend } from '../../src/main/ml/backend.ts';
import { loadImages, splitForTraining } from '../../src/main/ml/data.ts';
import { workspaceSaveHandler } from '../../src/main/ml/model-store.ts';
import { buildModel } from '../../src/main/ml/models.ts';
import { seededRandom } from '../../src/main/ml/random.ts';
import { trainModel } from '../../src/main/ml/train.ts';
import { tempDir, tempWorkspace, TEST_BACKEND, writeIdxSlice } from '../helpers.ts';
import { writePhoto } from '../photo-fixtures.ts';
import { asNobody, giveToNobody, openToAll, whyNoUnprivilegedUser } from './as-nobody.ts';
import { run, runCommand } from './processes.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/class-folders');
const CLI = path.resolve(import.meta.dirname, '../../src/main/cli/main.ts');
const WEB = path.resolve(import.meta.dirname, '../../src/main/web/main.ts');
const SORT = path.join(import.meta.dirname, 'workers/sort-files.ts');

async function cliWith(env: NodeJS.ProcessEnv, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`), env });
  return { code, out, err };
}

const tablesOf = (file: string): string[] => {
  const db = new Database(file, { readonly: true });
  const names = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  db.close();
  return names;
};

describe('which files become a workspace', () => {
  it("refuses another application's SQLite database, by --db and by FASHION_SORTER_DB, and leaves it unchanged", async () => {
    const file = path.join(tempDir(), 'notes.db');
    const other = new Database(file);
    other.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('keep me');");
    other.close();
    const before = fs.readFileSync(file);

    const byFlag = await cliWith({}, 'datasets', '--db', file);
    const byEnv = await cliWith({ FASHION_SORTER_DB: file }, 'import', FIXTURES);
    for (const result of [byFlag, byEnv]) {
      expect(result.code).toBe(1);
      expect(result.err).toContain(`${file} is an SQLite database but not a Fashion Sorter workspace (it holds notes); it was left unchanged.`);
    }
    expect(tablesOf(file)).toEqual(['notes']);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses an empty file unless --new, and any other file; creates a workspace only where nothing exists', async () => {
    const dir = tempDir();
    const empty = path.join(dir, 'empty.db');
    fs.writeFileSync(empty, '');
    expect((await cliWith({}, 'datasets', '--db', empty)).err).toMatch(/empty\.db is an empty file, not a workspace; it was left unchanged\. To make it a new workspace, add --new\./);
    expect(fs.statSync(empty).size).toBe(0);
    expect((await cliWith({}, 'datasets', '--db', empty, '--new')).code).toBe(0);
    expect(tablesOf(empty)).toEqual(expect.arrayContaining(['datasets', 'images', 'runs']));

    const text = path.join(dir, 'notes.txt');
    fs.writeFileSync(text, 'my notes');
    expect((await cliWith({}, 'datasets', '--db', text, '--new')).err).toMatch(/notes\.txt is not a Fashion Sorter workspace \(not an SQLite database\); it was left unchanged/);
    expect(fs.readFileSync(text, 'utf8')).toBe('my notes');

    const fresh = path.join(dir, 'sub', 'fresh.db');
    // Only a command that writes creates it (a read, such as datasets, refuses a path with no file).
    expect((await cliWith({}, 'import', FIXTURES, '--db', fresh)).code).toBe(0);
    expect(tablesOf(fresh)).toEqual(expect.arrayContaining(['datasets']));
  });

  it('the web host refuses such a file too, in one line, without a stack trace', async () => {
    const file = path.join(tempDir(), 'notes.db');
    const other = new Database(file);
    other.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY)');
    other.close();
    const { code, err } = await run([WEB, '--db', file, '--port', '0']);
    expect(code).toBe(1);
    expect(err.trim()).toBe(`${file} is an SQLite database but not a Fashion Sorter workspace (it holds notes); it was left unchanged. Name a new file with --db to create a workspace there.`);
  });

  it('a damaged workspace and a locked one are reported naming the workspace file', async () => {
    const { db, file } = tempWorkspace();
    db.close();
    // Keep the header, ruin the rest: SQLite reports it as malformed.
    const bytes = fs.readFileSync(file);
    bytes.fill(0x42, 100);
    fs.writeFileSync(file, bytes);
    const damaged = await cliWith({}, 'datasets', '--db', file);
    expect(damaged.err).toContain(`The workspace ${file} is damaged`);

    const { db: holder, file: busyFile } = tempWorkspace();
    holder.exec('BEGIN IMMEDIATE');
    const impatient = new Database(busyFile, { timeout: 0 });
    let caught: unknown;
    try {
      impatient.exec('BEGIN IMMEDIATE');
    } catch (error) {
      caught = error;
    }
    impatient.close();
    holder.exec('ROLLBACK');
    expect((workspaceError(caught, busyFile) as Error).message).toMatch(new RegExp(`^The workspace ${busyFile} is locked: .*try again`));
  });
});

describe('imports that would have been silently wrong', () => {
  it('follows links to photos, and refuses a broken link or a link to a folder by name', async () => {
    const dir = tempDir();
    const linked = path.join(dir, 'linked');
    for (const klass of ['Shirt', 't-shirt']) {
      fs.mkdirSync(path.join(linked, klass), { recursive: true });
      for (const name of fs.readdirSync(path.join(FIXTURES, klass))) fs.symlinkSync(path.join(FIXTURES, klass, name), path.join(linked, klass, name));
    }
    const { db } = tempWorkspace();
    expect((await importDataset(db, [linked], {})).added).toBe(3);

    fs.symlinkSync(path.join(dir, 'gone.png'), path.join(linked, 'Shirt', 'gone.png'));
    await expect(importDataset(db, [linked], {})).rejects.toThrow(`${path.join(linked, 'Shirt')}: gone.png is a link to nothing (the file it points to is gone); remove or fix it.`);
    fs.rmSync(path.join(linked, 'Shirt', 'gone.png'));
    fs.symlinkSync(linked, path.join(linked, 'Shirt', 'loop'));
    await expect(importDataset(db, [linked], {})).rejects.toThrow(`${path.join(linked, 'Shirt')}: loop is a link to a folder, which the importer does not follow (links can loop)`);
  });

  it('refuses an import that would make an empty dataset, and a device such as /dev/null', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'shop', 'Shirt'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'shop', 'Trouser'), { recursive: true });
    const { db } = tempWorkspace();
    await expect(importDataset(db, [path.join(dir, 'shop')], {})).rejects.toThrow(/shop: no images found .* so no dataset was made/);
    expect(db.prepare('SELECT COUNT(*) AS n FROM datasets').get()).toEqual({ n: 0 });
    await expect(importDataset(db, ['/dev/null'], {})).rejects.toThrow('/dev/null: not a file or folder (a device, pipe or socket).');
  });
});

describe('sorting into folders: odd cases', () => {
  it('a dangling link where a photo would go takes its name; the photo gets the next one', async () => {
    const source = tempDir();
    const target = tempDir();
    fs.writeFileSync(path.join(source, 'tee.png'), 'tee');
    const classFolder = path.join(target, classFolderName(0));
    fs.mkdirSync(classFolder);
    fs.symlinkSync(path.join(source, 'nowhere.png'), path.join(classFolder, 'tee.png'));
    const outcome = await sortIntoFolders([{ file: path.join(source, 'tee.png'), name: 'tee.png', label: 0, decidedBy: 'accepted', predicted: 0, confidence: 0.9, unusual: false, needsReview: false }], target);
    expect(outcome.failed).toEqual([]);
    expect(outcome.sorted[0].to).toBe(path.join(classFolder, 'tee (1).png'));
  });
});

const noUser = whyNoUnprivilegedUser();
describe.skipIf(noUser !== null)(`read-only files and folders, as an unprivileged user${noUser ? ` (skipped: ${noUser})` : ''}`, () => {
  it('a move from a read-only folder copies, says it could not remove the originals, and lists them in the manifest', async () => {
    const source = tempDir();
    const target = tempDir();
    openToAll(source);
    openToAll(target);
    giveToNobody(target);
    const photos = ['a.png', 'b.png'].map((name) => path.join(source, name));
    for (const photo of photos) fs.writeFileSync(photo, photo);
    fs.chmodSync(source, 0o555);
    const [command, args] = asNobody([SORT, target, 'move', '3', ...photos]);
    const result = JSON.parse((await runCommand(command, args)).out);
    fs.chmodSync(source, 0o755); // so that the folder can be cleaned up
    expect(result.failed).toEqual([]);
    expect(result.sorted.map((s: { originalKept: string }) => s.originalKept)).toEqual(photos.map(() => `copied, could not remove the original (${source} is read-only)`));
    expect(result.manifestText).toContain(`Dress/a.png,Dress,accepted,Dress,0.9000,false,,"copied, could not remove the original (${source} is read-only)"`);
    expect(photos.every((p) => fs.existsSync(p))).toBe(true);
  });

  it('sorting into a folder one cannot write names the folder and says what to do, instead of a raw EACCES', async () => {
    const source = tempDir();
    const target = tempDir();
    openToAll(source);
    openToAll(target);
    fs.writeFileSync(path.join(source, 'a.png'), 'a');
    fs.chmodSync(target, 0o555);
    const [command, args] = asNobody([SORT, target, 'move', '3', path.join(source, 'a.png')]);
    const result = JSON.parse((await runCommand(command, args)).out);
    fs.chmodSync(target, 0o755);
    expect(result).toEqual({ error: `${target} cannot be written (permission denied); nothing was sorted. Choose a folder you can write to.` });
  });

  it('a new workspace in a folder one cannot write is refused naming the file, not with a raw EACCES', async () => {
    const dir = tempDir();
    openToAll(dir);
    const file = path.join(dir, 'new.db');
    // A command that writes, since only those create a workspace.
    const [command, args] = asNobody([CLI, 'import', dir, '--db', file]);
    const result = await runCommand(command, args);
    expect(result.code).toBe(1);
    expect(result.err.trim()).toBe(`fashion-sorter import: The workspace ${file} cannot be created (the folder cannot be written); name a file in a folder you can write to with --db.`);
  });

  it('a read-only workspace in a read-only folder opens read-only, says so, and refuses changes naming the file', async () => {
    const dir = tempDir();
    const data = tempDir();
    writeIdxSlice(data, 'train', 30);
    writeIdxSlice(data, 'test', 10);
    const file = path.join(dir, 'workspace.db');
    const db = openWorkspace(file);
    await importDataset(db, [data], {});
    db.close();
    openToAll(dir);
    openToAll(data);
    fs.chmodSync(file, 0o444);
    fs.chmodSync(dir, 0o555);

    const [command, list] = asNobody([CLI, 'datasets', '--db', file, '--json']);
    const listed = await runCommand(command, list);
    expect(listed.code, listed.err).toBe(0);
    expect(JSON.parse(listed.out)[0]).toMatchObject({ name: 'Fashion-MNIST', images: 40 });
    expect(listed.err).toContain(`the workspace ${file} is read-only; it is shown as it is, and any change is refused.`);

    const [, add] = asNobody([CLI, 'import', data, '--name', 'more', '--db', file]);
    const refused = await runCommand(command, add);
    const left = fs.readdirSync(dir);
    fs.chmodSync(dir, 0o755);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`The workspace ${file} is read-only, so nothing can be saved in it.`);
    expect(left).toEqual(['workspace.db']);
  });

  it('classifying with a read-only workspace is refused up front, naming the file, not blamed on each photo', async () => {
    const dir = tempDir();
    const data = tempDir();
    const photos = tempDir();
    writeIdxSlice(data, 'train', 300);
    const file = path.join(dir, 'workspace.db');
    const db = openWorkspace(file);
    await importDataset(db, [data], {});
    // A real (tiny) trained model, so that nothing but the workspace stands in the way of classifying.
    await initBackend(TEST_BACKEND);
    const config = resolveTrainConfig(db, { model: 'mlp', epochs: 1, batchSize: 64 });
    const runId = createRun(db, config, new Date());
    const model = buildModel('mlp', 1);
    await trainModel(model, splitForTraining(loadImages(db, 1, ['train']), { validationFraction: 0.1, limit: null, random: seededRandom(1) }), config, seededRandom(1));
    await model.save(workspaceSaveHandler(db, runId));
    completeRun(db, runId, { bestEpoch: 1, secondsPerEpoch: 1, testAccuracy: 0.5, testLoss: 1 }, new Date());
    model.dispose();
    db.close();
    const named = [await writePhoto(photos, 0), await writePhoto(photos, 1)];
    openToAll(dir);
    openToAll(photos);
    fs.chmodSync(file, 0o444);
    fs.chmodSync(dir, 0o555);

    const [command, args] = asNobody([CLI, 'classify', ...named, '--db', file]);
    const result = await runCommand(command, args, { FASHION_SORTER_BACKEND: TEST_BACKEND });
    const left = fs.readdirSync(dir);
    fs.chmodSync(dir, 0o755);
    expect(result.code).toBe(1);
    expect(result.err).toContain(`fashion-sorter classify: The workspace ${file} is read-only, so nothing can be saved in it. Make the file and its folder writable, or copy it to a folder you can write to and open the copy.`);
    expect(result.err + result.out).not.toMatch(/readonly database|item-0\.jpg/);
    expect(left).toEqual(['workspace.db']);
  });
});
