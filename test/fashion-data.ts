/** Slices of the real Fashion-MNIST files, for tests and the benchmark (no test-runner imports here). */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { SYSTEM_FASHION_MNIST_DIR } from '../src/main/dataset/bundled.ts';
import type { LabeledImages } from '../src/main/db/datasets.ts';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..');
/** The real dataset: Debian's package when installed, else the copy the app ships. */
export const FASHION_MNIST_DIR = fs.existsSync(SYSTEM_FASHION_MNIST_DIR) ? SYSTEM_FASHION_MNIST_DIR : path.join(REPO_ROOT, 'resources/fashion-mnist');

const cache = new Map<string, { images: Buffer; labels: Buffer }>();

/** The real images and labels of a split, decompressed, without IDX headers. */
export function realSplit(split: 'train' | 'test'): { images: Buffer; labels: Buffer } {
  const prefix = split === 'train' ? 'train' : 't10k';
  if (!cache.has(split)) {
    cache.set(split, {
      images: zlib.gunzipSync(fs.readFileSync(path.join(FASHION_MNIST_DIR, `${prefix}-images-idx3-ubyte.gz`))).subarray(16),
      labels: zlib.gunzipSync(fs.readFileSync(path.join(FASHION_MNIST_DIR, `${prefix}-labels-idx1-ubyte.gz`))).subarray(8),
    });
  }
  return cache.get(split)!;
}

/** IDX bytes for the first `count` real images and labels of a split. */
export function idxBytes(split: 'train' | 'test', count: number): { images: Buffer; labels: Buffer } {
  const { images, labels } = realSplit(split);
  const imageHeader = Buffer.alloc(16);
  imageHeader.writeUInt32BE(0x803, 0);
  imageHeader.writeUInt32BE(count, 4);
  imageHeader.writeUInt32BE(28, 8);
  imageHeader.writeUInt32BE(28, 12);
  const labelHeader = Buffer.alloc(8);
  labelHeader.writeUInt32BE(0x801, 0);
  labelHeader.writeUInt32BE(count, 4);
  return {
    images: Buffer.concat([imageHeader, images.subarray(0, count * 784)]),
    labels: Buffer.concat([labelHeader, labels.subarray(0, count)]),
  };
}

/** Writes a slice of the real data as IDX files (gzipped by default) into `dir`; returns their paths. */
export function writeIdxSlice(dir: string, split: 'train' | 'test', count: number, gzip = true): { imagesFile: string; labelsFile: string } {
  const prefix = split === 'train' ? 'train' : 't10k';
  const { images, labels } = idxBytes(split, count);
  const ext = gzip ? '.gz' : '';
  const imagesFile = path.join(dir, `${prefix}-images-idx3-ubyte${ext}`);
  const labelsFile = path.join(dir, `${prefix}-labels-idx1-ubyte${ext}`);
  fs.writeFileSync(imagesFile, gzip ? zlib.gzipSync(images) : images);
  fs.writeFileSync(labelsFile, gzip ? zlib.gzipSync(labels) : labels);
  return { imagesFile, labelsFile };
}

/** The first `count` real images of a split as a Kaggle CSV text. */
export function kaggleCsv(split: 'train' | 'test', count: number): string {
  const { images, labels } = realSplit(split);
  const header = ['label', ...Array.from({ length: 784 }, (_, i) => `pixel${i + 1}`)].join(',');
  const rows = [header];
  for (let i = 0; i < count; i++) rows.push([labels[i], ...images.subarray(i * 784, (i + 1) * 784)].join(','));
  return rows.join('\n') + '\n';
}

/** Real images `start` to `start + count` of a split, held flat as training code takes them. */
export function realImages(split: 'train' | 'test', start: number, count: number): LabeledImages {
  const { images, labels } = realSplit(split);
  return {
    imageIds: Int32Array.from({ length: count }, (_, i) => start + i + 1),
    labels: new Uint8Array(labels.subarray(start, start + count)),
    pixels: new Uint8Array(images.subarray(start * 784, (start + count) * 784)),
  };
}
