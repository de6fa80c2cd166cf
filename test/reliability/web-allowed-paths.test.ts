/**
 * Issue 11, item 4: with the token, the web host imported, classified and moved any file the user could
 * reach. Now it accepts a server path only inside the folders given at start (`--allow DIR`, the home
 * folder by default), judged by real path, so a link inside an allowed folder cannot reach out. The CLI,
 * whose user names paths directly, keeps using any path.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { describe, expect, it } from 'vitest';
import { AllowedRoots } from '../../src/main/allowed-roots.ts';
import { openBackend, type Backend } from '../../src/main/app-backend.ts';
import { dispatch } from '../../src/main/handlers.ts';
import { cli, kaggleCsv, REPO_ROOT, tempDir } from '../helpers.ts';

interface Setup {
  backend: Backend;
  allowed: string;
  outside: string;
  dbPath: string;
}

function setup(): Setup {
  const root = tempDir();
  const allowed = path.join(root, 'allowed');
  const outside = path.join(root, 'private');
  fs.mkdirSync(allowed);
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'fashion-mnist_test.csv'), kaggleCsv('test', 20));
  fs.writeFileSync(path.join(allowed, 'fashion-mnist_test.csv'), kaggleCsv('test', 20));
  const dbPath = path.join(root, 'workspace.db');
  const backend = openBackend({ dbPath, host: 'web', userDataDir: path.join(root, 'user-data'), pathGrants: new AllowedRoots([allowed]) });
  return { backend, allowed, outside, dbPath };
}

/** A classified photo of a batch, as the CLI would have left it (the CLI may classify any path). */
function photoOf(backend: Backend, batchId: string, file: string): void {
  backend.db
    .prepare("INSERT INTO photos (batch_id, file, name, classified_at, pixels, background, predicted, confidence, probabilities) VALUES (?, ?, ?, ?, ?, 'light', 0, 0.99, ?)")
    .run(batchId, file, path.basename(file), new Date().toISOString(), Buffer.alloc(784), Buffer.alloc(40));
}

const refusal = (given: string) => ({
  ok: false,
  error: { code: 'unauthorized', message: expect.stringMatching(new RegExp(`^${given.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*only uses files inside the folders it was started with.*--allow`)) },
});

describe('web mode accepts only chosen paths', () => {
  it('imports from an allowed folder, and refuses a file outside it, naming the path and --allow', async () => {
    const { backend, allowed, outside } = setup();
    const outsideFile = path.join(outside, 'fashion-mnist_test.csv');
    expect(await dispatch(backend.handlers, 'dataset:import', { paths: [outsideFile] })).toEqual(refusal(outsideFile));
    expect(await dispatch(backend.handlers, 'dataset:import', { paths: [path.join(allowed, '..', 'private', 'fashion-mnist_test.csv')] })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await dispatch(backend.handlers, 'dataset:list', undefined)).toEqual({ ok: true, value: [] });
    expect(await dispatch(backend.handlers, 'dataset:import', { paths: [path.join(allowed, 'fashion-mnist_test.csv')] })).toMatchObject({ ok: true, value: { images: 20 } });
    backend.close();
  });

  it('judges a link by where it leads: given directly, or anywhere inside a folder given', async () => {
    const { backend, allowed, outside } = setup();
    const link = path.join(allowed, 'looks-local.csv');
    fs.symlinkSync(path.join(outside, 'fashion-mnist_test.csv'), link);
    expect(await dispatch(backend.handlers, 'dataset:import', { paths: [link] })).toMatchObject({
      ok: false,
      error: { code: 'unauthorized', message: expect.stringContaining(`(it leads to ${fs.realpathSync(outside)}`) },
    });
    const folder = path.join(allowed, 'photos', 'deep');
    fs.mkdirSync(folder, { recursive: true });
    fs.symlinkSync(outside, path.join(folder, 'escape'));
    expect(await dispatch(backend.handlers, 'classify:paths', { paths: [path.join(allowed, 'photos')] })).toEqual(refusal(path.join(folder, 'escape')));
    backend.close();
  });

  it('refuses classify:paths outside, and classify:sort into a target outside or through a linked class folder', async () => {
    const { backend, allowed, outside } = setup();
    expect(await dispatch(backend.handlers, 'classify:paths', { paths: [outside] })).toEqual(refusal(outside));
    const batchId = '2c1b5a36-58e4-4c39-9d1d-0d7d4b1c7a11';
    const photo = path.join(allowed, 'shirt.jpg');
    fs.writeFileSync(photo, 'photo');
    photoOf(backend, batchId, photo);
    expect(await dispatch(backend.handlers, 'classify:sort', { batchId, target: path.join(outside, 'sorted') })).toEqual(refusal(path.join(outside, 'sorted')));
    const target = path.join(allowed, 'sorted');
    fs.mkdirSync(target);
    fs.symlinkSync(outside, path.join(target, 'T-shirt-top'));
    expect(await dispatch(backend.handlers, 'classify:sort', { batchId, target })).toEqual(refusal(path.join(target, 'T-shirt-top')));
    expect(fs.readdirSync(outside)).toEqual(['fashion-mnist_test.csv']);
    backend.close();
  });

  it('will not move a private file that a CLI-classified batch names, and the CLI itself still may', async () => {
    const { backend, allowed, outside, dbPath } = setup();
    const secret = path.join(outside, 'secret.jpg');
    fs.writeFileSync(secret, 'private');
    const batchId = '7f0e3c1a-2b4d-4e6f-8a9b-0c1d2e3f4a5b';
    photoOf(backend, batchId, secret);
    const result = await dispatch(backend.handlers, 'classify:sort', { batchId, target: path.join(allowed, 'sorted'), move: true });
    expect(result).toEqual(refusal(secret));
    expect(fs.readFileSync(secret, 'utf8')).toBe('private');
    backend.close();
    // The CLI opens the same back end without the rule: its user names the paths.
    const imported = await cli('import', path.join(outside, 'fashion-mnist_test.csv'), '--db', dbPath);
    expect(imported.code, imported.err).toBe(0);
  });

  it('prints the allowed folders at start (the home folder by default), and names a bad --allow', async () => {
    const home = tempDir();
    const main = path.join(REPO_ROOT, 'src/main/web/main.ts');
    const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') };
    const missing = spawnSync(process.execPath, [main, '--db', path.join(home, 'w.db'), '--allow', path.join(home, 'nope')], { env, encoding: 'utf8', timeout: 30_000 });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(`--allow ${path.join(home, 'nope')}: there is no such folder.`);

    const child = spawn(process.execPath, [main, '--db', path.join(home, 'w.db'), '--port', '0'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    const lines: string[] = [];
    readline.createInterface({ input: child.stdout! }).on('line', (line) => lines.push(line));
    try {
      await expect.poll(() => lines.some((l) => l.includes('running at')), { timeout: 30_000 }).toBe(true);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    expect(lines).toContain(`Files by path only inside: ${fs.realpathSync(home)} (add folders with --allow DIR)`);
  });
});
