/**
 * Listing the files a person pointed at, and working through many of them a few at a time. Shared by
 * dataset imports (class folders) and photo classification, so both skip the same files.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../shared/errors.ts';
import { PHOTO_EXTENSIONS } from '../../shared/photo-files.ts';

/** Files an operating system leaves in folders; never images, never an error. */
const SYSTEM_FILES = new Set(['thumbs.db', 'desktop.ini', '.ds_store']);

/**
 * Files below a folder, recursively, skipping hidden and system files, in a stable order. A link to a
 * file counts as that file (photos are often linked into class folders); links to folders are never
 * followed, since they can loop. With `strictLinks` (imports, which are all or nothing) a link that leads
 * nowhere or to a folder is refused by name rather than skipped; otherwise a broken link is listed, so
 * that the photo is reported as unreadable, and a folder link is left out.
 */
export async function listFiles(folder: string, options: { strictLinks?: boolean } = {}): Promise<string[]> {
  const entries = await fs.readdir(folder, { withFileTypes: true, recursive: true });
  const files: string[] = [];
  const broken: string[] = [];
  const folderLinks: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.') || SYSTEM_FILES.has(e.name.toLowerCase())) continue;
    const file = path.join(e.parentPath, e.name);
    if (e.isFile()) files.push(file);
    else if (e.isSymbolicLink()) {
      const target = await fs.stat(file).catch(() => null);
      if (!target) broken.push(file);
      else if (target.isFile()) files.push(file);
      else if (target.isDirectory()) folderLinks.push(file);
    }
  }
  if (options.strictLinks) {
    const named = (list: string[]): string => list.slice(0, 5).map((f) => path.relative(folder, f)).join(', ') + (list.length > 5 ? ` and ${list.length - 5} more` : '');
    const many = (list: string[]): boolean => list.length > 1;
    if (broken.length > 0) {
      throw new AppError(
        'import-failed',
        `${folder}: ${named(broken)} ${many(broken) ? 'are links' : 'is a link'} to nothing (the file ${many(broken) ? 'they point to are' : 'it points to is'} gone); remove or fix ${many(broken) ? 'them' : 'it'}. Nothing was imported.`,
      );
    }
    if (folderLinks.length > 0) {
      throw new AppError(
        'import-failed',
        `${folder}: ${named(folderLinks)} ${many(folderLinks) ? 'are links' : 'is a link'} to a folder, which the importer does not follow (links can loop); copy or move those photos into the class folder. Nothing was imported.`,
      );
    }
  } else {
    files.push(...broken);
  }
  return files.sort();
}

const PHOTO_ENDINGS = new Set(PHOTO_EXTENSIONS.map((ext) => `.${ext}`));

/** Expands folders into the photos inside them (recursively); files given by name are all kept. */
export async function expandPhotoPaths(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const given of paths) {
    const stat = await fs.stat(given).catch(() => null);
    if (stat?.isDirectory()) files.push(...(await listFiles(given)).filter((file) => PHOTO_ENDINGS.has(path.extname(file).toLowerCase())));
    else files.push(given);
  }
  return files;
}

/**
 * Runs `work` over `items` with at most `limit` in flight, keeping the order of results. After the first
 * failure no new item is started, and the failure is what the promise rejects with.
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (next < items.length && !failed) {
      const index = next++;
      try {
        results[index] = await work(items[index], index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
