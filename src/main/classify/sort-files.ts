/**
 * Sorting classified photos into `<target>/<Class name>/`: copy (the default) or move, never
 * overwriting anything (a suffix is added instead), with a manifest.csv of what went where.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { CLASS_NAMES, classFolderName } from '../../shared/classes.ts';
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
}

/** What to sort of classified photos: each goes by the class a person chose, else the model's; failures are left out. */
export function sortItems(photos: readonly ClassifiedPhoto[]): SortItem[] {
  return photos
    .filter((p) => p.error === null && p.predicted !== null)
    .map((p) => ({ file: p.file, name: p.name, label: p.label ?? p.predicted!, decidedBy: p.decidedBy, predicted: p.predicted!, confidence: p.confidence!, unusual: p.unusual }));
}

/** A file that could not be classified, listed in the manifest with its reason. */
export interface FailedFile {
  name: string;
  error: string;
}

export interface SortOutcome {
  sorted: { file: string; name: string; to: string; className: string }[];
  /** Files not sorted, by the name a person knows them by. */
  failed: { file: string; error: string }[];
  manifest: string;
}

/** `name.jpg`, then `name (1).jpg`, `name (2).jpg`, … : the first path that does not exist yet. */
async function freePath(folder: string, name: string): Promise<string> {
  const ext = path.extname(name);
  const stem = path.basename(name, ext);
  for (let n = 0; ; n++) {
    const candidate = path.join(folder, n === 0 ? name : `${stem} (${n})${ext}`);
    try {
      await fs.access(candidate);
    } catch {
      return candidate;
    }
  }
}

/** Copies (or moves) a file to a path that must not exist; fails rather than overwrite if one appears meanwhile. */
async function place(from: string, to: string, move: boolean): Promise<void> {
  await fs.copyFile(from, to, fs.constants.COPYFILE_EXCL);
  if (move) await fs.unlink(from);
}

const csvField = (value: string | number | boolean): string => {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/**
 * Sorts every item, carrying on past files that vanished or cannot be read (they are reported), and
 * writes the manifest last, itself never overwriting an earlier one.
 */
export async function sortIntoFolders(items: readonly SortItem[], target: string, options: { move?: boolean; failures?: readonly FailedFile[] } = {}): Promise<SortOutcome> {
  const outcome: SortOutcome = { sorted: [], failed: [], manifest: '' };
  await fs.mkdir(target, { recursive: true });
  for (const item of items) {
    try {
      const folder = path.join(target, classFolderName(item.label));
      await fs.mkdir(folder, { recursive: true });
      const to = await freePath(folder, path.basename(item.name));
      await place(item.file, to, options.move ?? false);
      outcome.sorted.push({ file: item.file, name: item.name, to, className: CLASS_NAMES[item.label] });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason = code === 'ENOENT' ? 'the file is no longer there' : code === 'EACCES' || code === 'EPERM' ? 'the file cannot be read' : (error as Error).message.split(item.file).join(item.name);
      outcome.failed.push({ file: item.name, error: reason });
    }
  }
  const byFile = new Map(items.map((i) => [i.file, i]));
  const lines = ['file,class,decided_by,model_class,model_confidence,unusual,error'];
  for (const s of outcome.sorted) {
    const item = byFile.get(s.file)!;
    lines.push([path.relative(target, s.to), s.className, item.decidedBy, CLASS_NAMES[item.predicted], item.confidence.toFixed(4), item.unusual, ''].map(csvField).join(','));
  }
  for (const f of [...(options.failures ?? []).map((f) => ({ file: f.name, error: f.error })), ...outcome.failed]) {
    lines.push([f.file, '', '', '', '', '', f.error].map(csvField).join(','));
  }
  outcome.manifest = await freePath(target, 'manifest.csv');
  await fs.writeFile(outcome.manifest, lines.join('\n') + '\n', { flag: 'wx' });
  return outcome;
}
