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
    expect(await errorFor([lines[0], lines[1].replace(',0,', ',x,')].join('\n'))).toMatch(/line 2\): column \d+ \(pixel\d+\) holds "x…": a field holds digits only/);
  });

  it('never joins the digits of a field split by a space or a quote: "1 2" and "1"2 are refused, not read as 12', async () => {
    const lines = kaggleCsv('train', 3).split('\n');
    const fields = lines[2].split(',');
    const withField = (field: string): string => [lines[0], lines[1], [fields[0], field, ...fields.slice(2)].join(',')].join('\n');
    expect(await errorFor(withField('1 2'))).toMatch(/fashion-mnist_train\.csv \(line 3\): column 2 \(pixel1\) holds "1 …": a field holds digits only/);
    expect(await errorFor(withField('"1"2'))).toMatch(/\(line 3\): column 2 \(pixel1\) holds ""…"/);
    expect(await errorFor(withField(' 12'))).toMatch(/\(line 3\): column 2 \(pixel1\)/);
    expect(await errorFor(withField('-1'))).toMatch(/\(line 3\): column 2 \(pixel1\) holds "-…"/);
  });

  it('refuses a first line longer than 64 KB, and more rows than allowed, naming the file', async () => {
    expect(await errorFor('label,' + 'x'.repeat(70_000))).toMatch(/\(line 1\): the first line runs past 64 KB/);
    const file = write(Buffer.from(kaggleCsv('train', 5)), 'fashion-mnist_train.csv');
    expect((await readKaggleCsv(file, 'train', { maxImages: 5 })).labels.length).toBe(5);
    await expect(readKaggleCsv(file, 'train', { maxImages: 4 })).rejects.toThrow(/\(line 6\): the file holds more than 4 images, the most one file may hold/);
  });

  it('says a truncated .csv.gz is cut short, on which line, and what to do', async () => {
    const gz = zlib.gzipSync(Buffer.from(kaggleCsv('train', 50)));
    const file = write(gz.subarray(0, gz.length - 200), 'fashion-mnist_train.csv.gz');
    await expect(readKaggleCsv(file, 'train')).rejects.toThrow(/fashion-mnist_train\.csv\.gz \(line \d+\): the gzip data ends early: the file is cut short .*download it again/);
  });

  it('refuses a wrong header and an empty file', async () => {
    expect(await errorFor('a,b,c\n1,2,3\n')).toMatch(/header must be "label,pixel1,…,pixel784"/);
    expect(await errorFor('')).toMatch(/the file is empty/);
    expect(await errorFor(kaggleCsv('train', 0))).toMatch(/no images/);
  });
});
