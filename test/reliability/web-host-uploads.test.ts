/**
 * Issue 11, item 3: a 480 MB message took the web host to 2.8 GB RSS. Uploads now travel as binary
 * pieces of 4 MiB (`upload:chunk`) written straight to disk; a message over 16 MiB closes the socket.
 * These tests send a Kaggle-sized CSV (130 MB) and a 10,000-photo batch through the real host, as the
 * page does, and check what arrived and how far the host's peak memory rose while it arrived.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { uploadFiles } from '../../src/renderer/src/lib/upload.ts';
import type { Api, RequestChannel } from '../../src/shared/api.ts';
import { deserializeError } from '../../src/shared/errors.ts';
import { decodeMessage, encodeClientFrame, type ServerMessage } from '../../src/shared/wire.ts';
import { realSplit } from '../helpers.ts';
import { writePhoto } from '../photo-fixtures.ts';
import { startHostProcess, type HostProcess } from './processes.ts';

const TOKEN = 'uploads-token-0123456789abcdef';
let host: HostProcess;
let child: ChildProcess;
let root: string;
let port: number;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'fashion-sorter-uploads-'));
  fs.mkdirSync(path.join(root, 'renderer'));
  fs.mkdirSync(path.join(root, 'allowed'));
  host = await startHostProcess(root, path.join(root, 'renderer'), path.join(root, 'allowed'), TOKEN);
  port = host.port;
  child = host.child;
});

afterAll(async () => {
  await host.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

/** The page's side of the socket, as api-client.ts speaks it, over the `ws` client (which can send an Origin). */
async function connect(): Promise<{ api: Api; close(): void }> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/api?token=${TOKEN}`, { headers: { origin: `http://127.0.0.1:${port}` } });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const pending = new Map<number, (message: ServerMessage) => void>();
  socket.on('message', (data) => {
    const message = decodeMessage<ServerMessage>(data.toString());
    if (message.type === 'response') pending.get(message.id)?.(message);
  });
  let nextId = 1;
  const api: Api = {
    invoke: (channel: RequestChannel, ...params: unknown[]) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, (message) => {
          pending.delete(id);
          if (message.type !== 'response') return;
          if (message.envelope.ok) resolve(message.envelope.value as never);
          else reject(deserializeError(message.envelope.error));
        });
        socket.send(encodeClientFrame({ type: 'request', id, channel, arg: params[0] }));
      }),
    on: () => () => {},
  } as Api;
  return { api, close: () => socket.close() };
}

/** The host's peak resident memory so far (VmHWM), in MiB; null where /proc does not say. */
function peakMiB(): number | null {
  const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) / 1024 : null;
}

/** The Kaggle training CSV: 60,000 rows of 784 pixels, about 130 MB, built from the real images. */
function kaggleTrainCsv(): Buffer {
  const { images, labels } = realSplit('train');
  const rows = ['label,' + Array.from({ length: 784 }, (_, i) => `pixel${i + 1}`).join(',')];
  for (let i = 0; i < labels.length; i++) rows.push(`${labels[i]},${images.subarray(i * 784, (i + 1) * 784).join(',')}`);
  return Buffer.from(rows.join('\n') + '\n');
}

describe.runIf(process.platform === 'linux')('uploads through the web host', () => {
  it('takes a 130 MB CSV in pieces, twice, with the host\'s peak memory rising by less than one file\'s size', async () => {
    const csv = kaggleTrainCsv();
    expect(csv.length).toBeGreaterThan(120 * 1024 * 1024);
    const { api, close } = await connect();
    const uploadsRoot = path.join(root, 'user-data', 'uploads');
    const before = peakMiB()!;
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) ids.push(await uploadFiles(api, [{ file: new File([csv], 'fashion-mnist_train.csv'), relativePath: 'fashion-mnist_train.csv' }]));
    const rise = peakMiB()! - before;
    console.log(`CSV upload: 2 × ${(csv.length / 1024 ** 2).toFixed(0)} MiB sent, host peak RSS ${before.toFixed(0)} → ${(before + rise).toFixed(0)} MiB`);
    const workspaceFolder = path.join(uploadsRoot, fs.readdirSync(uploadsRoot)[0]);
    const arrived = fs.readFileSync(path.join(workspaceFolder, `batch-${ids[1]}`, 'files', 'fashion-mnist_train.csv'));
    expect(arrived.equals(csv)).toBe(true);
    // A piece is 4 MiB, four in flight; the rest of the rise is pieces awaiting garbage collection.
    // Neither file was ever held whole, so twice the bytes did not raise the peak past one file's size.
    expect(rise).toBeLessThan(csv.length / 1024 ** 2);
    const imported = await api.invoke('dataset:import-upload', { uploadId: ids[0], name: 'Kaggle' });
    expect(imported).toMatchObject({ name: 'Kaggle', images: 60_000 });
    await api.invoke('upload:discard', { uploadId: ids[1] });
    expect(fs.readdirSync(workspaceFolder)).toEqual([]);
    close();
  }, 300_000);

  it('takes a 10,000-photo batch, every photo arriving whole under its own name', async () => {
    const dir = fs.mkdtempSync(path.join(root, 'photos-'));
    const samples = await Promise.all([1, 2, 3, 4].map((i) => writePhoto(dir, i)));
    const bytes = samples.map((file) => fs.readFileSync(file));
    const files = Array.from({ length: 10_000 }, (_, i) => ({ file: new File([bytes[i % 4]], `IMG_${i}.jpg`), relativePath: `holiday/IMG_${i % 5000}.jpg` }));
    const { api, close } = await connect();
    const uploadId = await uploadFiles(api, files);
    const uploads = path.join(root, 'user-data', 'uploads', fs.readdirSync(path.join(root, 'user-data', 'uploads'))[0]);
    const batch = fs.readdirSync(uploads).find((name) => name === `batch-${uploadId}`)!;
    const received = fs.readdirSync(path.join(uploads, batch, 'files', 'holiday'));
    // Same-named photos were kept apart: IMG_1.jpg and IMG_1 (2).jpg.
    expect(received).toHaveLength(10_000);
    expect(fs.readFileSync(path.join(uploads, batch, 'files', 'holiday', 'IMG_1 (2).jpg')).equals(bytes[5001 % 4])).toBe(true);
    await api.invoke('upload:discard', { uploadId });
    expect(fs.existsSync(path.join(uploads, batch))).toBe(false);
    close();
  }, 300_000);
});
