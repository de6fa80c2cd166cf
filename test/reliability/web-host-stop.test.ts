/**
 * A web host told to stop (SIGTERM, or Ctrl-C in its terminal) while it trains: it cancels the job and
 * waits for the training process to record it, so the run reads "cancelled" at once, not "running" until
 * the workspace is next opened (tester, after issue 14).
 */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { openWorkspace } from '../../src/main/db/connection.ts';
import { decodeMessage, encodeMessage, type ServerMessage } from '../../src/shared/wire.ts';
import { cliWorkspace } from '../helpers.ts';
import { startWebProcess } from './processes.ts';

describe('stopping the web host', () => {
  it('while a run trains: the run is cancelled and recorded before the host exits', async () => {
    const { db: file } = await cliWorkspace(3000, 200);
    const web = await startWebProcess(file, 'stop-token');
    const socket = new WebSocket(`ws://127.0.0.1:${web.port}/api?token=stop-token`, { headers: { origin: `http://127.0.0.1:${web.port}` } });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    // Wait for the first batch's progress: the training process is then well inside its epochs.
    const firstBatch = new Promise<void>((resolve) =>
      socket.on('message', (raw) => {
        const message = decodeMessage<ServerMessage>(raw.toString());
        if (message.type === 'event' && /"batch":\s*[1-9]/.test(JSON.stringify(message))) resolve();
      }),
    );
    const started = await new Promise<ServerMessage>((resolve) => {
      socket.on('message', (raw) => {
        const message = decodeMessage<ServerMessage>(raw.toString());
        if (message.type === 'response' && message.id === 1) resolve(message);
      });
      socket.send(encodeMessage({ type: 'request', id: 1, channel: 'train:start', arg: { model: 'mlp', epochs: 200, batchSize: 32 } }));
    });
    expect(started).toMatchObject({ type: 'response', envelope: { ok: true } });
    await firstBatch;
    socket.close();
    await web.stop();

    const check = openWorkspace(file);
    const runs = check.prepare('SELECT status FROM runs').all() as { status: string }[];
    check.close();
    expect(runs).toEqual([{ status: 'cancelled' }]);
  }, 120_000);
});
