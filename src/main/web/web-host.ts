/**
 * The loopback web host: serves the built renderer and the API over WebSocket on 127.0.0.1, so the
 * same UI runs in a browser (for `npm run web` and the Playwright tests). Every request and socket
 * must carry the random access token, first in the URL, then in a cookie the host sets.
 *
 * No input may end the process (and any training in it): every request, socket and message is handled
 * inside a try or an 'error' listener, a malformed request gets 400, a malformed message closes its
 * socket, and a message is at most 16 MiB; files arrive in pieces (`upload:chunk`).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventChannel, EventPayloads } from '../../shared/api.ts';
import { decodeBinaryFrame, decodeMessage, encodeMessage, MAX_MESSAGE_BYTES, type ClientMessage } from '../../shared/wire.ts';
import { dispatch, type Handlers } from '../handlers.ts';

const COOKIE = 'fashion_sorter_token';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

/** The same policy as the renderer's meta tag: nothing from anywhere but this host. */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export interface WebHostOptions {
  handlers: Handlers;
  /** The built renderer (out/renderer). */
  staticDir: string;
  port?: number;
  /** Fixed token for tests; random otherwise. */
  token?: string;
  log?: (error: unknown) => void;
}

export interface WebHost {
  url: string;
  port: number;
  /** Broadcasts an event to every connected browser. */
  emit<E extends EventChannel>(channel: E, payload: EventPayloads[E]): void;
  close(): Promise<void>;
}

function sameToken(expected: Buffer, given: string | null | undefined): boolean {
  if (!given) return false;
  const candidate = Buffer.from(given);
  return candidate.length === expected.length && timingSafeEqual(candidate, expected);
}

function cookieToken(header: string | undefined): string | null {
  for (const part of (header ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === COOKIE) return value.join('=');
  }
  return null;
}

/** Starts the host on 127.0.0.1 and resolves once it listens. */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const expected = Buffer.from(token);
  const staticRoot = path.resolve(options.staticDir);
  const log = options.log ?? console.error;
  let origin = '';

  /** Host-header check stops DNS-rebinding pages from reaching the loopback port. */
  const trusted = (req: http.IncomingMessage, url: URL): boolean => {
    if (req.headers.host !== new URL(origin).host) return false;
    return sameToken(expected, url.searchParams.get('token')) || sameToken(expected, cookieToken(req.headers.cookie));
  };

  /** Serves one page or asset; throws on a request it cannot make sense of. */
  const serve = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = URL.parse(req.url ?? '/', origin);
    if (!url) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Bad request: not a valid address.\n');
      return;
    }
    if (!trusted(req, url)) {
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Forbidden: open the address that `npm run web` printed, including its token.\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Bad request: the path is not valid percent-encoded UTF-8.\n');
      return;
    }
    const relative = pathname === '/' ? 'index.html' : pathname.slice(1);
    const file = path.resolve(staticRoot, relative);
    if (!file.startsWith(staticRoot + path.sep) || relative.includes('\0')) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await fs.readFile(file);
      const headers: http.OutgoingHttpHeaders = {
        'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
      };
      if (url.searchParams.has('token')) headers['set-cookie'] = `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
      res.writeHead(200, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
    }
  };

  const server = http.createServer((req, res) => {
    // A client that goes away mid-request must not raise an unhandled 'error'.
    req.on('error', () => req.destroy());
    res.on('error', () => res.destroy());
    serve(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      log(error);
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Bad request\n');
    });
  });
  // Requests Node cannot parse (bad request lines, oversized headers): answer 400 where still possible.
  server.on('clientError', (_error, socket) => {
    if (socket.writable && !socket.destroyed) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  sockets.on('error', log);
  // A handshake that ws refuses (bad key, bad version): answer 400 and drop the socket.
  sockets.on('wsClientError', (_error, socket) => {
    if (socket.writable && !socket.destroyed) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    const url = URL.parse(req.url ?? '/', origin);
    // A page from another origin must not drive the API with the user's cookie.
    if (!url || url.pathname !== '/api' || !trusted(req, url) || req.headers.origin !== origin) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => sockets.emit('connection', ws));
  });

  sockets.on('connection', (ws: WebSocket) => {
    // Malformed frames (unmasked, bad UTF-8, reserved bits, oversize) close the socket with a code;
    // ws reports them here, and without a listener they would end the process.
    ws.on('error', () => ws.terminate());
    ws.on('message', (data, isBinary) => {
      void answer(ws, data as Buffer, isBinary).catch((error: unknown) => {
        log(error);
        ws.close(1011, 'internal error');
      });
    });
  });

  /** Decodes one message, runs it, and sends the response; a message that is no request closes the socket. */
  const answer = async (ws: WebSocket, data: Buffer, isBinary: boolean): Promise<void> => {
    let message: ClientMessage;
    try {
      message = isBinary ? decodeBinaryFrame<ClientMessage>(data) : decodeMessage<ClientMessage>(data.toString('utf8'));
      if (typeof message !== 'object' || message === null || Array.isArray(message) || message.type !== 'request' || !Number.isSafeInteger(message.id)) {
        throw new Error('not a request');
      }
    } catch {
      ws.close(1003, 'malformed message');
      return;
    }
    const envelope = await dispatch(options.handlers, message.channel, message.arg, log);
    if (ws.readyState === ws.OPEN) ws.send(encodeMessage({ type: 'response', id: message.id, envelope }));
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  // After listening, a server error (say, out of file descriptors on accept) is logged, not fatal.
  server.on('error', log);
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/?token=${token}`,
    port,
    emit(channel, payload) {
      const text = encodeMessage({ type: 'event', channel, payload } as never);
      for (const client of sockets.clients) if (client.readyState === client.OPEN) client.send(text, () => {});
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
