import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import zlib from 'node:zlib';
import { CLASS_COUNT, IMAGE_SIZE, PIXELS_PER_IMAGE } from '../../shared/classes.ts';
import type { Split } from '../../shared/types.ts';
import type { ImageBatch } from './image-batch.ts';
import { importError } from './import-error.ts';

/** IDX magic numbers: two zero bytes, the type code 0x08 (unsigned byte), then the number of dimensions. */
const IDX_IMAGES_MAGIC = 0x00000803;
const IDX_LABELS_MAGIC = 0x00000801;
const IMAGES_HEADER_BYTES = 16;
const LABELS_HEADER_BYTES = 8;

/** One images file with its labels file, e.g. `train-images-idx3-ubyte.gz` and `train-labels-idx1-ubyte.gz`. */
export interface IdxPair {
  split: Split;
  imagesFile: string;
  labelsFile: string;
}

const IDX_NAME = /^(.*?)[-_.]?(images|labels)[-_.]idx([13])[-_.]ubyte(\.gz)?$/i;

/** Recognises an IDX file name; returns its prefix (`train`, `t10k`) and kind, or null. */
export function parseIdxFileName(name: string): { prefix: string; kind: 'images' | 'labels' } | null {
  const match = IDX_NAME.exec(name);
  if (!match) return null;
  return { prefix: match[1].toLowerCase(), kind: match[2].toLowerCase() as 'images' | 'labels' };
}

/** The split an IDX or CSV file name implies: `train` → train, `t10k` or `test` → test. */
export function splitFromFileName(name: string): Split | null {
  const lower = name.toLowerCase();
  if (/(^|[^a-z])(t10k|test)/.test(lower)) return 'test';
  if (/(^|[^a-z])train/.test(lower)) return 'train';
  return null;
}

/**
 * The most images one file may hold: 14 times Fashion-MNIST's 70,000. It bounds what a file can make
 * the importer allocate, whatever its header claims (784 MB of pixels at most).
 */
export const MAX_IMAGES_PER_FILE = 1_000_000;

function zlibProblem(error: NodeJS.ErrnoException): string {
  return error.code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(error.message)
    ? 'the gzip data ends early: the file is cut short (an interrupted download?); download it again'
    : `the gzip data is damaged (${error.message}); download the file again`;
}

/**
 * Reads an IDX file, gzipped or not, without ever holding more than its header allows: once the header
 * is in, `limitOf` says how many bytes the whole file may have, and reading stops with an error as soon as
 * the (decompressed) data passes that. A gzip bomb is refused after a few kilobytes, not after a gigabyte.
 */
async function readIdxFile(file: string, headerBytes: number, limitOf: (header: Buffer) => number): Promise<Buffer> {
  const head = Buffer.alloc(2);
  const fd = await fs.open(file, 'r');
  let raw = 0;
  try {
    raw = (await fd.read(head, 0, 2, 0)).bytesRead;
  } finally {
    await fd.close();
  }
  const gzipped = raw === 2 && head[0] === 0x1f && head[1] === 0x8b;
  const input = createReadStream(file, { highWaterMark: 1 << 20 });
  const stream = gzipped ? input.pipe(zlib.createGunzip({ chunkSize: 1 << 16 })) : input;
  let header: Buffer = Buffer.alloc(0);
  let data: Buffer | null = null;
  let limit = Infinity;
  let length = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (data === null) {
        header = Buffer.concat([header, chunk]);
        if (header.length < headerBytes) continue;
        limit = limitOf(header.subarray(0, headerBytes));
        data = Buffer.allocUnsafe(limit);
        const first = header.subarray(0, Math.min(header.length, limit));
        first.copy(data);
        length = first.length;
        if (header.length > limit) {
          length = limit + 1;
          break;
        }
        continue;
      }
      if (length + chunk.length > limit) {
        length = limit + 1;
        break;
      }
      chunk.copy(data, length);
      length += chunk.length;
    }
  } catch (error) {
    if (gzipped && (error as NodeJS.ErrnoException).code?.startsWith('Z_')) throw importError(file, null, zlibProblem(error as NodeJS.ErrnoException));
    throw error;
  } finally {
    input.destroy();
    if (stream !== input) stream.destroy();
  }
  if (length > limit) {
    throw importError(file, `byte ${limit}`, `the data goes on past the ${limit} bytes its header allows${gzipped ? ' once decompressed' : ''}; the file is damaged or not an IDX file`);
  }
  return data ? data.subarray(0, length) : header;
}

