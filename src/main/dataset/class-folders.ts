import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CLASS_NAMES, classFromFolderName, PIXELS_PER_IMAGE } from '../../shared/classes.ts';
import { AppError } from '../../shared/errors.ts';
import type { Split } from '../../shared/types.ts';
import { listFiles, mapLimit } from '../files/list-files.ts';
import { toFashionMnist } from '../imaging/fashion-convert.ts';
import type { ImageBatch } from './image-batch.ts';
import { importError } from './import-error.ts';

export interface LabeledFile {
  file: string;
  label: number;
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
    for (const file of await listFiles(path.join(folder, name), { strictLinks: true })) files.push({ file, label: label! });
  }
  return files;
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
