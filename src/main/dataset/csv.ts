import fs from 'node:fs';
import zlib from 'node:zlib';
import { CLASS_COUNT, PIXELS_PER_IMAGE } from '../../shared/classes.ts';
import type { Split } from '../../shared/types.ts';
import { GrowableBytes, type ImageBatch } from './image-batch.ts';
import { importError } from './import-error.ts';

const VALUES_PER_ROW = PIXELS_PER_IMAGE + 1;
const COMMA = 0x2c;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const ZERO = 0x30;
const NINE = 0x39;
const SPACE = 0x20;
const QUOTE = 0x22;

/**
 * Reads a Kaggle Fashion-MNIST CSV (`label,pixel1,…,pixel784`, then one row per image).
 * The file is streamed and parsed byte by byte, so a 130 MB file is never held as one string.
 */
export async function readKaggleCsv(file: string, split: Split): Promise<ImageBatch> {
  const labels = new GrowableBytes(1 << 16);
  const pixels = new GrowableBytes(PIXELS_PER_IMAGE * (1 << 14));

  let line = 1;
  let inHeader = true;
  let header = '';
  let column = 0;
  let value = 0;
  let digits = 0;
  let blankLine = true;

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

  const endRow = (): void => {
    if (blankLine) return;
    endValue();
    if (column !== VALUES_PER_ROW) fail(`expected ${VALUES_PER_ROW} values (a label and 784 pixels), found ${column}`);
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
        header += chunk.toString('utf8', 0, end === -1 ? chunk.length : end);
        if (end === -1) continue;
        inHeader = false;
        checkHeader();
        line++;
        start = end + 1;
      }
      for (let i = start; i < chunk.length; i++) {
        const byte = chunk[i];
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
        } else if (byte !== CARRIAGE_RETURN && byte !== SPACE && byte !== QUOTE) {
          fail(`unexpected character "${String.fromCharCode(byte)}" in column ${column + 1}; values must be whole numbers`);
        }
      }
    }
  } catch (error) {
    input.destroy();
    if ((error as NodeJS.ErrnoException).code === 'Z_DATA_ERROR') fail('the gzip data is damaged');
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
