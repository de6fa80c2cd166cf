/**
 * Issue 11, item 2: writers in separate processes never fail with "database is locked" and never lose a
 * write. Real processes, real workspaces, hundreds of operations.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openWorkspace } from '../../src/main/db/connection.ts';
import { migrate, MIGRATIONS } from '../../src/main/db/migrations.ts';
import { FASHION_MNIST_DIR, tempDir } from '../helpers.ts';
import { importDataset } from '../../src/main/dataset/import-service.ts';
import WebSocket from 'ws';
import { decodeMessage, encodeMessage, type ServerMessage } from '../../src/shared/wire.ts';
import { cliProcess, ops, startWebProcess } from './processes.ts';

const imagesOf = (db: Database.Database, name: string): number =>
  (db.prepare('SELECT COUNT(*) AS n FROM images i JOIN datasets d ON d.id = i.dataset_id WHERE d.name = ?').get(name) as { n: number }).n;

describe('concurrent writers in separate processes', () => {
  it('six processes opening one new, then one older-schema, workspace at once all succeed', async () => {
    const dir = tempDir();
    const failures: string[] = [];
    for (let round = 0; round < 3; round++) {
      const fresh = path.join(dir, `new-${round}.db`);
      const older = path.join(dir, `old-${round}.db`);
      const raw = new Database(older);
      raw.pragma('journal_mode = WAL');
      migrate(raw, 2);
      raw.close();
      const results = await Promise.all([...Array.from({ length: 6 }, () => ops('open', fresh, 'n', 1)), ...Array.from({ length: 6 }, () => ops('open', older, 'o', 1))]);
      failures.push(...results.flatMap((r) => r.errors));
      for (const file of [fresh, older]) {
        const db = openWorkspace(file);
        expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
        db.close();
      }
    }
    expect(failures).toEqual([]);
  });

  it('two import processes at once: 300 imports, no failure, every image kept', async () => {
    const file = path.join(tempDir(), 'w.db');
    const [a, b] = await Promise.all([ops('imports', file, 'left', 150), ops('imports', file, 'right', 150)]);
    expect([...a.errors, ...b.errors]).toEqual([]);
    const db = openWorkspace(file);
    expect([imagesOf(db, 'left'), imagesOf(db, 'right')]).toEqual([150, 150]);
    db.close();
  });

  it('imports, and relabels through the web host, while the CLI trains and saves 70,000 predictions: no failure, nothing lost, the run saved', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'w.db');
    const db = openWorkspace(file);
    await importDataset(db, [FASHION_MNIST_DIR], {});
    const imageIds = (db.prepare('SELECT id FROM images ORDER BY id LIMIT 300').all() as { id: number }[]).map((r) => r.id);
    db.close();
    const stop = path.join(dir, 'stop');
    const web = await startWebProcess(file, 'reliability-token');

    /** A person relabelling in the browser: one request after another over the web host's WebSocket, until training ends. */
    const relabelThroughWebHost = async (): Promise<{ ok: number; errors: string[]; last: Map<number, number>; waits: number[] }> => {
      const origin = `http://127.0.0.1:${web.port}`;
      const socket = new WebSocket(`ws://127.0.0.1:${web.port}/api?token=reliability-token`, { headers: { origin } });
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
      const pending = new Map<number, (m: ServerMessage) => void>();
      socket.on('message', (data) => {
        const message = decodeMessage<ServerMessage>(data.toString());
        if (message.type === 'response') pending.get(message.id)?.(message);
      });
      const result = { ok: 0, errors: [] as string[], last: new Map<number, number>(), waits: [] as number[] };
      for (let id = 1; !fs.existsSync(stop); id++) {
        const imageId = imageIds[id % imageIds.length];
        const label = (id * 7 + 3) % 10;
        const sent = performance.now();
        const reply = await new Promise<ServerMessage>((resolve) => {
          pending.set(id, resolve);
          socket.send(encodeMessage({ type: 'request', id, channel: 'image:relabel', arg: { imageId, label, runId: null } }));
        });
        result.waits.push(performance.now() - sent);
        if (reply.type === 'response' && reply.envelope.ok) {
          result.ok++;
          result.last.set(imageId, label);
        } else if (reply.type === 'response' && !reply.envelope.ok) result.errors.push(reply.envelope.error.message);
      }
      socket.close();
      return result;
    };

    try {
      const training = cliProcess(['train', '--model', 'mlp', '--epochs', '1', '--limit', '2000', '--db', file, '--json']).finally(() => fs.writeFileSync(stop, ''));
      const [trained, left, right, relabels] = await Promise.all([training, ops('imports', file, 'left', `until:${stop}`), ops('imports', file, 'right', `until:${stop}`), relabelThroughWebHost()]);

      expect(trained.code, trained.err).toBe(0);
      expect([...left.errors, ...right.errors, ...relabels.errors]).toEqual([]);
      const check = openWorkspace(file);
      expect([imagesOf(check, 'left'), imagesOf(check, 'right')]).toEqual([left.ok, right.ok]);
      for (const [imageId, label] of relabels.last) expect((check.prepare('SELECT label FROM images WHERE id = ?').get(imageId) as { label: number }).label).toBe(label);
      const run = check.prepare('SELECT id, status FROM runs ORDER BY id DESC LIMIT 1').get() as { id: number; status: string };
      expect(run.status).toBe('succeeded');
      const predictions = (check.prepare('SELECT COUNT(*) AS n FROM predictions WHERE run_id = ?').get(run.id) as { n: number }).n;
      check.close();
      expect(predictions).toBe(70_000);
      // Enough operations overlapped the training to mean something.
      const waits = [...relabels.waits].sort((a, b) => a - b);
      console.log(
        `during CLI training: ${left.ok + right.ok} imports and ${relabels.ok} relabels through the web host, 0 failed; relabel round trip median ${waits[waits.length >> 1].toFixed(1)} ms, longest ${waits.at(-1)!.toFixed(0)} ms`,
      );
      expect(left.ok + right.ok).toBeGreaterThan(100);
      expect(relabels.ok).toBeGreaterThan(100);
    } finally {
      await web.stop();
    }
  });
});
