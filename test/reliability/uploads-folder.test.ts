/**
 * Issue 11, item 1: starting the web host pruned `<tmp>/fashion-sorter-photos` through a symbolic link
 * another user could plant, deleting the target's old folders. Uploads now live in a folder the app
 * owns; these tests plant links at the old and the new locations and check that nothing outside is touched.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { describe, expect, it } from 'vitest';
import { openWorkspace } from '../../src/main/db/connection.ts';
import { ensureWorkspaceId } from '../../src/main/db/workspace-id.ts';
import { BATCH_MARKER, UPLOAD_KEEP_MS, UploadStore } from '../../src/main/uploads/upload-store.ts';
import { REPO_ROOT, tempDir } from '../helpers.ts';

const MONTH_AGO = new Date(Date.now() - 30 * 24 * 3600 * 1000);

/** A person's folder with old subfolders, as the probe found them: what a planted link points at. */
function victimFolder(root: string): { dir: string; snapshot(): string[] } {
  const dir = path.join(root, 'victim');
  for (const name of ['Holiday 2019', 'Taxes']) {
    fs.mkdirSync(path.join(dir, name), { recursive: true });
    fs.writeFileSync(path.join(dir, name, 'keep.txt'), name);
    fs.utimesSync(path.join(dir, name), MONTH_AGO, MONTH_AGO);
  }
  // Even a copy of the app's own marker must not make the target look like an upload batch.
  const decoy = path.join(dir, `batch-${randomUUID()}`);
  fs.mkdirSync(decoy);
  fs.writeFileSync(path.join(decoy, BATCH_MARKER), JSON.stringify({ app: 'fashion-sorter', state: 'kept' }));
  fs.utimesSync(path.join(decoy, BATCH_MARKER), MONTH_AGO, MONTH_AGO);
  const snapshot = (): string[] => fs.readdirSync(dir, { recursive: true }).map(String).sort();
  return { dir, snapshot };
}

function storeFor(userDataDir: string, id: string = randomUUID()): UploadStore {
  return new UploadStore({ userDataDir, workspaceId: () => id });
}

/** Makes a batch look older than the keep time. */
function age(folder: string, when = MONTH_AGO): void {
  fs.utimesSync(path.join(folder, BATCH_MARKER), when, when);
}

