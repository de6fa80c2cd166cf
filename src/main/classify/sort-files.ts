/**
 * Sorting classified photos into `<target>/<Class name>/`: copy (the default) or move, never
 * overwriting anything (a suffix is added instead), with a manifest.csv of what went where.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { CLASS_NAMES, classFolderName } from '../../shared/classes.ts';
import { AppError } from '../../shared/errors.ts';
import type { ClassifiedPhoto } from '../../shared/types.ts';

export interface SortItem {
  /** The original file. */
  file: string;
  label: number;
  confidence: number;
  reviewed: boolean;
}

/** What to sort of classified photos: each goes by the class a person chose, else the model's; failures are left out. */
export function sortItems(photos: readonly ClassifiedPhoto[]): SortItem[] {
  return photos
    .filter((p) => p.error === null && p.predicted !== null)
    .map((p) => ({ file: p.file, label: p.label ?? p.predicted!, confidence: p.confidence!, reviewed: p.reviewed }));
}

export interface SortOutcome {
  /** `originalKept` says why a moved photo's original is still there (it was copied, but could not be removed). */
  sorted: { file: string; to: string; className: string; originalKept?: string }[];
  failed: { file: string; error: string }[];
  manifest: string;
}

/**
 * `name.jpg`, then `name (1).jpg`, `name (2).jpg`, … : the first name nothing uses yet. `lstat`, not
 * `access`: a link that leads nowhere still takes its name, and copying over it would fail.
 */
async function freePath(folder: string, name: string): Promise<string> {
  const ext = path.extname(name);
  const stem = path.basename(name, ext);
  for (let n = 0; ; n++) {
    const candidate = path.join(folder, n === 0 ? name : `${stem} (${n})${ext}`);
    try {
      await fs.lstat(candidate);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return candidate;
      throw error;
    }
  }
}

const denied = (error: unknown): boolean => ['EACCES', 'EPERM', 'EROFS'].includes((error as NodeJS.ErrnoException).code ?? '');

/**
 * Copies (or moves) a file to a path that must not exist; fails rather than overwrite if one appears
 * meanwhile. Returns why the original stayed when a move could copy but not remove it.
 */
async function place(from: string, to: string, move: boolean): Promise<string | undefined> {
  await fs.copyFile(from, to, fs.constants.COPYFILE_EXCL);
  if (!move) return undefined;
  try {
    await fs.unlink(from);
    return undefined;
  } catch (error) {
    if (!denied(error)) throw error;
    return `copied, could not remove the original (${path.dirname(from)} is read-only)`;
  }
}

/** Why one photo could not be sorted, in words, telling a source that cannot be read from a target that cannot be written. */
async function failureReason(error: unknown, from: string, folder: string): Promise<string> {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'the file is no longer there';
  if (denied(error)) {
    const readable = await fs.access(from, fs.constants.R_OK).then(() => true, () => false);
    return readable ? `${folder} cannot be written (permission denied); choose a folder you can write to` : 'the file cannot be read (permission denied)';
  }
  return (error as Error).message;
}

const csvField = (value: string | number | boolean): string => {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/**
 * Sorts every item, carrying on past files that vanished or cannot be read (they are reported), and
 * writes the manifest last, itself never overwriting an earlier one.
 */
export async function sortIntoFolders(items: readonly SortItem[], target: string, options: { move?: boolean } = {}): Promise<SortOutcome> {
  const outcome: SortOutcome = { sorted: [], failed: [], manifest: '' };
  const cannotWrite = (error: unknown): never => {
    if (denied(error)) throw new AppError('invalid-argument', `${target} cannot be written (permission denied); nothing was sorted. Choose a folder you can write to.`);
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR' || (error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new AppError('invalid-argument', `${target} is a file, not a folder; nothing was sorted. Choose a folder to sort into.`);
    }
    throw error;
  };
  await fs.mkdir(target, { recursive: true }).catch(cannotWrite);
  await fs.access(target, fs.constants.W_OK).catch(cannotWrite);
  for (const item of items) {
    const folder = path.join(target, classFolderName(item.label));
    try {
      await fs.mkdir(folder, { recursive: true });
      const to = await freePath(folder, path.basename(item.file));
      const originalKept = await place(item.file, to, options.move ?? false);
      outcome.sorted.push({ file: item.file, to, className: CLASS_NAMES[item.label], ...(originalKept ? { originalKept } : {}) });
    } catch (error) {
      outcome.failed.push({ file: item.file, error: await failureReason(error, item.file, folder) });
    }
  }
  const byFile = new Map(items.map((i) => [i.file, i]));
  const lines = ['file,class,confidence,reviewed,note'];
  for (const s of outcome.sorted) {
    const item = byFile.get(s.file)!;
    lines.push([path.relative(target, s.to), s.className, item.confidence.toFixed(4), item.reviewed, s.originalKept ?? ''].map(csvField).join(','));
  }
  outcome.manifest = await freePath(target, 'manifest.csv');
  await fs.writeFile(outcome.manifest, lines.join('\n') + '\n', { flag: 'wx' }).catch(cannotWrite);
  return outcome;
}
