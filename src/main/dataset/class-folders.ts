import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CLASS_NAMES, classFromFolderName, PIXELS_PER_IMAGE } from '../../shared/classes.ts';
import { AppError } from '../../shared/errors.ts';
import type { Split } from '../../shared/types.ts';
import { toFashionMnist } from '../imaging/fashion-convert.ts';
import type { ImageBatch } from './image-batch.ts';
import { importError } from './import-error.ts';

/** Files an operating system leaves in folders; never images, never an error. */
const SYSTEM_FILES = new Set(['thumbs.db', 'desktop.ini', '.ds_store']);

export interface LabeledFile {
  file: string;
  label: number;
}

/**
 * Files below a folder, recursively, skipping hidden and system files, in a stable order. A link to a
 * file counts as that file (photos are often linked into class folders); links to folders are not
 * followed, since they can loop, and a link that leads nowhere is refused by name rather than skipped.
 */
export async function listFiles(folder: string): Promise<string[]> {
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
  const named = (list: string[]): string => list.slice(0, 5).map((f) => path.relative(folder, f) || f).join(', ') + (list.length > 5 ? ` and ${list.length - 5} more` : '');
  if (broken.length > 0) {
    throw new AppError('import-failed', `${folder}: ${named(broken)} ${broken.length > 1 ? 'are links' : 'is a link'} to nothing (the file ${broken.length > 1 ? 'they point to are' : 'it points to is'} gone); remove or fix ${broken.length > 1 ? 'them' : 'it'}. Nothing was imported.`);
  }
  if (folderLinks.length > 0) {
    throw new AppError('import-failed', `${folder}: ${named(folderLinks)} ${folderLinks.length > 1 ? 'are links' : 'is a link'} to a folder, which the importer does not follow (links can loop); copy or move those photos into the class folder. Nothing was imported.`);
  }
  return files.sort();
}

/**
 * The files of a folder that has one subfolder per class, each with its label.
 * Returns null when no subfolder names a class, so the caller can try other formats;
 * throws when some do and others do not, since that is almost certainly a typo.
 */
export async function classFolderFiles(folder: string): Promise<LabeledFile[] | null> {
  const entries = await fs.readdir(folder, { withFileTypes: true });
  const subfolders = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.'));
  const matched = subfolders.map((e) => ({ name: e.name, label: classFromFolderName(e.name) }));
  if (!matched.some((m) => m.label !== undefined)) return null;
  const unknown = matched.filter((m) => m.label === undefined).map((m) => m.name);
  if (unknown.length > 0) {
    throw new AppError(
      'import-failed',
      `${path.basename(folder)}: the subfolder${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')} ` +
        `do${unknown.length > 1 ? '' : 'es'} not name a class (expected ${CLASS_NAMES.join(', ')}). Nothing was imported.`,
    );
  }
  const files: LabeledFile[] = [];
  for (const { name, label } of matched) {
    for (const file of await listFiles(path.join(folder, name))) files.push({ file, label: label! });
  }
  return files;
}

/** Runs `work` over `items` with at most `limit` in flight, keeping the order of results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Converts every photo to 28×28; the first unreadable file fails the whole import, naming the file. */
export async function readClassFolderImages(files: readonly LabeledFile[], split: Split): Promise<ImageBatch> {
  const pixels = new Uint8Array(files.length * PIXELS_PER_IMAGE);
  const labels = new Uint8Array(files.length);
  await mapLimit(files, Math.max(2, os.availableParallelism() * 2), async ({ file, label }, index) => {
    try {
      const converted = await toFashionMnist(file);
      pixels.set(converted.pixels, index * PIXELS_PER_IMAGE);
      labels[index] = label;
    } catch (error) {
      throw importError(file, null, error instanceof AppError ? error.message : (error as Error).message);
    }
  });
  return { split, labels, pixels, sourceOf: (index) => files[index].file };
}
