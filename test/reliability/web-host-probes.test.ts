/**
 * Issue 11, item 3, probe by probe: each of these ended the web host before. The host runs in a process
 * of its own; after each probe it must still be running and answer a valid request.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { decodeMessage, encodeClientFrame, type ServerMessage } from '../../src/shared/wire.ts';
import { startHostProcess, type HostProcess } from './processes.ts';

const TOKEN = 'probe-token-0123456789abcdef';
let host: HostProcess;
let child: ChildProcess;
let root: string;
let port: number;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'fashion-sorter-probes-'));
  fs.mkdirSync(path.join(root, 'renderer'));
  fs.mkdirSync(path.join(root, 'allowed'));
  fs.writeFileSync(path.join(root, 'renderer', 'index.html'), '<!doctype html><title>app</title>');
  host = await startHostProcess(root, path.join(root, 'renderer'), path.join(root, 'allowed'), TOKEN);
  port = host.port;
  child = host.child;
});

afterAll(async () => {
  await host.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

const origin = (): string => `http://127.0.0.1:${port}`;

/**
 * Sends raw bytes and collects what comes back until the host closes the connection or, on a socket,
 * has sent its close frame (a graceful close then waits for ours, which this raw client never sends).
 */
function raw(parts: Buffer[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => parts.forEach((p) => socket.write(p)));
    let received = Buffer.alloc(0);
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(received);
    };
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('the host neither closed the connection nor sent a close frame within 10 s'));
    }, 10_000);
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      const body = received.indexOf('\r\n\r\n');
      if (body >= 0 && received[body + 4] === 0x88 && received.length >= body + 8) finish();
    });
    socket.on('error', () => {});
    socket.on('close', finish);
  });
}

function upgrade(): Buffer {
  return Buffer.from(
    `GET /api?token=${TOKEN} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\nOrigin: ${origin()}\r\n\r\n`,
  );
}

/** A client frame: masked unless told otherwise; `length` may claim more than is sent. */
function frame(opcode: number, payload: Buffer, options: { masked?: boolean; rsv?: number; length?: number } = {}): Buffer {
  const { masked = true, rsv = 0, length = payload.length } = options;
  const head = [0x80 | (rsv << 4) | opcode];
  if (length < 126) head.push((masked ? 0x80 : 0) | length);
  else {
    head.push((masked ? 0x80 : 0) | 127);
    const big = Buffer.alloc(8);
    big.writeBigUInt64BE(BigInt(length));
    head.push(...big);
  }
  if (!masked) return Buffer.concat([Buffer.from(head), payload]);
  const key = randomBytes(4);
  return Buffer.concat([Buffer.from(head), key, Buffer.from(payload.map((b, i) => b ^ key[i % 4]))]);
}

/** The close code in the host's close frame after the 101 response. */
function closeCode(reply: Buffer): number {
  const text = reply.toString('latin1');
  expect(text.startsWith('HTTP/1.1 101')).toBe(true);
  const body = reply.subarray(text.indexOf('\r\n\r\n') + 4);
  expect(body[0]).toBe(0x88);
  return body.readUInt16BE(2);
}

async function stillAnswers(): Promise<void> {
  expect(child.exitCode, host.stderr()).toBeNull();
  expect(host.stderr()).not.toMatch(/Uncaught|LOGGED/);
  const socket = new WebSocket(`ws://127.0.0.1:${port}/api?token=${TOKEN}`, { headers: { origin: origin() } });
  await new Promise((resolve) => socket.once('open', resolve));
  const reply = await new Promise<ServerMessage>((resolve) => {
    socket.once('message', (data) => resolve(decodeMessage<ServerMessage>(data.toString())));
    socket.send(encodeClientFrame({ type: 'request', id: 1, channel: 'dataset:list', arg: undefined }));
  });
  expect(reply).toMatchObject({ type: 'response', envelope: { ok: true } });
  socket.close();
}

describe('the probes that ended the web host', () => {
  it('GET /%c0%ae?token=… gets 400', async () => {
    const reply = await raw([Buffer.from(`GET /%c0%ae?token=${TOKEN} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`)]);
    expect(reply.toString('latin1')).toMatch(/^HTTP\/1\.1 400/);
    await stillAnswers();
  });

  it('a WebSocket message `null` closes that socket with 1003', async () => {
    expect(closeCode(await raw([upgrade(), frame(1, Buffer.from('null'))]))).toBe(1003);
    await stillAnswers();
  });

  it('an unmasked frame closes with 1002', async () => {
    expect(closeCode(await raw([upgrade(), frame(1, Buffer.from('{}'), { masked: false })]))).toBe(1002);
    await stillAnswers();
  });

  it('a text frame that is not UTF-8 closes with 1007', async () => {
    expect(closeCode(await raw([upgrade(), frame(1, Buffer.from([0xc0, 0xae, 0xff]))]))).toBe(1007);
    await stillAnswers();
  });

  it('a frame with RSV bits set closes with 1002', async () => {
    expect(closeCode(await raw([upgrade(), frame(1, Buffer.from('{}'), { rsv: 4 })]))).toBe(1002);
    await stillAnswers();
  });

  it('a 600 MB message closes with 1009 as soon as its length is read', async () => {
    expect(closeCode(await raw([upgrade(), frame(2, randomBytes(1024), { length: 600 * 1024 * 1024 })]))).toBe(1009);
    await stillAnswers();
  });
});
