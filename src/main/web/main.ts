/**
 * `npm run web`: serves the built renderer with the real back end on 127.0.0.1 and prints the address,
 * which carries a random access token.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openBackend } from '../app-backend.ts';
import { pruneUploadedPhotos } from '../classify/uploads.ts';
import { defaultUserDataDir, resolveWorkspacePath } from '../paths.ts';
import type { EventSink } from '../handlers.ts';
import { startWebHost } from './web-host.ts';

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    port: { type: 'string', default: '0' },
    token: { type: 'string' },
  },
});

const dbPath = resolveWorkspacePath(values.db, defaultUserDataDir());
// Events raised before the host listens have no one to go to.
let emit: EventSink = () => {};
const backend = openBackend({ dbPath, host: 'web', events: (channel, payload) => emit(channel, payload) });
const host = await startWebHost({
  handlers: backend.handlers,
  staticDir: path.resolve(import.meta.dirname, '../../../out/renderer'),
  port: Number(values.port),
  token: values.token,
});
emit = host.emit;
console.log(`Workspace: ${dbPath}`);
console.log(`Fashion Sorter is running at ${host.url}`);
// Photos uploaded by a browser are copies kept for sorting; a week later they go.
pruneUploadedPhotos(new Date()).catch((error: Error) => console.error(`Could not remove old uploaded photos: ${error.message}`));

const stop = async (): Promise<void> => {
  await host.close();
  backend.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
