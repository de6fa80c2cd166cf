import fs from 'node:fs/promises';
import path from 'node:path';
import { classFromFolderName } from '../../shared/classes.ts';
import { AppError } from '../../shared/errors.ts';
import type { ImportResult, Split } from '../../shared/types.ts';
import type { Db } from '../db/connection.ts';
import { datasetSummaries } from '../db/datasets.ts';
import { listFiles } from '../files/list-files.ts';
import { classFolderFiles, readClassFolderImages, type LabeledFile } from './class-folders.ts';
import { readKaggleCsv } from './csv.ts';
import { parseIdxFileName, readIdxPair, splitFromFileName, type IdxPair } from './idx.ts';
import type { ImageBatch } from './image-batch.ts';
import { writeImport } from './write-import.ts';

export type { ImportOptions } from '../../shared/types.ts';
import type { ImportOptions } from '../../shared/types.ts';

/** One thing to read, found by looking at the paths a person gave. */
type Source =
  | { kind: 'idx'; pair: IdxPair }
  | { kind: 'csv'; file: string; split: Split }
  | { kind: 'class-folder'; folder: string; files: LabeledFile[]; split: Split };

export const DEFAULT_DATASET_NAME = 'Fashion-MNIST';

const isCsv = (file: string): boolean => /\.csv(\.gz)?$/i.test(file);

function splitFor(file: string, options: ImportOptions, what: string): Split {
  const split = options.split ?? splitFromFileName(path.basename(file));
  if (!split) {
    throw new AppError('import-failed', `${path.basename(file)}: cannot tell whether this ${what} is training or test data from its name; choose a split (--split train or --split test). Nothing was imported.`);
  }
  return split;
}

/** Pairs IDX images files with their labels files by prefix (`train`, `t10k`). */
function pairIdxFiles(files: readonly string[], options: ImportOptions): IdxPair[] {
  const groups = new Map<string, { images?: string; labels?: string }>();
  for (const file of files) {
    const parsed = parseIdxFileName(path.basename(file))!;
    const group = groups.get(parsed.prefix) ?? {};
    if (group[parsed.kind]) {
      throw new AppError('import-failed', `${path.basename(file)}: two ${parsed.kind} files share the prefix "${parsed.prefix}" (${path.basename(group[parsed.kind]!)}). Nothing was imported.`);
    }
    group[parsed.kind] = file;
    groups.set(parsed.prefix, group);
  }
  return [...groups].map(([prefix, group]) => {
    if (!group.images || !group.labels) {
      const have = (group.images ?? group.labels)!;
      const missing = group.images ? 'labels' : 'images';
      throw new AppError('import-failed', `${path.basename(have)}: its ${missing} file (${prefix}-${missing}-idx${missing === 'images' ? 3 : 1}-ubyte.gz) was not given. Nothing was imported.`);
    }
    return { split: splitFor(group.images, options, 'IDX file'), imagesFile: group.images, labelsFile: group.labels };
  });
}

