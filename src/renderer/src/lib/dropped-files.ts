/** Files from a drop or a file input, with the paths relative to what was dropped. */
export interface PickedFile {
  file: File;
  relativePath: string;
}

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

async function walk(entry: FileSystemEntry, prefix: string, out: PickedFile[]): Promise<void> {
  const relativePath = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ file, relativePath });
    return;
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries returns at most ~100 entries per call; keep asking until it returns none.
  for (let batch = await readEntries(reader); batch.length > 0; batch = await readEntries(reader)) {
    for (const child of batch) await walk(child, relativePath, out);
  }
}

/** Every file in a drop, descending into dropped folders. */
export async function filesFromDrop(transfer: DataTransfer): Promise<{ top: File[]; files: PickedFile[] }> {
  const top = [...transfer.files];
  const entries = [...transfer.items].map((item) => item.webkitGetAsEntry()).filter((e): e is FileSystemEntry => e !== null);
  const files: PickedFile[] = [];
  for (const entry of entries) await walk(entry, '', files);
  // Some drops (and synthetic ones) carry files but no file-system entries.
  if (files.length === 0) files.push(...top.map((file) => ({ file, relativePath: file.name })));
  return { top, files };
}

/** Files from an `<input type=file>`, which gives `webkitRelativePath` for folder picks. */
export function filesFromInput(list: FileList): PickedFile[] {
  return [...list].map((file) => ({ file, relativePath: file.webkitRelativePath || file.name }));
}
