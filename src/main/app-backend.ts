import path from 'node:path';
import packageJson from '../../package.json' with { type: 'json' };
import type { AppInfo } from '../shared/types.ts';
import { openWorkspace, type Db } from './db/connection.ts';
import { SYSTEM_FASHION_MNIST_DIR } from './dataset/bundled.ts';
import { PhotoClassifier } from './classify/photo-classifier.ts';
import { failInterruptedRuns } from './db/runs.ts';
import { createHandlers, type EventSink, type Handlers } from './handlers.ts';
import { TaskManager } from './jobs/task-manager.ts';
import { TrainingJobs } from './jobs/training-jobs.ts';
import { ScanJobs, type ScanWorkerHandle } from './jobs/scan-jobs.ts';
import type { WorkerLauncher } from './workers/protocol.ts';
import { nodeWorkerLauncher } from './workers/node-launcher.ts';
import type { PathGrants } from './path-grants.ts';

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
  close(): void;
}

export interface BackendOptions {
  dbPath: string;
  host: AppInfo['host'];
  resourcesDir?: string;
  events?: EventSink;
  /** How training processes start: a Node child process unless the desktop shell says otherwise. */
  launchWorker?: WorkerLauncher;
  /** How label-scan processes start: a Node child process unless the desktop shell says otherwise. */
  launchScanWorker?: () => ScanWorkerHandle;
  /** The desktop app's record of paths a person picked or dropped. */
  pathGrants?: PathGrants;
}

/** True when a process with this id exists on this machine. */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Opens the workspace and builds the request handlers: the whole back end, minus a transport. */
export function openBackend(options: BackendOptions): Backend {
  const db = openWorkspace(options.dbPath);
  failInterruptedRuns(db, processAlive, new Date());
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
  });
  return {
    db,
    handlers,
    jobs,
    scans,
    tasks,
    classifier,
    close: () => {
      tasks.cancelAll();
      classifier.dispose();
      db.close();
    },
  };
}
