/**
 * The web host as the fuzz test runs it: the real back end, transport, `--allow` rule and uploads
 * folder, in a process of its own, so that an input that ends the process is seen as exactly that.
 * Two channels start minutes of work (training, loading all 70,000 bundled images); after validation
 * they are answered by a stand-in here, as the fuzz test aims at the door, not at training.
 *
 *   node web-host-child.ts <workspace.db> <static dir> <allowed dir> <user-data dir> <token>
 */
import { AllowedRoots } from '../../src/main/allowed-roots.ts';
import { openBackend } from '../../src/main/app-backend.ts';
import type { Handlers } from '../../src/main/handlers.ts';
import { startWebHost } from '../../src/main/web/web-host.ts';

const [dbPath, staticDir, allowed, userDataDir, token] = process.argv.slice(2);
const backend = openBackend({ dbPath, host: 'web', userDataDir, pathGrants: new AllowedRoots([allowed]) });
const handlers: Handlers = {
  ...backend.handlers,
  'train:start': () => ({ jobId: '00000000-0000-4000-8000-000000000000', runId: 1 }),
  'dataset:import-bundled': () => ({ datasetId: 1, name: 'stand-in', createdAt: '', images: 0, bySplit: { train: 0, test: 0, user: 0 }, labelCounts: [], added: 0, skippedDuplicates: 0 }),
};
// Bugs the host logs (errors that are not expected AppErrors) go to stderr, where the test reads them.
const host = await startWebHost({ handlers, staticDir, token, log: (error) => console.error(`LOGGED ${error instanceof Error ? error.stack : String(error)}`) });
console.log(JSON.stringify({ port: host.port }));
