import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { openBackend, type Backend } from '../../../src/main/app-backend.ts';
import { startWebHost, type WebHost } from '../../../src/main/web/web-host.ts';
import { decodeMessage, encodeClientFrame, type ServerMessage } from '../../../src/shared/wire.ts';
import { kaggleCsv, tempDir } from '../../helpers.ts';

let backend: Backend;
let host: WebHost;
let origin: string;
let userDataDir: string;
const TOKEN = 'test-token-0123456789';

beforeEach(async () => {
  const dir = tempDir();
  const staticDir = path.join(dir, 'renderer');
  fs.mkdirSync(staticDir);
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>app</title>');
  userDataDir = path.join(dir, 'user-data');
  backend = openBackend({ dbPath: path.join(dir, 'w.db'), host: 'web', userDataDir, events: (c, p) => host.emit(c, p) });
  host = await startWebHost({ handlers: backend.handlers, staticDir, token: TOKEN });
  origin = new URL(host.url).origin;
});

afterEach(async () => {
  await host.close();
  backend.close();
});

/** Opens a socket and resolves with a function that sends one request and waits for its response. */
async function connect(url: string, headers: Record<string, string>): Promise<{ call(channel: string, arg?: unknown): Promise<ServerMessage>; socket: WebSocket }> {
  const socket = new WebSocket(url, { headers });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  let id = 0;
  return {
    socket,
    call: (channel, arg) =>
      new Promise((resolve) => {
        const mine = ++id;
        const onMessage = (data: WebSocket.RawData): void => {
          const message = decodeMessage<ServerMessage>(data.toString());
          if (message.type === 'response' && message.id === mine) {
            socket.off('message', onMessage);
            resolve(message);
          }
        };
        socket.on('message', onMessage);
        socket.send(encodeClientFrame({ type: 'request', id: mine, channel: channel as never, arg }));
      }),
  };
}

