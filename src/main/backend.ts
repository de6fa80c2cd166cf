import path from 'node:path';
import packageJson from '../../package.json' with { type: 'json' };
import type { AppInfo } from '../shared/types.ts';
import { openWorkspace, type Db } from './db/connection.ts';
import { SYSTEM_FASHION_MNIST_DIR } from './dataset/bundled.ts';
import { createHandlers, type EventSink, type Handlers } from './handlers.ts';

/** The repository's resources folder, when running from source or from `out/`. */
export const SOURCE_RESOURCES_DIR = path.resolve(import.meta.dirname, '../../resources');

export interface Backend {
  db: Db;
  handlers: Handlers;
  close(): void;
}

export interface BackendOptions {
  dbPath: string;
  host: AppInfo['host'];
  resourcesDir?: string;
  events?: EventSink;
}

/** Opens the workspace and builds the request handlers: the whole back end, minus a transport. */
export function openBackend(options: BackendOptions): Backend {
  const db = openWorkspace(options.dbPath);
  const resourcesDir = options.resourcesDir ?? SOURCE_RESOURCES_DIR;
  const handlers = createHandlers({
    db,
    dbPath: options.dbPath,
    version: packageJson.version,
    host: options.host,
    bundledDatasetDirs: [path.join(resourcesDir, 'fashion-mnist'), SYSTEM_FASHION_MNIST_DIR],
    events: options.events ?? (() => {}),
  });
  return { db, handlers, close: () => db.close() };
}
