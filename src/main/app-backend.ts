import path from 'node:path';
import packageJson from '../../package.json' with { type: 'json' };
import type { AppInfo } from '../shared/types.ts';
import { isReadOnlyWorkspace, openWorkspace, type Db } from './db/connection.ts';
import { SYSTEM_FASHION_MNIST_DIR } from './dataset/bundled.ts';
import { PhotoClassifier } from './classify/photo-classifier.ts';
import { PRUNE_NOTICE_KEY, pruneStaleBatches, pruneNotice } from './classify/batch-store.ts';
import { storedUploadFolders } from './db/batches.ts';
import { setSetting } from './db/settings.ts';
import { failInterruptedRuns } from './db/runs.ts';
import { isSameProcessAlive } from './runs/process-identity.ts';
import { removeAbandonedImports } from './db/staged-imports.ts';
import { createHandlers, type EventSink, type Handlers } from './handlers.ts';
import { TaskManager } from './jobs/task-manager.ts';
import { TrainingJobs } from './jobs/training-jobs.ts';
import { ScanJobs, type ScanWorkerHandle } from './jobs/scan-jobs.ts';
import type { WorkerLauncher } from './workers/protocol.ts';
import { nodeWorkerLauncher } from './workers/node-launcher.ts';
import type { PathPolicy } from './path-grants.ts';
import { defaultUserDataDir } from './paths.ts';
import { ensureWorkspaceId, findWorkspaceId } from './db/workspace-id.ts';
import { UploadStore } from './uploads/upload-store.ts';
import { UploadSessions } from './uploads/upload-sessions.ts';

/** The repository's resources folder, when running from source or from `out/`. */
export const SOURCE_RESOURCES_DIR = path.resolve(import.meta.dirname, '../../resources');

export interface Backend {
  db: Db;
  handlers: Handlers;
  jobs: TrainingJobs;
  /** Label scans (issue 12), `scan` jobs of the same task manager. */
  scans: ScanJobs;
  tasks: TaskManager;
  classifier: PhotoClassifier;
  uploads: UploadSessions;
  /** The workspace could not be written and was opened to look at only. */
  readOnly: boolean;
  close(): void;
  /**
   * Cancels running jobs and waits for them to end (up to `timeoutMs`), then closes: a host that is
   * told to stop leaves its runs and scans marked cancelled, not running.
   */
  shutdown(timeoutMs?: number): Promise<void>;
}

/** Longer than the jobs' own grace before they kill a process that does not stop. */
const SHUTDOWN_TIMEOUT_MS = 20_000;

export interface BackendOptions {
  dbPath: string;
  host: AppInfo['host'];
  resourcesDir?: string;
  events?: EventSink;
  /** How training processes start: a Node child process unless the desktop shell says otherwise. */
  launchWorker?: WorkerLauncher;
  /** How label-scan processes start: a Node child process unless the desktop shell says otherwise. */
  launchScanWorker?: () => ScanWorkerHandle;
  /** Which paths requests may name: the desktop app's picked paths, the web host's `--allow` folders. */
  pathGrants?: PathPolicy;
  /**
   * The app's user-data folder, which holds `uploads/<workspace id>/`. When given, uploads older than
   * a week are pruned at open; without it uploads go to the default folder and nothing is pruned.
   */
  userDataDir?: string;
  /** Where pruning reports a failure; console.error by default. */
  log?: (message: string) => void;
  /** `--new`: an existing empty file may become the workspace. */
  newWorkspace?: boolean;
}

/** Opens the workspace and builds the request handlers: the whole back end, minus a transport. */
export function openBackend(options: BackendOptions): Backend {
  const db = openWorkspace(options.dbPath, { createInEmptyFile: options.newWorkspace });
  const readOnly = isReadOnlyWorkspace(db);
  // A read-only workspace keeps its runs as they were; nothing can be marked there.
  if (!readOnly) {
    failInterruptedRuns(db, isSameProcessAlive, new Date());
    removeAbandonedImports(db, isSameProcessAlive);
  }
  const resourcesDir = options.resourcesDir ?? SOURCE_RESOURCES_DIR;
  const events = options.events ?? (() => {});
  // One task manager for every kind of job, so the UI and the taskbar follow them all.
  const tasks = new TaskManager((update) => events('job:update', update));
  const jobs = new TrainingJobs({
    db,
    dbPath: options.dbPath,
    launch: options.launchWorker ?? nodeWorkerLauncher(),
    publish: (update) => events('job:update', update),
    tasks,
  });
  const scans = new ScanJobs({ db, dbPath: options.dbPath, tasks, launch: options.launchScanWorker });
  const classifier = new PhotoClassifier(db);
  const uploadStore = new UploadStore({
    userDataDir: options.userDataDir ?? defaultUserDataDir(),
    workspaceId: (create) => (create ? ensureWorkspaceId(db) : findWorkspaceId(db)),
  });
  const uploads = new UploadSessions(uploadStore);
  const log = options.log ?? console.error;
  if (!readOnly) {
    // Batches nobody opened for 30 days go, with their uploaded photos and a notice the Batches list shows.
    void pruneStaleBatches(db, new Date(), (folder) => uploadStore.removeFolder(folder))
      .then((count) => count > 0 && setSetting(db, PRUNE_NOTICE_KEY, pruneNotice(count) ?? ''))
      .catch((error: Error) => log(`Could not remove old batches: ${error.message}`));
  }
  if (options.userDataDir) {
    // Uploaded photos are copies kept for sorting: as long as their stored batch lasts, else a week.
    const stored = new Set(storedUploadFolders(db).map((folder) => path.resolve(folder)));
    uploadStore.prune(new Date(), { storedBatch: (folder) => stored.has(path.resolve(folder)) }).catch((error: Error) => log(`Could not remove old uploads: ${error.message}`));
  }
  const handlers = createHandlers({
    db,
    dbPath: options.dbPath,
    version: packageJson.version,
    host: options.host,
    bundledDatasetDirs: [path.join(resourcesDir, 'fashion-mnist'), SYSTEM_FASHION_MNIST_DIR],
    events,
    jobs,
    tasks,
    classifier,
    scans,
    pathGrants: options.pathGrants,
    uploads,
  });
  return {
    db,
    handlers,
    jobs,
    scans,
    tasks,
    classifier,
    uploads,
    readOnly,
    close: () => {
      tasks.cancelAll();
      classifier.dispose();
      db.close();
    },
    shutdown: async (timeoutMs = SHUTDOWN_TIMEOUT_MS) => {
      await tasks.stopAll(timeoutMs);
      classifier.dispose();
      db.close();
    },
  };
}
