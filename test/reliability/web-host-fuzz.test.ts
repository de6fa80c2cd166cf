/**
 * Issue 11, item 3: one bad message ended the web host (and any training in it). This test starts the
 * real host in a process of its own on 127.0.0.1 and sends it thousands of random and mutated inputs:
 * raw HTTP requests, raw WebSocket frames over a TCP socket after a real upgrade, and messages for every
 * request channel of the contract, including chunked uploads. Afterwards the host must still be
 * running and answer a valid page request and a valid API request. Counts are fixed and the inputs come
 * from a seeded generator, so a failure can be replayed.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { REQUEST_CHANNELS, type RequestChannel } from '../../src/shared/api.ts';
import { decodeMessage, encodeClientFrame, MAX_MESSAGE_BYTES, type ServerMessage } from '../../src/shared/wire.ts';
import { kaggleCsv } from '../helpers.ts';
import { startHostProcess, type HostProcess } from './processes.ts';

const HTTP_REQUESTS = 3000;
const RAW_FRAMES = 3000;
const MESSAGES = 5000;
const SEED = 0x5eed11;
const TOKEN = 'fuzz-token-0123456789abcdef';

/** mulberry32: small, seeded, good enough to pick inputs. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = random(SEED);
const int = (n: number): number => Math.floor(rand() * n);
const pick = <T>(items: readonly T[]): T => items[int(items.length)];
const chance = (p: number): boolean => rand() < p;
const randomBytes = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => int(256)));

let hostProcess: HostProcess;
let child: ChildProcess;
let port: number;
let allowed: string;
const uploadIds: string[] = [];

let root: string;

beforeAll(async () => {
  // Not tempDir(): that one is removed after each test, and this host lives for the whole file.
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'fashion-sorter-fuzz-'));
  const staticDir = path.join(root, 'renderer');
  allowed = path.join(root, 'allowed');
  fs.mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
  fs.mkdirSync(allowed);
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>app</title>');
  fs.writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(allowed, 'fashion-mnist_test.csv'), kaggleCsv('test', 30));
  hostProcess = await startHostProcess(root, staticDir, allowed, TOKEN);
  port = hostProcess.port;
  child = hostProcess.child;
});

afterAll(async () => {
  await hostProcess.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

const host = (): string => `127.0.0.1:${port}`;
const origin = (): string => `http://${host()}`;

/**
 * Writes bytes to a fresh TCP connection and waits for the host to close it; once the host has said
 * something it gets `waitMs` more, and 5 s in all if it says nothing.
 */
function rawExchange(bytes: Buffer | Buffer[], waitMs = 150): Promise<Buffer> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(received));
    };
    let timer = setTimeout(done, 5000);
    socket.on('data', (chunk) => {
      if (received.length === 0) {
        clearTimeout(timer);
        timer = setTimeout(done, waitMs);
      }
      received.push(chunk);
    });
    socket.on('error', done);
    socket.on('close', done);
    socket.on('connect', () => {
      for (const part of Array.isArray(bytes) ? bytes : [bytes]) socket.write(part);
      // Half-close: an incomplete request then ends at once instead of waiting for the rest.
      socket.end();
    });
  });
}

/** Runs `count` tasks, `parallel` at a time. */
async function pool(count: number, parallel: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < count) await task(next++);
  }));
}

// ---- HTTP requests -------------------------------------------------------------------------------

const PATH_PIECES = ['/', '/index.html', '/assets/app.js', '/api', '/%c0%ae', '/%', '/%zz', '/%E0%A4%A', '/..%2f..%2fetc%2fpasswd', '/%00', '/\u0000', '/a/../../b', '//', '/' + 'x'.repeat(9000), '/%ff%fe', '/?', '/#frag', '/assets/%2e%2e/%2e%2e/w.db', 'http://[::1', '*'];
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT', 'PATCH', 'GE T', '', 'ÄÖÜ', 'G\u0000ET'];