describe('web host', () => {
  it('listens on 127.0.0.1 only and prints a URL with the token', () => {
    expect(host.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/\\?token=${TOKEN}$`));
  });

  it('refuses a page request without the token, and serves it with the token plus a strict CSP', async () => {
    expect((await fetch(`${origin}/`)).status).toBe(403);
    expect((await fetch(`${origin}/?token=wrong-token-0123456789`)).status).toBe(403);
    const ok = await fetch(host.url);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toContain("default-src 'self'");
    const cookie = ok.headers.get('set-cookie')!.split(';')[0];
    // Assets the page loads carry the cookie instead of the token.
    expect((await fetch(`${origin}/index.html`, { headers: { cookie } })).status).toBe(200);
    // URL parsing resolves `..` and `%2e%2e` segments; an encoded slash survives it and is decoded later.
    const escape = await new Promise<number>((resolve) => {
      http.get({ host: '127.0.0.1', port: host.port, path: '/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fhostname', headers: { cookie, host: `127.0.0.1:${host.port}` } }, (res) => resolve(res.statusCode ?? 0));
    });
    expect(escape).toBe(404);
  });

  it('refuses a socket without the token or from another origin', async () => {
    const refused = (url: string, headers: Record<string, string>): Promise<number> =>
      new Promise((resolve) => {
        const socket = new WebSocket(url, { headers });
        socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        socket.on('open', () => resolve(101));
      });
    expect(await refused(`ws://127.0.0.1:${host.port}/api`, { origin })).toBe(403);
    expect(await refused(`ws://127.0.0.1:${host.port}/api?token=${TOKEN}`, { origin: 'http://evil.example' })).toBe(403);
  });

  it('answers requests from the contract and returns errors as code and message', async () => {
    const { call, socket } = await connect(`ws://127.0.0.1:${host.port}/api?token=${TOKEN}`, { origin });
    const list = await call('dataset:list');
    expect(list).toMatchObject({ type: 'response', envelope: { ok: true, value: [] } });
    const bad = await call('dataset:samples', { datasetId: -1, perClass: 5 });
    expect(bad).toMatchObject({ envelope: { ok: false, error: { code: 'invalid-argument' } } });
    const unknown = await call('dataset:drop-table');
    expect(unknown).toMatchObject({ envelope: { ok: false, error: { code: 'invalid-argument', message: 'Unknown request dataset:drop-table.' } } });
    const missing = await call('dataset:samples', { datasetId: 99, perClass: 5 });
    expect(missing).toMatchObject({ envelope: { ok: false, error: { code: 'not-found' } } });
    socket.close();
  });

  it('carries uploaded bytes and pushes events to connected pages', async () => {
    const { call, socket } = await connect(`ws://127.0.0.1:${host.port}/api?token=${TOKEN}`, { origin });
    const events: ServerMessage[] = [];
    socket.on('message', (data) => {
      const message = decodeMessage<ServerMessage>(data.toString());
      if (message.type === 'event') events.push(message);
    });
    const begun = (await call('upload:begin')) as { envelope: { value: { uploadId: string } } };
    const { uploadId } = begun.envelope.value;
    await call('upload:chunk', { uploadId, relativePath: 'x.bin', size: 3, offset: 0, data: new Uint8Array([1, 2, 3]) });
    const response = await call('dataset:import-upload', { uploadId });
    // The bytes arrived as a file: the importer looked at it and said what it is not.
    expect(response).toMatchObject({ envelope: { ok: false, error: { code: 'import-failed', message: expect.stringMatching(/x\.bin: not a dataset file/) } } });
    host.emit('dataset:changed', { datasetId: 3 });
    await expect.poll(() => events.filter((e) => 'channel' in e && e.channel === 'dataset:changed')).toEqual([{ type: 'event', channel: 'dataset:changed', payload: { datasetId: 3 } }]);
    // The import ran as a job, and its end reached the page too.
    expect(events.filter((e) => 'channel' in e && e.channel === 'job:update').at(-1)).toMatchObject({ payload: { kind: 'import', state: 'failed' } });
    socket.close();
  });

  it('imports a Kaggle CSV sent in binary pieces, and keeps nothing of it afterwards', async () => {
    const { call, socket } = await connect(`ws://127.0.0.1:${host.port}/api?token=${TOKEN}`, { origin });
    const csv = Buffer.from(kaggleCsv('test', 2000));
    const piece = 64 * 1024;
    const { envelope } = (await call('upload:begin')) as { envelope: { value: { uploadId: string } } };
    const { uploadId } = envelope.value;
    const sent: number[] = [];
    for (let offset = 0; offset < csv.length; offset += piece) {
      const data = csv.subarray(offset, offset + piece);
      const reply = (await call('upload:chunk', { uploadId, relativePath: 'drop/fashion-mnist_test.csv', size: csv.length, offset, data })) as { envelope: { ok: boolean; value: { received: number } } };
      sent.push(reply.envelope.value.received);
    }
    expect(sent.at(-1)).toBe(csv.length);
    const imported = await call('dataset:import-upload', { uploadId, name: 'From browser' });
    expect(imported).toMatchObject({ envelope: { ok: true, value: { name: 'From browser', images: 2000 } } });
    // The upload is used up, and its copy is gone.
    expect(await call('dataset:import-upload', { uploadId })).toMatchObject({ envelope: { ok: false, error: { code: 'not-found' } } });
    const root = path.join(userDataDir, 'uploads');
    const [workspace] = fs.readdirSync(root);
    expect(fs.readdirSync(path.join(root, workspace))).toEqual([]);
    socket.close();
  });

  it('answers a path that is not valid percent-encoding with 400, and still serves afterwards', async () => {
    const status = (requestPath: string): Promise<number> =>
      new Promise((resolve, reject) => {
        http.get({ host: '127.0.0.1', port: host.port, path: requestPath, headers: { host: `127.0.0.1:${host.port}` } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        }).on('error', reject);
      });
    expect(await status(`/%c0%ae?token=${TOKEN}`)).toBe(400);
    expect(await status(`/%E0%A4%A?token=${TOKEN}`)).toBe(400);
    expect(await status(`/?token=${TOKEN}`)).toBe(200);
  });

  it('closes a socket that sends a message that is not a request, and keeps answering others', async () => {
    const url = `ws://127.0.0.1:${host.port}/api?token=${TOKEN}`;
    for (const bad of ['null', '42', '[]', '{"type":"request"}', 'not json', '{"type":"request","id":1,"channel":"dataset:list","arg":{"$bytes":"!!"}}']) {
      const { socket } = await connect(url, { origin });
      const code = await new Promise<number>((resolve) => {
        socket.once('close', (closeCode) => resolve(closeCode));
        socket.send(bad);
      });
      expect(code, bad).toBe(1003);
    }
    const { call, socket } = await connect(url, { origin });
    expect(await call('dataset:list')).toMatchObject({ envelope: { ok: true, value: [] } });
    socket.close();
  });

  it('closes a socket whose message is over 16 MiB with 1009, and stays up', async () => {
    const url = `ws://127.0.0.1:${host.port}/api?token=${TOKEN}`;
    const { socket } = await connect(url, { origin });
    socket.on('error', () => {});
    const code = await new Promise<number>((resolve) => {
      socket.once('close', (closeCode) => resolve(closeCode));
      socket.send(Buffer.alloc(16 * 1024 * 1024 + 1));
    });
    expect(code).toBe(1009);
    const { call, socket: again } = await connect(url, { origin });
    expect(await call('dataset:list')).toMatchObject({ envelope: { ok: true } });
    again.close();
  });
});