/** Works out what each path is: IDX files, CSV files, a folder of them, or a folder with one subfolder per class. */
async function findSources(paths: readonly string[], options: ImportOptions): Promise<Source[]> {
  const idxFiles: string[] = [];
  const sources: Source[] = [];
  const addFile = (file: string): boolean => {
    if (parseIdxFileName(path.basename(file))) idxFiles.push(file);
    else if (isCsv(file)) sources.push({ kind: 'csv', file, split: splitFor(file, options, 'CSV file') });
    else return false;
    return true;
  };

  for (const typed of paths) {
    // A folder typed with a trailing slash names the same folder; without this, its files' dirname would not match it.
    const given = typed.length > 1 ? typed.replace(/[\\/]+$/, '') || typed : typed;
    const stat = await fs.stat(given).catch(() => null);
    if (!stat) throw new AppError('import-failed', `${given}: no such file or folder. Nothing was imported.`);
    if (!stat.isFile() && !stat.isDirectory()) {
      throw new AppError('import-failed', `${given}: not a file or folder (a device, pipe or socket). Import IDX files, Kaggle CSV files, or a folder with one subfolder per class. Nothing was imported.`);
    }
    if (stat.isFile()) {
      if (!addFile(given)) {
        throw new AppError('import-failed', `${path.basename(given)}: not a dataset file. Import IDX files (train-images-idx3-ubyte.gz and its labels), Kaggle CSV files, or a folder with one subfolder per class. Nothing was imported.`);
      }
      continue;
    }
    // A folder named after a class, given on its own (several such folders dropped at once).
    const ownLabel = classFromFolderName(path.basename(given));
    if (ownLabel !== undefined && !(await classFolderFiles(given))) {
      const files = (await listFiles(given, { strictLinks: true })).map((file) => ({ file, label: ownLabel }));
      sources.push({ kind: 'class-folder', folder: path.dirname(given), files, split: options.split ?? 'train' });
      continue;
    }
    const classFiles = await classFolderFiles(given);
    if (classFiles) {
      sources.push({ kind: 'class-folder', folder: given, files: classFiles, split: options.split ?? 'train' });
      continue;
    }
    // A folder that holds train/ and test/, each with class subfolders.
    const splitFolders = (await fs.readdir(given, { withFileTypes: true })).filter((e) => e.isDirectory() && splitFromFileName(e.name));
    let found = false;
    for (const entry of splitFolders) {
      const folder = path.join(given, entry.name);
      const files = await classFolderFiles(folder);
      if (files) {
        sources.push({ kind: 'class-folder', folder: given, files, split: splitFromFileName(entry.name)! });
        found = true;
      }
    }
    if (found) continue;
    for (const file of await listFiles(given, { strictLinks: true })) {
      if (path.dirname(file) === given && addFile(file)) found = true;
    }
    if (!found) {
      throw new AppError('import-failed', `${path.basename(given)}: this folder holds no IDX or CSV files and no subfolders named after classes. Nothing was imported.`);
    }
  }
  sources.unshift(...pairIdxFiles(idxFiles, options).map((pair) => ({ kind: 'idx' as const, pair })));
  if (sources.length === 0) throw new AppError('import-failed', 'Nothing to import.');
  return sources;
}

function readSource(source: Source): Promise<ImageBatch> {
  switch (source.kind) {
    case 'idx':
      return readIdxPair(source.pair);
    case 'csv':
      return readKaggleCsv(source.file, source.split);
    case 'class-folder':
      return readClassFolderImages(source.files, source.split);
  }
}

function defaultName(sources: readonly Source[]): string {
  const folder = sources.find((s) => s.kind === 'class-folder');
  return folder ? path.basename(folder.folder) : DEFAULT_DATASET_NAME;
}

/** What an import run as a job reports to and hears from (the task manager's TaskContext fits). */
export interface ImportTask {
  signal: AbortSignal;
  progress(done: number, total: number, phase: string): void;
  cancelled(): Error;
}

/**
 * Imports files and folders into a dataset, all or nothing: every source is read and checked
 * before anything is written, and the write shows either all of it or none (see `writeImport`).
 */
export async function importDataset(db: Db, paths: readonly string[], options: ImportOptions, now = new Date(), task?: ImportTask): Promise<ImportResult> {
  const sources = await findSources(paths, options);
  const batches: ImageBatch[] = [];
  // Read one source at a time: large sources already use both cores, and this bounds memory.
  for (const [index, source] of sources.entries()) {
    task?.progress(index, sources.length, 'reading');
    batches.push(await readSource(source));
    // A cancelled import stops before it writes anything: all or nothing still holds.
    if (task?.signal.aborted) throw task.cancelled();
  }
  task?.progress(sources.length, sources.length, 'saving');

  if (batches.every((batch) => batch.labels.length === 0)) {
    const where = sources.map((s) => (s.kind === 'idx' ? s.pair.imagesFile : s.kind === 'csv' ? s.file : s.folder));
    throw new AppError('import-failed', `${[...new Set(where)].join(', ')}: no images found (the class folders are empty, or the files hold no images), so no dataset was made. Nothing was imported.`);
  }
  const name = options.name ?? defaultName(sources);
  const { datasetId, added, skipped } = await writeImport(db, name, batches, now, { onChunk: (done, total) => task?.progress(done, total, 'saving') });
  const [summary] = datasetSummaries(db, datasetId);
  return { ...summary, added, skippedDuplicates: skipped };
}
