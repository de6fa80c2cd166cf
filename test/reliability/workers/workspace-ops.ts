/**
 * A separate process that works on a workspace while others do too, for the concurrency tests.
 * Usage: node workspace-ops.ts <mode> <db> <tag> <count | until:FILE>
 *   open     opens the workspace (creating or migrating it) and closes it
 *   imports  imports one new image per operation into the dataset named <tag>
 *   relabels relabels images of the workspace, one per operation
 * Prints one JSON line: how many operations succeeded, which failed and why.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openWorkspace } from '../../../src/main/db/connection.ts';

const [mode, dbPath, tag, amount] = process.argv.slice(2);
const until = amount.startsWith('until:') ? amount.slice('until:'.length) : null;
const count = until ? Infinity : Number(amount);
const done = (i: number): boolean => i >= count || (until !== null && fs.existsSync(until));

const result = { mode, tag, ok: 0, errors: [] as string[], relabels: [] as { imageId: number; label: number }[] };
const header = ['label', ...Array.from({ length: 784 }, (_, i) => `pixel${i + 1}`)].join(',');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `fashion-sorter-ops-${tag}-`));

try {
  if (mode === 'open') {
    openWorkspace(dbPath).close();
    result.ok++;
  } else {
    // Loaded only here: the importers pull in the image decoder, which makes every process slow to start.
    const { relabelImage } = await import('../../../src/main/db/images.ts');
    const { importDataset } = await import('../../../src/main/dataset/import-service.ts');
    const db = openWorkspace(dbPath);
    const imageIds = mode === 'relabels' ? (db.prepare('SELECT id FROM images ORDER BY id LIMIT 500').all() as { id: number }[]).map((r) => r.id) : [];
    for (let i = 0; !done(i); i++) {
      try {
        if (mode === 'imports') {
          // One image per file, different from every other operation's: its pixels spell out tag and index.
          const pixels = new Array<number>(784).fill(0);
          const stamp = `${tag}:${i}`;
          for (let k = 0; k < stamp.length; k++) pixels[k] = stamp.charCodeAt(k);
          const file = path.join(scratch, `op-${i}-train.csv`);
          fs.writeFileSync(file, `${header}\n${i % 10},${pixels.join(',')}\n`);
          await importDataset(db, [file], { name: tag, split: 'train' });
          fs.rmSync(file);
        } else if (mode === 'relabels') {
          const imageId = imageIds[i % imageIds.length];
          const label = (i * 7 + 3) % 10;
          relabelImage(db, imageId, label, 'review', new Date());
          result.relabels.push({ imageId, label });
          // A person relabels a few images a second; a few hundred a second is already far more.
          await new Promise((resolve) => setTimeout(resolve, 3));
        }
        result.ok++;
      } catch (error) {
        result.errors.push(`${(error as Error).message}`);
      }
    }
    db.close();
  }
} catch (error) {
  result.errors.push(`open: ${(error as Error).message}`);
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
process.stdout.write(`${JSON.stringify(result)}\n`);