/** Checks an images file's header and returns how many images it promises. */
function imagesHeaderCount(file: string, header: Buffer): number {
  const magic = header.readUInt32BE(0);
  if (magic !== IDX_IMAGES_MAGIC) {
    const hint = magic === IDX_LABELS_MAGIC ? ' (this is a labels file)' : '';
    throw importError(file, 'byte 0', `magic number 0x${magic.toString(16).padStart(8, '0')} is not that of an IDX images file (0x00000803)${hint}`);
  }
  const rows = header.readUInt32BE(8);
  const cols = header.readUInt32BE(12);
  if (rows !== IMAGE_SIZE || cols !== IMAGE_SIZE) throw importError(file, 'byte 8', `images are ${rows}×${cols}; Fashion-MNIST images are 28×28`);
  return header.readUInt32BE(4);
}

/** Checks a labels file's header and returns how many labels it promises. */
function labelsHeaderCount(file: string, header: Buffer): number {
  const magic = header.readUInt32BE(0);
  if (magic !== IDX_LABELS_MAGIC) {
    const hint = magic === IDX_IMAGES_MAGIC ? ' (this is an images file)' : '';
    throw importError(file, 'byte 0', `magic number 0x${magic.toString(16).padStart(8, '0')} is not that of an IDX labels file (0x00000801)${hint}`);
  }
  const count = header.readUInt32BE(4);
  if (count > MAX_IMAGES_PER_FILE) {
    throw importError(file, 'byte 4', `the header promises ${count} labels, more than the ${MAX_IMAGES_PER_FILE.toLocaleString('en')} one file may hold; split the dataset into several files`);
  }
  return count;
}

function checkImagesHeader(file: string, data: Buffer): number {
  if (data.length < IMAGES_HEADER_BYTES) throw importError(file, 'byte 0', `the file is only ${data.length} bytes long, too short for an IDX header`);
  const count = imagesHeaderCount(file, data);
  const expected = IMAGES_HEADER_BYTES + count * PIXELS_PER_IMAGE;
  if (data.length !== expected) {
    throw importError(file, `byte ${Math.min(data.length, expected)}`, `the header promises ${count} images (${expected} bytes) but the file holds ${data.length} bytes`);
  }
  return count;
}

function checkLabelsHeader(file: string, data: Buffer): number {
  if (data.length < LABELS_HEADER_BYTES) throw importError(file, 'byte 0', `the file is only ${data.length} bytes long, too short for an IDX header`);
  const count = labelsHeaderCount(file, data);
  const expected = LABELS_HEADER_BYTES + count;
  if (data.length !== expected) {
    throw importError(file, `byte ${Math.min(data.length, expected)}`, `the header promises ${count} labels but the file holds ${data.length - LABELS_HEADER_BYTES}`);
  }
  for (let i = 0; i < count; i++) {
    const label = data[LABELS_HEADER_BYTES + i];
    if (label >= CLASS_COUNT) throw importError(file, `byte ${LABELS_HEADER_BYTES + i}, label ${i}`, `label ${label} is outside 0–9`);
  }
  return count;
}

/**
 * Reads and checks an IDX pair: magic numbers, 28×28 dimensions, equal counts, labels 0–9. The labels
 * file is read first: its count (at most `MAX_IMAGES_PER_FILE`) bounds how much of the images file is read.
 */
export async function readIdxPair(pair: IdxPair): Promise<ImageBatch> {
  const labels = await readIdxFile(pair.labelsFile, LABELS_HEADER_BYTES, (header) => LABELS_HEADER_BYTES + labelsHeaderCount(pair.labelsFile, header));
  const labelCount = checkLabelsHeader(pair.labelsFile, labels);
  const images = await readIdxFile(pair.imagesFile, IMAGES_HEADER_BYTES, (header) => {
    const imageCount = imagesHeaderCount(pair.imagesFile, header);
    if (imageCount !== labelCount) {
      throw importError(pair.labelsFile, 'byte 4', `it has ${labelCount} labels but ${pair.imagesFile} has ${imageCount} images`);
    }
    return IMAGES_HEADER_BYTES + imageCount * PIXELS_PER_IMAGE;
  });
  checkImagesHeader(pair.imagesFile, images);
  return {
    split: pair.split,
    labels: labels.subarray(LABELS_HEADER_BYTES),
    pixels: images.subarray(IMAGES_HEADER_BYTES),
    sourceOf: (index) => `${pair.imagesFile}#${index}`,
  };
}
