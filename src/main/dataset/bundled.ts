import fs from 'node:fs';
import path from 'node:path';

/** The four Fashion-MNIST files, as the dataset's authors publish them. */
export const FASHION_MNIST_FILES = [
  'train-images-idx3-ubyte.gz',
  'train-labels-idx1-ubyte.gz',
  't10k-images-idx3-ubyte.gz',
  't10k-labels-idx1-ubyte.gz',
] as const;

/** Debian's dataset-fashion-mnist package puts the files here. */
export const SYSTEM_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** The first folder that holds all four Fashion-MNIST files, or null. */
export function findBundledDataset(candidates: readonly string[]): string | null {
  for (const folder of candidates) {
    if (FASHION_MNIST_FILES.every((name) => fs.existsSync(path.join(folder, name)))) return folder;
  }
  return null;
}
