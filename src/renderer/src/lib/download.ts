import type { Download } from '../../../shared/types.ts';

/** Saves files the back end handed over through the browser's own download, one after another. */
export function saveDownloads(downloads: readonly Download[]): void {
  for (const download of downloads) {
    const url = URL.createObjectURL(new Blob([download.data as Uint8Array<ArrayBuffer>], { type: download.mime }));
    const link = document.createElement('a');
    link.href = url;
    link.download = download.name;
    link.click();
    // The download has started once click() returns; the URL is not needed after that.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}