function httpRequest(): Buffer {
  const token = pick([`token=${TOKEN}`, 'token=wrong', `token=${TOKEN}&token=x`, '', 'token=%', `token=${TOKEN}%00`]);
  const target = pick(PATH_PIECES) + (chance(0.8) ? `${chance(0.5) ? '?' : '&'}${token}` : '');
  const headers = [`Host: ${pick([host(), 'evil.example', '', host() + '\u0000'])}`];
  if (chance(0.3)) headers.push(`Cookie: fashion_sorter_token=${pick([TOKEN, '', 'x', '%'])}`);
  if (chance(0.2)) headers.push(`Content-Length: ${pick(['5', '-1', 'abc', '99999999999999999999', '0'])}`);
  if (chance(0.2)) headers.push(`Transfer-Encoding: ${pick(['chunked', 'gzip', 'x'])}`);
  if (chance(0.1)) headers.push(`Upgrade: websocket`, `Connection: Upgrade`, `Sec-WebSocket-Version: ${pick(['13', '8', 'x'])}`, `Sec-WebSocket-Key: ${pick(['dGhlIHNhbXBsZSBub25jZQ==', 'short', ''])}`, `Origin: ${pick([origin(), 'http://evil.example'])}`);
  if (chance(0.1)) headers.push('X-Long: ' + 'a'.repeat(int(20000)));
  let text = `${pick(METHODS)} ${target} HTTP/${pick(['1.1', '1.0', '2.0', '9'])}\r\n${headers.join('\r\n')}\r\n\r\n`;
  if (chance(0.2)) text += 'hello';
  let bytes: Buffer = Buffer.from(text, 'latin1');
  if (chance(0.3)) {
    // Byte-level mutation: flip, truncate, or splice in random bytes.
    const at = int(bytes.length);
    const kind = int(3);
    if (kind === 0) bytes[at] = int(256);
    else if (kind === 1) bytes = bytes.subarray(0, at);
    else bytes = Buffer.concat([bytes.subarray(0, at), randomBytes(1 + int(40)), bytes.subarray(at)]);
  }
  if (chance(0.05)) bytes = randomBytes(1 + int(500));
  return bytes;
}

// ---- WebSocket frames ----------------------------------------------------------------------------

function upgradeRequest(): Buffer {
  return Buffer.from(
    `GET /api?token=${TOKEN} HTTP/1.1\r\nHost: ${host()}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\nOrigin: ${origin()}\r\n\r\n`,
  );
}

/** One frame; `length` may lie about the payload's length. */
function frame(options: { fin?: boolean; rsv?: number; opcode: number; masked?: boolean; payload: Buffer; length?: number }): Buffer {
  const { fin = true, rsv = 0, opcode, masked = true, payload } = options;
  const length = options.length ?? payload.length;
  const head: number[] = [(fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0xf)];
  const maskBit = masked ? 0x80 : 0;
  if (length < 126) head.push(maskBit | length);
  else if (length < 65536) head.push(maskBit | 126, length >> 8, length & 0xff);
  else {
    head.push(maskBit | 127);
    const big = Buffer.alloc(8);
    big.writeBigUInt64BE(BigInt(length));
    head.push(...big);
  }
  if (!masked) return Buffer.concat([Buffer.from(head), payload]);
  const key = randomBytes(4);
  const body = Buffer.from(payload.map((b, i) => b ^ key[i % 4]));
  return Buffer.concat([Buffer.from(head), key, body]);
}

function frames(): Buffer[] {
  const message = Buffer.from(JSON.stringify({ type: 'request', id: 1, channel: pick(REQUEST_CHANNELS), arg: undefined }));
  switch (int(12)) {
    case 0: return [frame({ opcode: 1, masked: false, payload: message })];
    case 1: return [frame({ opcode: 1, rsv: 1 + int(7), payload: message })];
    case 2: return [frame({ opcode: pick([3, 4, 5, 6, 7, 0xb, 0xc, 0xd, 0xe, 0xf]), payload: randomBytes(int(50)) })];
    case 3: return [frame({ opcode: 1, payload: Buffer.from([0xc0, 0xae, 0xff, 0xfe, 0x80]) })];
    case 4: return [frame({ opcode: 0, payload: message })];
    case 5: return [frame({ opcode: 9, fin: false, payload: randomBytes(4) })];
    case 6: return [frame({ opcode: 9, payload: randomBytes(126 + int(200)) })];
    case 7: return [frame({ opcode: pick([1, 2]), payload: randomBytes(8), length: pick([MAX_MESSAGE_BYTES + 1, 2 ** 40, 2 ** 53 - 1]) })];
    case 8: return [frame({ opcode: 8, payload: pick([Buffer.from([0x03]), Buffer.from([0x03, 0xe7]), Buffer.from([0x0b, 0xb8, 0xff]), Buffer.from([0, 0])]) })];
    case 9: return [frame({ opcode: 1, fin: false, payload: message.subarray(0, 5) }), frame({ opcode: 1, payload: message.subarray(5) })];
    case 10: {
      const good = frame({ opcode: pick([1, 2]), payload: chance(0.5) ? message : randomBytes(int(300)) });
      good[int(good.length)] = int(256);
      return [good];
    }
    default: return [randomBytes(1 + int(200))];
  }
}

