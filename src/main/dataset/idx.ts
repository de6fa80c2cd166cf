import fs from 'node:fs/promises';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { CLASS_COUNT, IMAGE_SIZE, PIXELS_PER_IMAGE } from '../../shared/classes.ts';
import type { Split } from '../../shared/types.ts';
import type { ImageBatch } from './image-batch.ts';
import { importError } from './import-error.ts';

const gunzip = promisify(zlib.gunzip);

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

async function readMaybeGzipped(file: string): Promise<Buffer> {
  const raw = await fs.readFile(file);
  const gzipped = raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b;
  if (!gzipped) return raw;
  try {
    return await gunzip(raw);
  } catch (error) {
    throw importError(file, null, `the gzip data is damaged (${(error as Error).message})`);
  }
}

function checkImagesHeader(file: string, data: Buffer): number {
  if (data.length < IMAGES_HEADER_BYTES) throw importError(file, 'byte 0', `the file is only ${data.length} bytes long, too short for an IDX header`);
  const magic = data.readUInt32BE(0);
  if (magic !== IDX_IMAGES_MAGIC) {
    const hint = magic === IDX_LABELS_MAGIC ? ' (this is a labels file)' : '';
    throw importError(file, 'byte 0', `magic number 0x${magic.toString(16).padStart(8, '0')} is not that of an IDX images file (0x00000803)${hint}`);
  }
  const count = data.readUInt32BE(4);
  const rows = data.readUInt32BE(8);
  const cols = data.readUInt32BE(12);
  if (rows !== IMAGE_SIZE || cols !== IMAGE_SIZE) throw importError(file, 'byte 8', `images are ${rows}×${cols}; Fashion-MNIST images are 28×28`);
  const expected = IMAGES_HEADER_BYTES + count * PIXELS_PER_IMAGE;
  if (data.length !== expected) {
    throw importError(file, `byte ${Math.min(data.length, expected)}`, `the header promises ${count} images (${expected} bytes) but the file holds ${data.length} bytes`);
  }
  return count;
}

function checkLabelsHeader(file: string, data: Buffer): number {
  if (data.length < LABELS_HEADER_BYTES) throw importError(file, 'byte 0', `the file is only ${data.length} bytes long, too short for an IDX header`);
  const magic = data.readUInt32BE(0);
  if (magic !== IDX_LABELS_MAGIC) {
    const hint = magic === IDX_IMAGES_MAGIC ? ' (this is an images file)' : '';
    throw importError(file, 'byte 0', `magic number 0x${magic.toString(16).padStart(8, '0')} is not that of an IDX labels file (0x00000801)${hint}`);
  }
  const count = data.readUInt32BE(4);
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

/** Reads and checks an IDX pair: magic numbers, 28×28 dimensions, equal counts, labels 0–9. */
export async function readIdxPair(pair: IdxPair): Promise<ImageBatch> {
  const [images, labels] = await Promise.all([readMaybeGzipped(pair.imagesFile), readMaybeGzipped(pair.labelsFile)]);
  const imageCount = checkImagesHeader(pair.imagesFile, images);
  const labelCount = checkLabelsHeader(pair.labelsFile, labels);
  if (imageCount !== labelCount) {
    throw importError(pair.labelsFile, 'byte 4', `it has ${labelCount} labels but ${pair.imagesFile} has ${imageCount} images`);
  }
  return {
    split: pair.split,
    labels: labels.subarray(LABELS_HEADER_BYTES),
    pixels: images.subarray(IMAGES_HEADER_BYTES),
    sourceOf: (index) => `${pair.imagesFile}#${index}`,
  };
}
