/**
 * The original file of a stored photo, for the large view of a reopened batch: the request names the
 * photo, never a path, and the file is the one the workspace recorded for it (the app's uploaded copy,
 * or where a person's file was, or where a sort moved it).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../shared/errors.ts';
import type { PhotoOriginal } from '../../shared/review.ts';
import type { Db } from '../db/connection.ts';
import { getPhoto } from '../db/photos.ts';

/** Originals larger than this are not sent to the window (a message carries at most a few tens of MB). */
export const MAX_ORIGINAL_BYTES = 12 * 1024 * 1024;

/** Formats a browser window shows, by extension; anything else falls back to the 28×28. */
const SHOWN_TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.bmp': 'image/bmp',
  '.avif': 'image/avif',
};

/**
 * Reads a stored photo's original, or says in a few words why it cannot be shown. `mayRead` is the
 * door's rule for which files it may read (it throws to refuse); a missing photo is `not-found`.
 */
export async function readPhotoOriginal(db: Db, photoId: number, mayRead: (file: string) => void): Promise<PhotoOriginal> {
  const row = getPhoto(db, photoId);
  if (!row) throw new AppError('not-found', `There is no photo ${photoId}; its batch may have been deleted.`);
  const file = row.moved_to ?? row.file;
  const mimeType = SHOWN_TYPES[path.extname(file).toLowerCase()];
  if (!mimeType) return { available: false, reason: `The original is a ${path.extname(file) || 'file'} this window cannot show` };
  mayRead(file);
  const stat = await fs.stat(file).catch(() => null);
  if (!stat?.isFile()) return { available: false, reason: 'The original file is gone (deleted or moved elsewhere)' };
  if (stat.size > MAX_ORIGINAL_BYTES) return { available: false, reason: `The original is too large to show here (${(stat.size / 1024 / 1024).toFixed(0)} MB)` };
  const bytes = await fs.readFile(file);
  // Only the photo that was classified is sent: a file replaced since (another picture, or a link to some
  // other file) is not the photo, and may be something nobody chose to show. The check is on the bytes
  // read, so nothing can change between it and the answer.
  const same = row.sha256 !== null ? createHash('sha256').update(bytes).digest('hex') === row.sha256 : looksLikeImage(bytes);
  if (!same) return { available: false, reason: 'The file there has changed since the photo was classified' };
  return { available: true, mimeType, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

/** Whether bytes start like one of the shown formats: for photos stored before their hash was. */
function looksLikeImage(bytes: Buffer): boolean {
  const ascii = (from: number, to: number): string => bytes.subarray(from, to).toString('latin1');
  return (
    (bytes[0] === 0x89 && ascii(1, 4) === 'PNG') ||
    (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) ||
    ascii(0, 4) === 'GIF8' ||
    (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') ||
    ascii(0, 2) === 'BM' ||
    (ascii(4, 8) === 'ftyp' && ['avif', 'avis'].includes(ascii(8, 12)))
  );
}
