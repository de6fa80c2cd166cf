/**
 * Listing the files a person pointed at, and working through many of them a few at a time. Shared by
 * dataset imports (class folders) and photo classification, so both skip the same files.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { PHOTO_EXTENSIONS } from '../../shared/photo-files.ts';

/** Files an operating system leaves in folders; never images, never an error. */
const SYSTEM_FILES = new Set(['thumbs.db', 'desktop.ini', '.ds_store']);

/** Files below a folder, recursively, skipping hidden and system files, in a stable order. */
export async function listFiles(folder: string): Promise<string[]> {
  const entries = await fs.readdir(folder, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && !e.name.startsWith('.') && !SYSTEM_FILES.has(e.name.toLowerCase()))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
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
