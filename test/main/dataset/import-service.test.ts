import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { datasetSummaries } from '../../../src/main/db/datasets.ts';
import { importDataset } from '../../../src/main/dataset/import-service.ts';
import { FASHION_MNIST_DIR, kaggleCsv, realSplit, tempDir, tempWorkspace, writeIdxSlice } from '../../helpers.ts';

const imageCount = (db: ReturnType<typeof tempWorkspace>['db']): number => (db.prepare('SELECT COUNT(*) AS n FROM images').get() as { n: number }).n;

describe('importDataset', () => {
  it('imports the full Fashion-MNIST folder: 60,000 training and 10,000 test images, 7,000 per class', async () => {
    const { db } = tempWorkspace();
    const result = await importDataset(db, [FASHION_MNIST_DIR], {});
    expect(result).toMatchObject({ name: 'Fashion-MNIST', images: 70000, bySplit: { train: 60000, test: 10000, user: 0 }, added: 70000 });
    expect(result.labelCounts).toEqual(new Array(10).fill(7000));
  });

  it('adds nothing when the same files are imported again, but keeps images that truly repeat', async () => {
    const { db } = tempWorkspace();
    const dir = tempDir();
    writeIdxSlice(dir, 'train', 200);
    const first = await importDataset(db, [dir], {});
    const again = await importDataset(db, [dir], {});
    expect(first.added).toBe(200);
    expect(again).toMatchObject({ added: 0, skippedDuplicates: 200, images: 200 });
    // The same folder typed with a trailing slash (as a shell's completion writes it) is the same folder.
    expect(await importDataset(db, [`${dir}/`], {})).toMatchObject({ added: 0, skippedDuplicates: 200 });

    // The same image twice in one CSV is two images; importing that CSV again still adds nothing.
    const rows = kaggleCsv('test', 3).trimEnd().split('\n');
    const csv = path.join(tempDir(), 'dupes_test.csv');
    fs.writeFileSync(csv, [...rows, rows[1]].join('\n'));
    expect((await importDataset(db, [csv], { name: 'dupes' })).added).toBe(4);
    expect((await importDataset(db, [csv], { name: 'dupes' })).added).toBe(0);
  });

  it('imports IDX and CSV files named one by one, with the split taken from the names', async () => {
    const { db } = tempWorkspace();
    const dir = tempDir();
    const idx = writeIdxSlice(dir, 'test', 40);
    const csv = path.join(dir, 'fashion-mnist_train.csv');
    fs.writeFileSync(csv, kaggleCsv('train', 60));
    const result = await importDataset(db, [idx.imagesFile, idx.labelsFile, csv], { name: 'mixed' });
    expect(result.bySplit).toEqual({ train: 60, test: 40, user: 0 });
  });

  it('is all or nothing: one bad file among good ones imports nothing and names the bad file', async () => {
    const { db } = tempWorkspace();
    const dir = tempDir();
    writeIdxSlice(dir, 'train', 100);
    const bad = writeIdxSlice(dir, 'test', 10);
    fs.writeFileSync(bad.labelsFile, Buffer.from('not gzip, not idx'));
    await expect(importDataset(db, [dir], {})).rejects.toThrow(/t10k-labels-idx1-ubyte\.gz .*Nothing was imported/);
    expect(imageCount(db)).toBe(0);
    expect(datasetSummaries(db)).toEqual([]);
  });

  it('asks for a split when a file name does not tell', async () => {
    const { db } = tempWorkspace();
    const csv = path.join(tempDir(), 'clothes.csv');
    fs.writeFileSync(csv, kaggleCsv('train', 5));
    await expect(importDataset(db, [csv], {})).rejects.toThrow(/--split train or --split test/);
    expect((await importDataset(db, [csv], { split: 'test' })).bySplit.test).toBe(5);
  });

  it('reports a missing path, a lone IDX file and an unknown file type in words', async () => {
    const { db } = tempWorkspace();
    await expect(importDataset(db, ['/no/such/file'], {})).rejects.toThrow(/no such file or folder/);
    const dir = tempDir();
    const { imagesFile } = writeIdxSlice(dir, 'train', 5);
    await expect(importDataset(db, [imagesFile], {})).rejects.toThrow(/labels file .* was not given/);
    const text = path.join(dir, 'notes.txt');
    fs.writeFileSync(text, 'hello');
    await expect(importDataset(db, [text], {})).rejects.toThrow(/notes\.txt: not a dataset file/);
  });
});

describe('class folders', () => {
  /** Writes real Fashion-MNIST images as PNG photos (dark item on white, 4× size) into class folders. */
  const writePhotos = async (root: string, folders: Record<string, number[]>): Promise<void> => {
    const { images } = realSplit('test');
    for (const [folder, indices] of Object.entries(folders)) {
      fs.mkdirSync(path.join(root, folder), { recursive: true });
      for (const i of indices) {
        const negated = Buffer.from(images.subarray(i * 784, (i + 1) * 784).map((v) => 255 - v));
        await sharp(negated, { raw: { width: 28, height: 28, channels: 1 } }).resize(112, 112).png().toFile(path.join(root, folder, `${i}.png`));
      }
    }
  };

  it('imports one subfolder per class, matching names loosely, as the folder-named dataset', async () => {
    const { db } = tempWorkspace();
    const root = path.join(tempDir(), 'my-photos');
    await writePhotos(root, { 'T-shirt_top': [1, 2], ankle_boot: [0], Trouser: [3] });
    fs.writeFileSync(path.join(root, 'Trouser', '.DS_Store'), 'junk');
    const result = await importDataset(db, [root], {});
    expect(result).toMatchObject({ name: 'my-photos', images: 4, bySplit: { train: 4, test: 0, user: 0 } });
    expect(result.labelCounts[0]).toBe(2);
    expect(result.labelCounts[9]).toBe(1);
    expect(result.labelCounts[1]).toBe(1);
  });

  it('refuses a subfolder that names no class, and a file that is no image, importing nothing', async () => {
    const { db } = tempWorkspace();
    const root = tempDir();
    await writePhotos(root, { Shirt: [0], Shrit: [1] });
    await expect(importDataset(db, [root], {})).rejects.toThrow(/"Shrit" does not name a class/);
    fs.rmSync(path.join(root, 'Shrit'), { recursive: true });
    fs.writeFileSync(path.join(root, 'Shirt', 'readme.txt'), 'not an image');
    await expect(importDataset(db, [root], {})).rejects.toThrow(/readme\.txt: not an image .*Nothing was imported/);
    expect(imageCount(db)).toBe(0);
  });
});
