/** What a classification batch is called in the Batches list and `fashion-sorter batches`: what it holds. */

/** One thing a person dropped, picked or named: a folder or a file, by its own name. */
export interface BatchEntry {
  name: string;
  folder: boolean;
}

const photos = (n: number): string => `${n.toLocaleString('en-US')} photo${n === 1 ? '' : 's'}`;

/**
 * A batch's name from what was dropped: one folder is "shoes/ · 24 photos", several "shoes/, boots/ ·
 * 40 photos" (the first two, then "and N more folders"); files, or files and folders, are named by the
 * first: "IMG_0042.jpg and 11 more" (photos, counted).
 */
export function batchName(entries: readonly BatchEntry[], count: number): string {
  if (entries.length === 0) return photos(count);
  if (entries.every((e) => e.folder)) {
    const shown = entries.slice(0, 2).map((e) => `${e.name}/`).join(', ');
    const more = entries.length > 2 ? ` and ${entries.length - 2} more folder${entries.length === 3 ? '' : 's'}` : '';
    return `${shown}${more} · ${photos(count)}`;
  }
  const first = entries.find((e) => !e.folder)!;
  return count <= 1 ? first.name : `${first.name} and ${(count - 1).toLocaleString('en-US')} more`;
}

/** The top-level entries of an upload, from its files' relative paths (`shoes/a.jpg` came in folder `shoes`). */
export function entriesOfRelativePaths(relativePaths: readonly string[]): BatchEntry[] {
  const seen = new Map<string, BatchEntry>();
  for (const p of relativePaths) {
    const parts = p.split(/[\\/]/).filter(Boolean);
    if (parts.length === 0) continue;
    const name = parts[0];
    if (!seen.has(name)) seen.set(name, { name, folder: parts.length > 1 });
  }
  return [...seen.values()];
}

/**
 * The entries of a batch named by paths on disk: each path given, a folder when it is not itself one of
 * the photo files found.
 */
export function entriesOfPaths(paths: readonly string[], files: readonly string[]): BatchEntry[] {
  const isFile = new Set(files.map(trimSeparators));
  return paths.map((p) => {
    const trimmed = trimSeparators(p);
    return { name: trimmed.split(/[\\/]/).pop() || trimmed, folder: !isFile.has(trimmed) };
  });
}

const trimSeparators = (p: string): string => (p.length > 1 ? p.replace(/[\\/]+$/, '') : p);