// ---- Messages ------------------------------------------------------------------------------------

/** A valid argument for every request channel, which mutation starts from. */
function seeds(): Record<RequestChannel, () => unknown> {
  const uploadId = (): string => (uploadIds.length && chance(0.8) ? pick(uploadIds) : randomUUID());
  return {
    'app:info': () => undefined,
    'dataset:list': () => undefined,
    'dataset:import': () => ({ paths: [pick([path.join(allowed, 'fashion-mnist_test.csv'), allowed, '/etc/passwd', path.join(allowed, '..')])] }),
    'dataset:import-upload': () => ({ uploadId: uploadId(), split: 'test', name: 'Dropped' }),
    'dataset:import-bundled': () => undefined,
    'dataset:samples': () => ({ datasetId: 1, perClass: 2 }),
    'train:start': () => ({ model: 'mlp', epochs: 1 }),
    'train:cancel': () => ({ jobId: randomUUID() }),
    'train:jobs': () => undefined,
    'job:cancel': () => ({ jobId: randomUUID() }),
    'job:list': () => undefined,
    'run:list': () => undefined,
    'run:evaluation': () => ({ runId: 1, split: 'test' }),
    'run:epochs': () => ({ runId: 1 }),
    'run:active': () => undefined,
    'run:export-predictions': () => ({ runId: 1, out: pick([undefined, path.join(allowed, `predictions-${int(1000)}.csv`), '/etc/passwd']) }),
    'run:export-model': () => ({ runId: 1, out: pick([undefined, path.join(allowed, `model-${int(1000)}`), '/tmp']) }),
    'run:activate': () => ({ runId: 1 }),
    'run:compare': () => ({ runId: 1, otherRunId: 2, split: 'test' }),
    'gallery:page': () => ({ query: pick([{ kind: 'compare', runId: 1, otherRunId: 2, split: 'test', change: 'fixed' }, { kind: 'cell', runId: 1, split: 'test', trueLabel: 1, predicted: 2 }]), sort: 'confidence-desc', offset: 0, limit: 10 }),
    'image:detail': () => ({ imageId: 1, runId: null }),
    'image:relabel': () => ({ imageId: 1, label: 3, runId: null }),
    'image:undo-relabel': () => ({ imageId: 1, runId: null }),
    'image:flag': () => ({ imageId: 1, suspicious: true, runId: null }),
    'classify:paths': () => ({ paths: [allowed] }),
    'classify:upload': () => ({ uploadId: uploadId() }),
    'classify:decide': () => ({ photoId: 1, label: 2 }),
    'classify:sort': () => ({ batchId: randomUUID(), target: path.join(allowed, 'sorted'), move: chance(0.5), again: chance(0.5) }),
    'classify:decide-many': () => ({ photoIds: [1, 2], label: chance(0.5) ? null : 3 }),
    'classify:undo': () => ({ batchId: randomUUID() }),
    'classify:batches': () => undefined,
    'classify:open-batch': () => ({ batchId: randomUUID() }),
    'classify:delete-batch': () => ({ batchId: randomUUID() }),
    'classify:photo-original': () => ({ photoId: 1 }),
    'review:settings': () => undefined,
    'review:set-settings': () => ({ maxError: 0.02 }),
    'upload:begin': () => undefined,
    'upload:chunk': () => ({ uploadId: uploadId(), relativePath: pick(['shirts/a.png', 'train.csv', 'a', 'a/b']), size: 8, offset: pick([0, 0, 4, 8]), data: randomBytes(pick([0, 4, 8])) }),
    'upload:discard': () => ({ uploadId: uploadId() }),
    'scan:start': () => ({ model: 'mlp', folds: 2, epochs: 1 }),
    'scan:list': () => ({ datasetId: 1 }),
    'scan:delete': () => ({ scanId: 1 }),
    'scan:issues': () => ({ scanId: 1, offset: 0, limit: 10 }),
    'scan:typical': () => ({ scanId: 1, label: 6, towards: 0, count: 4 }),
    'scan:relabel': () => ({ imageId: 1, label: 3 }),
    'scan:confirm': () => ({ imageId: 1 }),
    'scan:unconfirm': () => ({ imageId: 1 }),
    'labels:changes': () => ({ datasetId: 1, offset: 0, limit: 10 }),
    'labels:undo-change': () => ({ changeId: 1 }),
    'labels:flagged': () => ({ datasetId: 1 }),
    'scan:guidelines': () => pick([{}, { runId: 1 }, { scanId: 1 }]),
  };
}

