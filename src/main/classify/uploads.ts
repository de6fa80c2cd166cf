/**
 * Photos uploaded from a browser, which has no paths to give: kept in a private folder per batch so the
 * batch can be sorted into folders afterwards, and pruned after a week.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Where photos uploaded from a browser are kept, one folder per batch. */
export const UPLOAD_ROOT = path.join(os.tmpdir(), 'fashion-sorter-photos');

/** Uploaded batches are kept this long for sorting, then removed by `pruneUploadedPhotos`. */
export const UPLOAD_KEEP_MS = 7 * 24 * 3600 * 1000;

/**
 * Removes uploaded batches last changed more than `keepMs` ago. They are the app's own copies of what a
 * browser sent (the originals stay wherever the user has them); sorting such a batch afterwards reports
 * its files as gone. Returns the batch folders removed.
 */
export async function pruneUploadedPhotos(now: Date, keepMs = UPLOAD_KEEP_MS, root = UPLOAD_ROOT): Promise<string[]> {
  const entries = await fs.readdir(root, { withFileTypes: true }).catch(() => []);
  const removed: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const folder = path.join(root, entry.name);
    const { mtimeMs } = await fs.stat(folder);
    if (now.getTime() - mtimeMs <= keepMs) continue;
    await fs.rm(folder, { recursive: true, force: true });
    removed.push(folder);
  }
  return removed;
}

/**
 * Writes photos uploaded from a browser (which has no paths to give) into a private folder, each in its
 * own numbered subfolder so that two photos with the same name never collide. They stay there so that
 * the batch can be sorted into folders afterwards.
 */
export async function saveUploadedPhotos(batchId: string, files: readonly { relativePath: string; data: Uint8Array }[], root = UPLOAD_ROOT): Promise<{ paths: string[]; names: string[] }> {
  const folder = path.join(root, batchId);
  const paths: string[] = [];
  const names: string[] = [];
  for (const [index, file] of files.entries()) {
    const name = path.basename(file.relativePath);
    const target = path.join(folder, String(index), name);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, file.data, { flag: 'wx' });
    paths.push(target);
    names.push(name);
  }
  return { paths, names };
}