describe('the uploads folder', () => {
  it('starting the web host never follows a link planted at the old temp location, and prunes its own old batches', async () => {
    const root = tempDir();
    const victim = victimFolder(root);
    const before = victim.snapshot();
    const tmp = path.join(root, 'tmp');
    fs.mkdirSync(tmp);
    fs.symlinkSync(victim.dir, path.join(tmp, 'fashion-sorter-photos'));
    const config = path.join(root, 'config');
    const dbPath = path.join(root, 'workspace.db');
    const db = openWorkspace(dbPath);
    const id = ensureWorkspaceId(db);
    db.close();
    // An old batch of the app's own: once it is gone, the host has pruned.
    const canary = await storeFor(path.join(config, 'Fashion Sorter'), id).createBatch();
    age(canary.folder);

    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'src/main/web/main.ts'), '--db', dbPath, '--port', '0', '--allow', root], {
      env: { ...process.env, TMPDIR: tmp, XDG_CONFIG_HOME: config },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const lines: string[] = [];
      readline.createInterface({ input: child.stdout! }).on('line', (line) => lines.push(line));
      await expect.poll(() => lines.some((l) => l.includes('running at')), { timeout: 30_000 }).toBe(true);
      await expect.poll(() => fs.existsSync(canary.folder), { timeout: 10_000 }).toBe(false);
      expect(lines.join('\n')).toContain(`Uploads kept in: ${path.join(config, 'Fashion Sorter', 'uploads')}`);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    expect(victim.snapshot()).toEqual(before);
    expect(fs.statSync(path.join(victim.dir, 'Taxes')).mtimeMs).toBe(MONTH_AGO.getTime());
  });

  it('refuses to create or prune through a link planted as <userData>/uploads', async () => {
    const root = tempDir();
    const victim = victimFolder(root);
    const before = victim.snapshot();
    const userData = path.join(root, 'user-data');
    fs.mkdirSync(userData);
    fs.symlinkSync(victim.dir, path.join(userData, 'uploads'));
    const store = storeFor(userData);
    await expect(store.prune(new Date(), { keepMs: 0, unfinishedMs: 0 })).rejects.toThrow(/uploads is a symbolic link.*nothing in it was touched/);
    await expect(store.createBatch()).rejects.toThrow(/is a symbolic link/);
    expect(victim.snapshot()).toEqual(before);
  });

  it('refuses to create or prune through a link planted as <userData>/uploads/<workspace id>', async () => {
    const root = tempDir();
    const victim = victimFolder(root);
    const before = victim.snapshot();
    const userData = path.join(root, 'user-data');
    const id = randomUUID();
    fs.mkdirSync(path.join(userData, 'uploads'), { recursive: true, mode: 0o700 });
    fs.symlinkSync(victim.dir, path.join(userData, 'uploads', id));
    const store = storeFor(userData, id);
    await expect(store.prune(new Date(), { keepMs: 0, unfinishedMs: 0 })).rejects.toThrow(new RegExp(`${id} is a symbolic link`));
    await expect(store.createBatch()).rejects.toThrow(/is a symbolic link/);
    expect(victim.snapshot()).toEqual(before);
  });

  it('skips a link that looks like a batch, and folders it did not make, and removes only its own old batches', async () => {
    const root = tempDir();
    const victim = victimFolder(root);
    const before = victim.snapshot();
    const userData = path.join(root, 'user-data');
    const store = storeFor(userData);
    const oldKept = await store.createBatch();
    await store.keep(oldKept);
    age(oldKept.folder);
    const young = await store.createBatch();
    await store.keep(young);
    const unfinished = await store.createBatch();
    age(unfinished.folder, new Date(Date.now() - 2 * 24 * 3600 * 1000));
    const youngUnfinished = await store.createBatch();
    const uploadsRoot = path.dirname(oldKept.folder);
    // Look-alikes: a link with the batch name, a batch-named folder without the marker, a folder of another name.
    const link = path.join(uploadsRoot, `batch-${randomUUID()}`);
    fs.symlinkSync(path.join(victim.dir, fs.readdirSync(victim.dir).find((n) => n.startsWith('batch-'))!), link);
    const unmarked = path.join(uploadsRoot, `batch-${randomUUID()}`);
    fs.mkdirSync(unmarked);
    fs.utimesSync(unmarked, MONTH_AGO, MONTH_AGO);
    const other = path.join(uploadsRoot, 'notes');
    fs.mkdirSync(other);
    fs.writeFileSync(path.join(other, BATCH_MARKER), JSON.stringify({ app: 'fashion-sorter', state: 'kept' }));
    age(other);

    const removed = await store.prune(new Date());
    expect(removed.sort()).toEqual([oldKept.folder, unfinished.folder].sort());
    for (const kept of [young.folder, youngUnfinished.folder, link, unmarked, other]) expect(fs.existsSync(kept), kept).toBe(true);
    expect(victim.snapshot()).toEqual(before);
  });

  it('creates every folder with mode 0700, owned by the current user, and narrows a wider one', async () => {
    const userData = path.join(tempDir(), 'user-data');
    fs.mkdirSync(path.join(userData, 'uploads'), { recursive: true, mode: 0o755 });
    fs.chmodSync(path.join(userData, 'uploads'), 0o755);
    const batch = await storeFor(userData).createBatch();
    for (const folder of [path.join(userData, 'uploads'), path.dirname(batch.folder), batch.folder, batch.filesFolder]) {
      const stat = fs.lstatSync(folder);
      expect(stat.mode & 0o777, folder).toBe(0o700);
      expect(stat.uid).toBe(process.getuid!());
    }
  });

  it.runIf(process.getuid?.() === 0)('refuses an uploads folder that belongs to another user', async () => {
    const userData = path.join(tempDir(), 'user-data');
    fs.mkdirSync(path.join(userData, 'uploads'), { recursive: true });
    fs.chownSync(path.join(userData, 'uploads'), 65534, 65534);
    const store = storeFor(userData);
    await expect(store.createBatch()).rejects.toThrow(/belongs to another user \(uid 65534\)/);
    await expect(store.prune(new Date(), { keepMs: UPLOAD_KEEP_MS })).rejects.toThrow(/belongs to another user/);
  });

  it.runIf(process.getuid?.() === 0)('refuses a user-data folder that belongs to another user', async () => {
    const userData = path.join(tempDir(), 'user-data');
    fs.mkdirSync(userData);
    fs.chownSync(userData, 65534, 65534);
    await expect(storeFor(userData).createBatch()).rejects.toThrow(/user-data belongs to another user \(uid 65534\)/);
    expect(fs.readdirSync(userData)).toEqual([]);
  });

  it('refuses a workspace id that is a path, so a foreign workspace file cannot aim the uploads folder', async () => {
    const userData = path.join(tempDir(), 'user-data');
    const store = new UploadStore({ userDataDir: userData, workspaceId: () => '../../elsewhere' });
    await expect(store.createBatch()).rejects.toThrow(/not an id the app made/);
  });
});