function randomValue(depth = 0): unknown {
  switch (int(depth > 3 ? 9 : 12)) {
    case 0: return null;
    case 1: return pick([0, -1, 1.5, 2 ** 53, -(2 ** 31), 1e308, Number.MIN_VALUE]);
    case 2: return pick(['', 'x', '../../etc/passwd', '/', 'C:\\Windows', 'a\u0000b', '\ud800', '🧥'.repeat(int(50)), 'y'.repeat(int(5000)), randomUUID()]);
    case 3: return chance(0.5);
    case 4: return undefined;
    case 5: return randomBytes(int(64));
    case 6: return { $bytes: pick(['', '!!!', 'AAAA', 'A'.repeat(int(100))]) };
    case 7: return { $blob: pick([[0, 1], [-1, 2], [0, 2 ** 40], 'x', null]) };
    // An own `__proto__` key, as JSON.parse makes one from a message.
    case 8: return JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}');
    case 9: return Array.from({ length: int(5) }, () => randomValue(depth + 1));
    case 10: return Object.fromEntries(Array.from({ length: int(5) }, () => [pick(['paths', 'files', 'uploadId', 'data', 'x', 'runId', 'query']), randomValue(depth + 1)]));
    default: {
      // Nesting a few hundred deep (deeper still is sent as raw text, below).
      let deep: unknown = 1;
      for (let i = 0, n = int(500); i < n; i++) deep = [deep];
      return deep;
    }
  }
}

function mutate(value: unknown, depth = 0): unknown {
  if (chance(0.15) || depth > 4) return randomValue();
  if (value instanceof Uint8Array) return chance(0.5) ? value.subarray(0, int(value.length + 1)) : randomBytes(int(32));
  if (Array.isArray(value)) return value.length && chance(0.7) ? value.map((v) => (chance(0.5) ? mutate(v, depth + 1) : v)) : [...value, randomValue()];
  if (typeof value === 'object' && value !== null) {
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    const keys = Object.keys(copy);
    const roll = int(4);
    if (roll === 0 && keys.length) delete copy[pick(keys)];
    else if (roll === 1) Object.defineProperty(copy, pick(['extra', '__proto__', 'constructor', 'toString']), { value: randomValue(), enumerable: true, writable: true, configurable: true });
    else if (keys.length) copy[pick(keys)] = mutate(copy[pick(keys)], depth + 1);
    return copy;
  }
  return chance(0.5) ? value : randomValue();
}

function message(id: number): { data: string | Uint8Array; binary: boolean } {
  const channel = chance(0.95) ? pick(REQUEST_CHANNELS) : pick(['', 'dataset:drop', '__proto__', 'constructor', 'toString', 7, null] as const);
  const table = seeds();
  const seed = typeof channel === 'string' && Object.hasOwn(table, channel) ? table[channel as RequestChannel] : null;
  const arg = seed ? (chance(0.4) ? seed() : mutate(seed())) : randomValue();
  let envelope: unknown = { type: 'request', id, channel, arg };
  if (chance(0.05)) envelope = pick([null, 1, 'x', [], { type: 'request' }, { type: 'response', id }, { type: 'request', id: 'x', channel: 'app:info' }, { type: 'request', id: 2 ** 60, channel: 'app:info' }]);
  if (chance(0.1)) envelope = mutate(envelope);
  if (chance(0.01)) {
    // Nesting far deeper than any encoder here could write: recursive decoding must not end the host.
    const depth = 10_000 + int(200_000);
    return { data: `{"type":"request","id":${id},"channel":"dataset:import","arg":${'['.repeat(depth)}${']'.repeat(depth)}}`, binary: false };
  }
  // A message mutated into `undefined` encodes to nothing: send an empty one.
  let data: string | Uint8Array = encodeClientFrame(envelope as never) ?? '';
  if (chance(0.1)) {
    // Byte-level damage to an encoded message.
    const bytes = Buffer.from(typeof data === 'string' ? Buffer.from(data) : data);
    const at = int(bytes.length);
    bytes[at] = int(256);
    data = typeof data === 'string' ? bytes.toString('latin1') : bytes;
  }
  return { data, binary: typeof data !== 'string' };
}

async function openSocket(): Promise<WebSocket> {
  const socket = new WebSocket(`ws://${host()}/api?token=${TOKEN}`, { headers: { origin: origin() }, maxPayload: 64 * 1024 * 1024 });
  socket.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return socket;
}

