/**
 * Sorting classified photos into `<target>/<Class name>/`: copy (the default) or move, never
 * overwriting anything (a suffix is added instead), with a manifest.csv of what went where.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { CLASS_NAMES, classFolderName } from '../../shared/classes.ts';
import { csvLine } from '../../shared/csv.ts';
import { AppError } from '../../shared/errors.ts';
import type { ClassifiedPhoto, DecidedBy } from '../../shared/types.ts';

export interface SortItem {
  /** The original file. */
  file: string;
  /** The name a person knows it by (never an internal upload path). */
  name: string;
  /** The final class: the person's, else the model's. */
  label: number;
  decidedBy: DecidedBy;
  /** The model's class and confidence, whatever a person decided. */
  predicted: number;
  confidence: number;
  unusual: boolean;
  /** The gate sent it to review and no person has decided it: it goes by the model's class, unseen. */
  needsReview: boolean;
}

/** What to sort of classified photos: each goes by the class a person chose, else the model's; failures are left out. */
export function sortItems(photos: readonly ClassifiedPhoto[]): SortItem[] {
  return photos
    .filter((p) => p.error === null && p.predicted !== null)
    .map((p) => ({ file: p.file, name: p.name, label: p.label ?? p.predicted!, decidedBy: p.decidedBy, predicted: p.predicted!, confidence: p.confidence!, unusual: p.unusual, needsReview: p.needsReview }));
}

/** A file that could not be classified, listed in the manifest with its reason. */
export interface FailedFile {
  name: string;
  error: string;
}

export interface SortOutcome {
  /** `originalKept` says why a moved photo's original is still there (it was copied, but could not be removed). */
  sorted: { file: string; name: string; to: string; className: string; originalKept?: string }[];
  /** Files not sorted, by the name a person knows them by. */
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


/**
 * Sorts every item, carrying on past files that vanished or cannot be read (they are reported), and
 * writes the manifest last, itself never overwriting an earlier one.
 */
export async function sortIntoFolders(items: readonly SortItem[], target: string, options: { move?: boolean; failures?: readonly FailedFile[] } = {}): Promise<SortOutcome> {
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
      const to = await freePath(folder, path.basename(item.name));
      const originalKept = await place(item.file, to, options.move ?? false);
      outcome.sorted.push({ file: item.file, name: item.name, to, className: CLASS_NAMES[item.label], ...(originalKept ? { originalKept } : {}) });
    } catch (error) {
      // Named as the person knows the photo: an uploaded photo's own path is the app's, never shown.
      outcome.failed.push({ file: item.name, error: (await failureReason(error, item.file, folder)).split(item.file).join(item.name) });
    }
  }
  const byFile = new Map(items.map((i) => [i.file, i]));
  const lines = ['file,class,decided_by,model_class,model_confidence,unusual,error,note'];
  for (const s of outcome.sorted) {
    const item = byFile.get(s.file)!;
    lines.push(csvLine([path.relative(target, s.to), s.className, item.decidedBy, CLASS_NAMES[item.predicted], item.confidence.toFixed(4), String(item.unusual), '', [item.needsReview ? 'not reviewed: sorted by the model\'s class' : '', s.originalKept ?? ''].filter(Boolean).join('; ')]));
  }
  for (const f of [...(options.failures ?? []).map((f) => ({ file: f.name, error: f.error })), ...outcome.failed]) {
    lines.push(csvLine([f.file, '', '', '', '', '', f.error, '']));
  }
  outcome.manifest = await freePath(target, 'manifest.csv');
  await fs.writeFile(outcome.manifest, lines.join('\n') + '\n', { flag: 'wx' }).catch(cannotWrite);
  return outcome;
}
