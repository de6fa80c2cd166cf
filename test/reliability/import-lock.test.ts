/**
 * Issue 11, item 2: a large import holds the write lock only briefly, in chunks, and is still all or
 * nothing: nobody sees half of it, a failure leaves nothing, and a dead importer's remains are removed.
 */
import { describe, expect, it } from 'vitest';
import { datasetSummaries } from '../../src/main/db/datasets.ts';
import { createStagingDataset, removeAbandonedImports } from '../../src/main/db/staged-imports.ts';
import { readIdxPair } from '../../src/main/dataset/idx.ts';
import { writeImport } from '../../src/main/dataset/write-import.ts';
import { importDataset } from '../../src/main/dataset/import-service.ts';
import { FASHION_MNIST_DIR, tempWorkspace } from '../helpers.ts';
import path from 'node:path';

const imagesIn = (db: ReturnType<typeof tempWorkspace>['db']): number => (db.prepare('SELECT COUNT(*) AS n FROM images').get() as { n: number }).n;

describe('a large import', () => {
  it('writes 60,000 images in short transactions, hidden until the last one, which names the dataset', async () => {
    const { db } = tempWorkspace();
    const train = await readIdxPair({ split: 'train', imagesFile: path.join(FASHION_MNIST_DIR, 'train-images-idx3-ubyte.gz'), labelsFile: path.join(FASHION_MNIST_DIR, 'train-labels-idx1-ubyte.gz') });
    const seenWhileWriting: number[] = [];
    const written = await writeImport(db, 'Fashion-MNIST', [train], new Date(), { onChunk: () => seenWhileWriting.push(datasetSummaries(db).length) });
    console.log(`60,000 images: the longest of ${written.transactions} transactions held the lock ${written.longestHoldMs.toFixed(0)} ms`);
    expect(written.transactions).toBe(14);
    expect(seenWhileWriting.every((n) => n === 0)).toBe(true);
    expect(datasetSummaries(db)).toMatchObject([{ name: 'Fashion-MNIST', images: 60_000 }]);
    expect(written.added).toBe(60_000);

    // Importing again adds to the existing dataset in one transaction, and adds nothing twice.
    const again = await importDataset(db, [path.join(FASHION_MNIST_DIR, 'train-images-idx3-ubyte.gz'), path.join(FASHION_MNIST_DIR, 'train-labels-idx1-ubyte.gz')], {});
    expect(again).toMatchObject({ added: 0, skippedDuplicates: 60_000, images: 60_000 });
  });

  it("leaves nothing when it fails part way, and a dead importer's remains are removed on the next open", async () => {
    const { db } = tempWorkspace();
    const test = await readIdxPair({ split: 'test', imagesFile: path.join(FASHION_MNIST_DIR, 't10k-images-idx3-ubyte.gz'), labelsFile: path.join(FASHION_MNIST_DIR, 't10k-labels-idx1-ubyte.gz') });
    const failing = writeImport(db, 'half', [test], new Date(), {
      chunk: 2_000,
      onChunk: (done) => {
        if (done === 4_000) throw new Error('disk unplugged');
      },
    });
    await expect(failing).rejects.toThrow('disk unplugged');
    expect(imagesIn(db)).toBe(0);
    expect(db.prepare('SELECT COUNT(*) AS n FROM datasets').get()).toEqual({ n: 0 });

    const abandoned = createStagingDataset(db, { pid: 999_999_999, startedAt: null }, new Date());
    db.prepare("INSERT INTO images (dataset_id, split, label, pixels, source, content_hash) VALUES (?, 'train', 1, zeroblob(784), 's', x'01')").run(abandoned);
    const live = createStagingDataset(db, { pid: process.pid, startedAt: null }, new Date());
    expect(removeAbandonedImports(db, (pid) => pid === process.pid)).toBe(1);
    expect((db.prepare('SELECT id FROM datasets').all() as { id: number }[]).map((r) => r.id)).toEqual([live]);
    expect(imagesIn(db)).toBe(0);
  });
});
