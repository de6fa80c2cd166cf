/**
 * Reopening a stored batch: 10,000 classified photos (real Fashion-MNIST test images, with decisions
 * on some) read from the workspace and encoded for the web transport, as the Batches list does when a
 * person reopens one (target ≤ 500 ms). The photos are stored before the clock starts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openBatch } from '../src/main/classify/batch-store.ts';
import { decidePhotos } from '../src/main/classify/decisions.ts';
import { insertBatch } from '../src/main/db/batches.ts';
import { openWorkspace } from '../src/main/db/connection.ts';
import { insertPhoto } from '../src/main/db/photos.ts';
import { decodeMessage, encodeMessage } from '../src/shared/wire.ts';
import { realSplit } from '../test/fashion-data.ts';
import { median, timed } from './bench-util.ts';

const PHOTOS = 10_000;

export async function benchReview(repeats: number): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fashion-sorter-bench-review-'));
  const db = openWorkspace(path.join(dir, 'workspace.db'));
  try {
    const { images, labels } = realSplit('test');
    const batchId = '00000000-0000-4000-8000-000000000001';
    insertBatch(db, { batchId, runId: null, total: PHOTOS, gate: { kind: 'single', threshold: 0.9, auditShare: 0.02 }, uploadDir: null }, new Date());
    const probabilities = new Float32Array(10);
    db.transaction(() => {
      for (let i = 0; i < PHOTOS; i++) {
        probabilities.fill(0.01);
        probabilities[labels[i]] = 0.91;
        insertPhoto(db, {
          batch_id: batchId,
          position: i,
          file: `/photos/item-${i}.jpg`,
          name: `item-${i}.jpg`,
          classified_at: new Date().toISOString(),
          run_id: null,
          pixels: Buffer.from(images.subarray(i * 784, (i + 1) * 784)),
          background: 'light',
          predicted: labels[i],
          confidence: 0.91,
          probabilities: Buffer.from(probabilities.buffer.slice(0)),
          label: null,
          decided_by: 'model',
          reviewed_at: null,
          image_id: null,
          review_reason: i % 7 === 0 ? 'low-confidence' : null,
          unusual: 0,
          feature_distance: null,
          seen_before: 0,
          sha256: null,
        });
      }
    })();
    const ids = (db.prepare('SELECT id FROM photos WHERE position % 50 = 0').all() as { id: number }[]).map((r) => r.id);
    decidePhotos(db, ids, 3, new Date());

    const runs: number[] = [];
    const decodes: number[] = [];
    const cpu: number[] = [];
    let bytes = 0;
    for (let r = 0; r < Math.max(repeats, 5); r++) {
      const cpuBefore = process.cpuUsage();
      // The back end's part: read the batch and encode it for the WebSocket.
      const { seconds, value } = await timed(() => encodeMessage({ type: 'response', id: 1, envelope: { ok: true, value: openBatch(db, batchId, new Date()) } }));
      runs.push(seconds);
      bytes = value.length;
      // The page's part: decode it (here in Node, as the renderer does in the browser).
      decodes.push((await timed(() => decodeMessage(value))).seconds);
      // CPU time of this process for both: less disturbed than wall time when the machine is shared.
      const used = process.cpuUsage(cpuBefore);
      cpu.push((used.user + used.system) / 1e6);
    }
    const ms = (s: number): number => Math.round(s * 1000);
    return {
      photos: PHOTOS,
      openAndEncodeMilliseconds: ms(median(runs)),
      decodeMilliseconds: ms(median(decodes)),
      totalMilliseconds: ms(median(runs) + median(decodes)),
      totalCpuMilliseconds: ms(median(cpu)),
      loadAverage: Number(os.loadavg()[0].toFixed(1)),
      targetMilliseconds: 500,
      messageMegabytes: Number((bytes / 1e6).toFixed(1)),
    };
  } finally {
    if (process.env.KEEP) fs.copyFileSync(path.join(dir, 'workspace.db'), process.env.KEEP);
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
