import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIdxFileName, readIdxPair, splitFromFileName } from '../../../src/main/dataset/idx.ts';
import { idxBytes, realSplit, tempDir, writeIdxSlice } from '../../helpers.ts';

describe('readIdxPair', () => {
  it('reads a gzipped slice of the real training set with its labels', async () => {
    const files = writeIdxSlice(tempDir(), 'train', 300);
    const batch = await readIdxPair({ split: 'train', ...files });
    expect(batch.labels.length).toBe(300);
    expect(batch.pixels.length).toBe(300 * 784);
    expect([...batch.labels.subarray(0, 10)]).toEqual([...realSplit('train').labels.subarray(0, 10)]);
    expect(Buffer.from(batch.pixels.subarray(784, 1568)).equals(realSplit('train').images.subarray(784, 1568))).toBe(true);
    expect(batch.sourceOf(5)).toBe(`${files.imagesFile}#5`);
  });

  it('reads uncompressed files too', async () => {
    const files = writeIdxSlice(tempDir(), 'test', 50, false);
    expect((await readIdxPair({ split: 'test', ...files })).labels.length).toBe(50);
  });

  const corrupt = async (mutate: (bytes: { images: Buffer; labels: Buffer }) => void): Promise<unknown> => {
    const dir = tempDir();
    const bytes = idxBytes('train', 20);
    mutate(bytes);
    const imagesFile = path.join(dir, 'train-images-idx3-ubyte');
    const labelsFile = path.join(dir, 'train-labels-idx1-ubyte');
    fs.writeFileSync(imagesFile, bytes.images);
    fs.writeFileSync(labelsFile, bytes.labels);
    return readIdxPair({ split: 'train', imagesFile, labelsFile }).catch((error: unknown) => error);
  };

  it('names the file, the offset and the problem for a wrong magic number', async () => {
    const error = await corrupt((b) => b.images.writeUInt32BE(0x801, 0));
    expect(error).toMatchObject({ code: 'import-failed' });
    expect((error as Error).message).toMatch(/train-images-idx3-ubyte \(byte 0\): magic number 0x00000801 .* \(this is a labels file\)/);
  });

  it('refuses images that are not 28×28', async () => {
    const error = await corrupt((b) => b.images.writeUInt32BE(32, 8));
    expect((error as Error).message).toMatch(/byte 8.*32×28/);
  });

  it('refuses a truncated images file', async () => {
    const error = await corrupt((b) => (b.images = b.images.subarray(0, b.images.length - 100)));
    expect((error as Error).message).toMatch(/promises 20 images/);
  });

  it('refuses labels outside 0–9, naming the byte', async () => {
    const error = await corrupt((b) => (b.labels[8 + 7] = 12));
    expect((error as Error).message).toMatch(/byte 15, label 7\): label 12 is outside 0–9/);
  });

  it('refuses pairs whose counts differ', async () => {
    const error = await corrupt((b) => {
      b.labels = Buffer.concat([b.labels.subarray(0, 8 + 19)]);
      b.labels.writeUInt32BE(19, 4);
    });
    expect((error as Error).message).toMatch(/19 labels but .* 20 images/);
  });

  it('says a gzip file is cut short, and what to do', async () => {
    const dir = tempDir();
    const files = writeIdxSlice(dir, 'train', 10);
    const gz = fs.readFileSync(files.imagesFile);
    fs.writeFileSync(files.imagesFile, gz.subarray(0, gz.length - 30));
    const error = await readIdxPair({ split: 'train', ...files }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^train-images-idx3-ubyte\.gz: the gzip data ends early: the file is cut short .*download it again/);
  });

  it('reports damaged gzip data', async () => {
    const dir = tempDir();
    const files = writeIdxSlice(dir, 'train', 10);
    const gz = fs.readFileSync(files.imagesFile);
    gz.fill(0x55, 20, 60);
    fs.writeFileSync(files.imagesFile, gz);
    const error = await readIdxPair({ split: 'train', ...files }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/train-images-idx3-ubyte\.gz: the gzip data is damaged/);
  });
});

describe('IDX file names', () => {
  it('recognises the published names and tells the split', () => {
    expect(parseIdxFileName('train-images-idx3-ubyte.gz')).toEqual({ prefix: 'train', kind: 'images' });
    expect(parseIdxFileName('t10k-labels-idx1-ubyte')).toEqual({ prefix: 't10k', kind: 'labels' });
    expect(parseIdxFileName('fashion-mnist_train.csv')).toBeNull();
    expect(splitFromFileName('t10k-images-idx3-ubyte.gz')).toBe('test');
    expect(splitFromFileName('fashion-mnist_train.csv')).toBe('train');
    expect(splitFromFileName('fashion-mnist_test.csv')).toBe('test');
    expect(splitFromFileName('photos')).toBeNull();
  });
});

describe('readIdxPair limits', () => {
  it('refuses bytes past what the header promises, even when they arrive in the first read', async () => {
    const dir = tempDir();
    const { images, labels } = idxBytes('train', 10);
    const imagesFile = path.join(dir, 'train-images-idx3-ubyte');
    const labelsFile = path.join(dir, 'train-labels-idx1-ubyte');
    fs.writeFileSync(imagesFile, Buffer.concat([images, Buffer.alloc(500)]));
    fs.writeFileSync(labelsFile, labels);
    await expect(readIdxPair({ split: 'train', imagesFile, labelsFile })).rejects.toThrow(/train-images-idx3-ubyte \(byte 7856\): the data goes on past the 7856 bytes its header allows/);
  });
});
