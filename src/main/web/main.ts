/**
 * `npm run web`: serves the built renderer with the real back end on 127.0.0.1 and prints the address,
 * which carries a random access token.
 *
 *   --db FILE     the workspace (default: the desktop app's)
 *   --new         an existing empty file may become the workspace
 *   --port N      the port (default: any free one)
 *   --token T     a fixed access token (default: a random one)
 *   --allow DIR   a folder whose files requests may name by path; repeatable (default: your home folder)
 *   --open        also open the address in the system browser, where there is one
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AllowedRoots } from '../allowed-roots.ts';
import { openBackend } from '../app-backend.ts';
import { defaultUserDataDir, resolveWorkspacePath } from '../paths.ts';
import type { EventSink } from '../handlers.ts';
import { UPLOADS_FOLDER } from '../uploads/upload-store.ts';
import { openBrowser } from './open-browser.ts';
import { startWebHost } from './web-host.ts';

let values: { db?: string; new: boolean; port: string; token?: string; allow?: string[]; open: boolean };
let allowed: AllowedRoots;
try {
  ({ values } = parseArgs({
    options: {
      db: { type: 'string' },
      new: { type: 'boolean', default: false },
      port: { type: 'string', default: '0' },
      token: { type: 'string' },
      allow: { type: 'string', multiple: true },
      open: { type: 'boolean', default: false },
    },
  }));
  allowed = new AllowedRoots(values.allow?.length ? values.allow : [os.homedir()]);
} catch (error) {
  console.error(`npm run web: ${(error as Error).message} Usage: npm run web -- [--db FILE] [--new] [--port N] [--allow DIR]… [--open]`);
  process.exit(2);
}

const userDataDir = defaultUserDataDir();
const dbPath = resolveWorkspacePath(values.db, userDataDir);
// Events raised before the host listens have no one to go to.
let emit: EventSink = () => {};
const backend = (() => {
  try {
    return openBackend({ dbPath, host: 'web', userDataDir, pathGrants: allowed, newWorkspace: values.new, events: (channel, payload) => emit(channel, payload) });
  } catch (error) {
    // A refused or damaged workspace: say why in one line, without a stack trace.
    console.error((error as Error).message);
    process.exit(1);
  }
})();
if (backend.readOnly) console.log(`The workspace ${dbPath} is read-only: it is shown as it is, and any change is refused.`);
const host = await startWebHost({
  handlers: backend.handlers,
  staticDir: path.resolve(import.meta.dirname, '../../../out/renderer'),
  port: Number(values.port),
  token: values.token,
});
emit = host.emit;
console.log(`Workspace: ${dbPath}`);
console.log(`Files by path only inside: ${allowed.roots.join(', ')} (add folders with --allow DIR)`);
console.log(`Uploads kept in: ${path.join(userDataDir, UPLOADS_FOLDER)} (photos as long as their batch, or a week when no batch keeps them; datasets until imported)`);
console.log(`Fashion Sorter is running at ${host.url}`);
if (values.open) {
  console.log(openBrowser(host.url) ? 'Opening it in your browser.' : 'Open that address in a browser.');
}

let stopping = false;
const stop = async (): Promise<void> => {
  // A second signal while jobs are being stopped: stop at once (the next start marks them failed).
  if (stopping) process.exit(1);
  stopping = true;
  if (backend.tasks.running().length > 0) console.log('Stopping: cancelling the running jobs after their current batch (press Ctrl-C again to stop at once)…');
  await host.close();
  await backend.shutdown();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
