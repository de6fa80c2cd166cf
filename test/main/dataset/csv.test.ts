import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readKaggleCsv } from '../../../src/main/dataset/csv.ts';
import { kaggleCsv, realSplit, tempDir } from '../../helpers.ts';

const write = (text: string | Buffer, name = 'fashion-mnist_train.csv'): string => {
  const file = path.join(tempDir(), name);
  fs.writeFileSync(file, text);
  return file;
};

describe('readKaggleCsv', () => {
  it('reads real rows spanning many stream chunks, identical to the IDX data', async () => {
    // 1,500 rows is about 3.4 MB: several 1 MiB chunks, so rows and numbers straddle chunk ends.
    const batch = await readKaggleCsv(write(kaggleCsv('train', 1500)), 'train');
    const { images, labels } = realSplit('train');
    expect(batch.labels.length).toBe(1500);
    expect(Buffer.from(batch.labels).equals(labels.subarray(0, 1500))).toBe(true);
    expect(Buffer.from(batch.pixels).equals(images.subarray(0, 1500 * 784))).toBe(true);
  });

  it('accepts Windows line endings, a byte-order mark and gzip', async () => {
    const text = '\uFEFF' + kaggleCsv('test', 30).replace(/\n/g, '\r\n');
    const batch = await readKaggleCsv(write(zlib.gzipSync(Buffer.from(text)), 'fashion-mnist_test.csv.gz'), 'test');
    expect(batch.labels.length).toBe(30);
    expect(Buffer.from(batch.pixels).equals(realSplit('test').images.subarray(0, 30 * 784))).toBe(true);
  });

  const errorFor = async (text: string): Promise<string> => {
    const error = await readKaggleCsv(write(text), 'train').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'import-failed' });
    return (error as Error).message;
  };

  it('names the line of a row with too few values', async () => {
    const lines = kaggleCsv('train', 5).split('\n');
    lines[3] = lines[3].split(',').slice(0, 700).join(',');
    expect(await errorFor(lines.join('\n'))).toMatch(/fashion-mnist_train\.csv \(line 4\): expected 785 values .* found 700/);
  });

  it('names the column of a pixel out of range', async () => {
    const lines = kaggleCsv('train', 3).split('\n');
    const values = lines[2].split(',');
    values[12] = '300';
    lines[2] = values.join(',');
    expect(await errorFor(lines.join('\n'))).toMatch(/line 3\): pixel12 is 300, outside 0–255/);
  });

  it('refuses a label outside 0–9 and text in a number', async () => {
    const lines = kaggleCsv('train', 3).split('\n');
    expect(await errorFor([lines[0], '11' + lines[1].slice(1)].join('\n'))).toMatch(/line 2\): label 11 is outside 0–9/);
    expect(await errorFor([lines[0], lines[1].replace(',0,', ',x,')].join('\n'))).toMatch(/line 2\): unexpected character "x"/);
  });

  it('refuses a wrong header and an empty file', async () => {
    expect(await errorFor('a,b,c\n1,2,3\n')).toMatch(/header must be "label,pixel1,…,pixel784"/);
    expect(await errorFor('')).toMatch(/the file is empty/);
    expect(await errorFor(kaggleCsv('train', 0))).toMatch(/no images/);
  });
});
