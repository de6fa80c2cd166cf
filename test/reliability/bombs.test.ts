/**
 * Issue 11, item 5: compressed files that inflate to gigabytes are refused early, with bounded memory.
 * Each import runs in its own process, whose peak resident memory is compared with that of importing a
 * small real file the same way.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { idxBytes, kaggleCsv, tempDir, writeIdxSlice } from '../helpers.ts';
import { run } from './processes.ts';

const WORKER = path.join(import.meta.dirname, 'workers/import-rss.ts');

/** Gzips `head` followed by `bytes` bytes of `fill`, streaming, so the test itself never holds the inflated data. */
async function gzipBomb(file: string, head: Buffer, bytes: number, fill = 0): Promise<number> {
  const block = Buffer.alloc(1 << 20, fill);
  async function* source(): AsyncGenerator<Buffer> {
    yield head;
    for (let left = bytes; left > 0; left -= block.length) yield left >= block.length ? block : block.subarray(0, left);
  }
  await pipeline(Readable.from(source()), zlib.createGzip({ level: 9 }), fs.createWriteStream(file));
  return fs.statSync(file).size;
}

async function importInChild(dir: string, ...paths: string[]): Promise<{ error: string | null; added: number; peakMb: number }> {
  const { out, err } = await run([WORKER, path.join(dir, `w-${Math.random().toString(36).slice(2)}.db`), ...paths]);
  const line = out.trim().split('\n').at(-1);
  if (!line) throw new Error(`the import process printed nothing: ${err}`);
  return JSON.parse(line);
}

const GIGABYTE = 1 << 30;

describe('decompression bombs', () => {
  it('an IDX images file that inflates to 1 GB is refused at what its labels allow, with memory near a small import', async () => {
    const dir = tempDir();
    const real = path.join(dir, 'real');
    fs.mkdirSync(real);
    writeIdxSlice(real, 'train', 100);
    const baseline = await importInChild(dir, real);
    expect(baseline).toMatchObject({ error: null, added: 100 });

    const bomb = path.join(dir, 'bomb');
    fs.mkdirSync(bomb);
    const { labels, images } = idxBytes('train', 100);
    fs.writeFileSync(path.join(bomb, 'train-labels-idx1-ubyte.gz'), zlib.gzipSync(labels));
    const size = await gzipBomb(path.join(bomb, 'train-images-idx3-ubyte.gz'), images.subarray(0, 16), GIGABYTE);
    const refused = await importInChild(dir, bomb);
    console.log(`IDX bomb: ${(size / 1024).toFixed(0)} KB inflating to 1 GB; peak memory ${refused.peakMb.toFixed(0)} MB against ${baseline.peakMb.toFixed(0)} MB for 100 real images`);
    expect(refused.error).toMatch(/^train-images-idx3-ubyte\.gz \(byte 78416\): the data goes on past the 78416 bytes its header allows once decompressed/);
    expect(refused.peakMb).toBeLessThan(baseline.peakMb + 64);
  });

  it('a labels file whose header claims more than a million labels is refused before anything is read', async () => {
    const dir = tempDir();
    const header = Buffer.alloc(8);
    header.writeUInt32BE(0x801, 0);
    header.writeUInt32BE(50_000_000, 4);
    fs.writeFileSync(path.join(dir, 'train-labels-idx1-ubyte.gz'), zlib.gzipSync(header));
    writeIdxSlice(tempDir(), 'train', 1);
    const images = idxBytes('train', 1).images;
    fs.writeFileSync(path.join(dir, 'train-images-idx3-ubyte.gz'), zlib.gzipSync(images));
    const refused = await importInChild(tempDir(), dir);
    expect(refused.error).toMatch(/train-labels-idx1-ubyte\.gz \(byte 4\): the header promises 50000000 labels, more than the 1,000,000 one file may hold/);
  });

  it('a .csv.gz whose first line inflates to 1 GB is refused at 64 KB, with memory near a small import', async () => {
    const dir = tempDir();
    const real = path.join(dir, 'fashion-mnist_train.csv');
    fs.writeFileSync(real, kaggleCsv('train', 100));
    const baseline = await importInChild(dir, real);
    expect(baseline).toMatchObject({ error: null, added: 100 });

    const bomb = path.join(dir, 'bomb_train.csv.gz');
    const size = await gzipBomb(bomb, Buffer.from('label,'), GIGABYTE, 0x61);
    const refused = await importInChild(dir, bomb);
    console.log(`CSV bomb: ${(size / 1024).toFixed(0)} KB inflating to 1 GB on one line; peak memory ${refused.peakMb.toFixed(0)} MB against ${baseline.peakMb.toFixed(0)} MB for 100 real rows`);
    expect(refused.error).toMatch(/^bomb_train\.csv\.gz \(line 1\): the first line runs past 64 KB without ending/);
    expect(refused.peakMb).toBeLessThan(baseline.peakMb + 64);
  });
});
