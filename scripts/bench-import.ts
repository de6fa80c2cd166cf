import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openWorkspace } from '../src/main/db/connection.ts';
import { importDataset } from '../src/main/dataset/import-service.ts';
import { FASHION_MNIST_DIR, kaggleCsv } from '../test/fashion-data.ts';
import { median, timed } from './bench-util.ts';

/** Seconds to import the full 70,000 images into a fresh workspace, from the .gz files and from Kaggle CSV. */
export async function benchImport(repeats: number): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fashion-sorter-bench-'));
  try {
    const csvDir = path.join(dir, 'csv');
    fs.mkdirSync(csvDir);
    fs.writeFileSync(path.join(csvDir, 'fashion-mnist_train.csv'), kaggleCsv('train', 60000));
    fs.writeFileSync(path.join(csvDir, 'fashion-mnist_test.csv'), kaggleCsv('test', 10000));
    const csvMegabytes = fs.readdirSync(csvDir).reduce((sum, f) => sum + fs.statSync(path.join(csvDir, f)).size, 0) / 1e6;

    const run = async (source: string, tag: string): Promise<number[]> => {
      const times: number[] = [];
      for (let i = 0; i < repeats; i++) {
        const db = openWorkspace(path.join(dir, `${tag}-${i}.db`));
        const { seconds, value } = await timed(() => importDataset(db, [source], {}));
        if (value.images !== 70000) throw new Error(`expected 70,000 images, imported ${value.images}`);
        db.close();
        times.push(seconds);
      }
      return times;
    };
    const gz = await run(FASHION_MNIST_DIR, 'gz');
    const csv = await run(csvDir, 'csv');
    return {
      gzSeconds: median(gz),
      gzRuns: gz,
      csvSeconds: median(csv),
      csvRuns: csv,
      csvMegabytes: Number(csvMegabytes.toFixed(1)),
      images: 70000,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