/** Sends one message and waits for its response or the socket's close; a silent host fails the test. */
function exchange(socket: WebSocket, data: string | Uint8Array, binary: boolean): Promise<ServerMessage | 'closed'> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the host neither answered nor closed within 10 s')), 10_000);
    const finish = (result: ServerMessage | 'closed'): void => {
      clearTimeout(timer);
      socket.off('message', onMessage);
      socket.off('close', onClose);
      resolve(result);
    };
    const onMessage = (raw: WebSocket.RawData): void => {
      const reply = decodeMessage<ServerMessage>(raw.toString());
      if (reply.type === 'response') finish(reply);
    };
    const onClose = (): void => finish('closed');
    socket.on('message', onMessage);
    socket.on('close', onClose);
    socket.send(data, { binary });
  });
}

/** The host is up and serves both a page and the API. */
async function stillAnswers(): Promise<void> {
  expect(child.exitCode, hostProcess.stderr()).toBeNull();
  // Nothing reached the host's log of bugs: every bad input was one it expected.
  expect(hostProcess.stderr()).not.toMatch(/Uncaught|LOGGED/);
  const page = await fetch(`${origin()}/?token=${TOKEN}`);
  expect(page.status).toBe(200);
  const socket = await openSocket();
  const reply = await exchange(socket, encodeClientFrame({ type: 'request', id: 1, channel: 'dataset:list', arg: undefined }), false);
  expect(reply).toMatchObject({ type: 'response', envelope: { ok: true } });
  socket.close();
}

describe('web host fuzzing', () => {
  it('has a seed argument for every request channel of the contract, so new channels are fuzzed too', () => {
    expect(Object.keys(seeds()).sort()).toEqual([...REQUEST_CHANNELS].sort());
  });

  it(`survives ${HTTP_REQUESTS} random and mutated HTTP requests`, async () => {
    const statuses = new Map<string, number>();
    await pool(HTTP_REQUESTS, 16, async () => {
      const reply = await rawExchange(httpRequest());
      const status = /^HTTP\/1\.1 (\d{3})/.exec(reply.toString('latin1'))?.[1] ?? 'none';
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    });
    // Malformed requests were answered, not dropped: 400s and 403s among them.
    expect(statuses.get('400')).toBeGreaterThan(0);
    expect(statuses.get('403')).toBeGreaterThan(0);
    await stillAnswers();
  }, 120_000);

  it(`survives ${RAW_FRAMES} malformed WebSocket frames after a real upgrade`, async () => {
    let upgraded = 0;
    await pool(RAW_FRAMES, 16, async () => {
      const reply = await rawExchange([upgradeRequest(), ...frames()]);
      if (reply.toString('latin1').startsWith('HTTP/1.1 101')) upgraded++;
    });
    expect(upgraded).toBe(RAW_FRAMES);
    await stillAnswers();
  }, 120_000);

  it(`survives ${MESSAGES} random and mutated messages to every channel, and oversize ones`, async () => {
    const setup = await openSocket();
    for (let i = 0; i < 6; i++) {
      const begun = await exchange(setup, encodeClientFrame({ type: 'request', id: i, channel: 'upload:begin', arg: undefined }), false);
      if (begun !== 'closed' && begun.type === 'response' && begun.envelope.ok) uploadIds.push((begun.envelope.value as { uploadId: string }).uploadId);
    }
    setup.close();
    expect(uploadIds).toHaveLength(6);

    let socket = await openSocket();
    const outcomes = { answered: 0, closed: 0, internal: [] as string[] };
    for (let id = 1; id <= MESSAGES; id++) {
      const { data, binary } = message(id);
      const reply = await exchange(socket, data, binary);
      if (reply === 'closed') {
        outcomes.closed++;
        socket = await openSocket();
      } else if (reply.type === 'response') {
        outcomes.answered++;
        if (!reply.envelope.ok && reply.envelope.error.code === 'internal') outcomes.internal.push(reply.envelope.error.message);
      }
    }
    for (const size of [MAX_MESSAGE_BYTES + 1, 64 * 1024 * 1024]) {
      const big = await exchange(socket, Buffer.alloc(size, 0x20), chance(0.5));
      expect(big).toBe('closed');
      socket = await openSocket();
    }
    socket.close();
    expect(outcomes.answered).toBeGreaterThan(MESSAGES / 2);
    expect(outcomes.closed).toBeGreaterThan(0);
    // Every failure was one the host expected and could explain: no bugs surfaced as `internal`.
    expect(outcomes.internal).toEqual([]);
    await stillAnswers();
  }, 180_000);
});
