/**
 * The types the request handlers are built from: what a host gives them, and the table of handlers.
 * Kept apart from handlers.ts so that the handler files for one domain (review, labels) can use them
 * without importing the file that assembles them all.
 */
import type { z } from 'zod';
import type { EventChannel, EventPayloads, RequestChannel, RequestResult, requestSchemas } from '../shared/api.ts';
import type { AppInfo } from '../shared/types.ts';
import type { PhotoClassifier } from './classify/photo-classifier.ts';
import type { Db } from './db/connection.ts';
import type { ScanJobs } from './jobs/scan-jobs.ts';
import type { TaskManager } from './jobs/task-manager.ts';
import type { TrainingJobs } from './jobs/training-jobs.ts';
import type { PathPolicy } from './path-grants.ts';
import type { UploadSessions } from './uploads/upload-sessions.ts';

/** Where the back end sends events; each transport broadcasts them to its clients. */
export type EventSink = <E extends EventChannel>(channel: E, payload: EventPayloads[E]) => void;

/** What the handlers need from the process that hosts them. */
export interface BackendContext {
  db: Db;
  dbPath: string;
  version: string;
  host: AppInfo['host'];
  /** Folders to look in for the bundled Fashion-MNIST, first match wins. */
  bundledDatasetDirs: readonly string[];
  events: EventSink;
  jobs: TrainingJobs;
  classifier: PhotoClassifier;
  /** The app's one task manager; by default the one training jobs keep. */
  tasks?: TaskManager;
  /**
   * Which server paths a request may name: in the desktop app those a person picked or dropped, in the
   * web host those inside its `--allow` folders; absent for the CLI, whose user names paths directly.
   */
  pathGrants?: PathPolicy;
  /** Files a browser sends by content; absent where nothing is uploaded. */
  uploads?: UploadSessions;
  /** Label scans; made on the task manager when absent. */
  scans?: ScanJobs;
}

/** A handler gets its argument already validated against the contract. */
export type Handlers = {
  [C in RequestChannel]: (arg: z.output<(typeof requestSchemas)[C]>) => Promise<RequestResult<C>> | RequestResult<C>;
};
