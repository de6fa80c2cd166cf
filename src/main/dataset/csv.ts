import fs from 'node:fs';
import zlib from 'node:zlib';
import { CLASS_COUNT, PIXELS_PER_IMAGE } from '../../shared/classes.ts';
import type { Split } from '../../shared/types.ts';
import { GrowableBytes, type ImageBatch } from './image-batch.ts';
import { importError } from './import-error.ts';
import { MAX_IMAGES_PER_FILE } from './idx.ts';

const VALUES_PER_ROW = PIXELS_PER_IMAGE + 1;
const COMMA = 0x2c;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const ZERO = 0x30;
const NINE = 0x39;
/** A Kaggle header is about 7 KB; a first line longer than this is not one (a gzip bomb without newlines). */
export const MAX_HEADER_BYTES = 64 * 1024;

/**
 * Reads a Kaggle Fashion-MNIST CSV (`label,pixel1,…,pixel784`, then one row per image).
 * The file is streamed and parsed byte by byte, so a 130 MB file is never held as one string. A field
 * holds digits only: "1 2" or "\"1\"2" is refused with its line and column, never read as 12. The header
 * line and the number of rows are capped, so a small `.csv.gz` cannot inflate into gigabytes of memory.
 */
export async function readKaggleCsv(file: string, split: Split, options: { maxImages?: number } = {}): Promise<ImageBatch> {
  const maxImages = options.maxImages ?? MAX_IMAGES_PER_FILE;
  const labels = new GrowableBytes(1 << 16);
  const pixels = new GrowableBytes(PIXELS_PER_IMAGE * (1 << 14));

  let line = 1;
  let inHeader = true;
  let header = '';
  let column = 0;
  let value = 0;
  let digits = 0;
  let blankLine = true;
  let carriageReturn = false;

  const fail = (problem: string): never => {
    throw importError(file, `line ${line}`, problem);
  };

  const endValue = (): void => {
    if (digits === 0) fail(`column ${column + 1} is empty or not a whole number`);
    if (column === 0) {
      if (value >= CLASS_COUNT) fail(`label ${value} is outside 0–9`);
      labels.push(value);
    } else if (column < VALUES_PER_ROW) {
      if (value > 255) fail(`pixel${column} is ${value}, outside 0–255`);
      pixels.push(value);
    }
    column++;
    value = 0;
    digits = 0;
  };

  const columnName = (c: number): string => (c === 0 ? 'label' : `pixel${c}`);

  const endRow = (): void => {
    carriageReturn = false;
    if (blankLine) return;
    endValue();
    if (column !== VALUES_PER_ROW) fail(`expected ${VALUES_PER_ROW} values (a label and 784 pixels), found ${column}`);
    if (labels.length > maxImages) fail(`the file holds more than ${maxImages.toLocaleString('en')} images, the most one file may hold; split it into several files`);
    column = 0;
    blankLine = true;
  };

  const checkHeader = (): void => {
    const names = header.replace(/^\uFEFF/, '').trim().split(',').map((n) => n.trim().replace(/^"|"$/g, ''));
    const ok = names.length === VALUES_PER_ROW && names[0] === 'label' && names.every((n, i) => i === 0 || n === `pixel${i}`);
    if (!ok) fail(`the header must be "label,pixel1,…,pixel784"; found "${header.slice(0, 60)}${header.length > 60 ? '…' : ''}"`);
  };

  const input = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  const stream = file.toLowerCase().endsWith('.gz') ? input.pipe(zlib.createGunzip()) : input;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let start = 0;
      if (inHeader) {
        const end = chunk.indexOf(NEWLINE);
        header += chunk.toString('utf8', 0, end === -1 ? Math.min(chunk.length, MAX_HEADER_BYTES + 1) : end);
        if (header.length > MAX_HEADER_BYTES) {
          fail(`the first line runs past ${MAX_HEADER_BYTES / 1024} KB without ending; a Kaggle Fashion-MNIST CSV starts with the header "label,pixel1,…,pixel784"`);
        }
        if (end === -1) continue;
        inHeader = false;
        checkHeader();
        line++;
        start = end + 1;
      }
      for (let i = start; i < chunk.length; i++) {
        const byte = chunk[i];
        if (carriageReturn && byte !== NEWLINE) fail(`column ${column + 1} (${columnName(column)}) holds a carriage return inside the line; a field holds digits only`);
        if (byte >= ZERO && byte <= NINE) {
          value = value * 10 + (byte - ZERO);
          digits++;
          blankLine = false;
        } else if (byte === COMMA) {
          blankLine = false;
          endValue();
        } else if (byte === NEWLINE) {
          endRow();
          line++;
        } else if (byte === CARRIAGE_RETURN) {
          carriageReturn = true;
        } else {
          const sofar = digits > 0 ? String(value) : '';
          const shown = byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`;
          fail(`column ${column + 1} (${columnName(column)}) holds "${sofar}${shown}…": a field holds digits only (no spaces, quotes, signs or decimals); fix the file and import it again`);
        }
      }
    }
  } catch (error) {
    input.destroy();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'Z_BUF_ERROR' || /unexpected end of file/i.test((error as Error).message)) {
      throw importError(file, `line ${line}`, 'the gzip data ends early: the file is cut short (an interrupted download?); download it again');
    }
    if (code?.startsWith('Z_')) throw importError(file, `line ${line}`, `the gzip data is damaged (${(error as Error).message}); download the file again`);
    throw error;
  }
  if (inHeader) {
    if (header.trim() === '') throw importError(file, null, 'the file is empty');
    checkHeader();
  }
  endRow();
  if (labels.length === 0) throw importError(file, null, 'the file has a header but no images');

  return {
    split,
    labels: labels.view(),
    pixels: pixels.view(),
    // Header is line 1, so image i is on line i + 2 (blank lines aside).
    sourceOf: (index) => `${file}#row${index + 1}`,
  };
}
