import type { z } from 'zod';
import {
  requestSchemas,
  type RequestChannel,
  type Envelope,
  isRequestChannel,
} from '../shared/api.ts';
import { AppError, serializeError } from '../shared/errors.ts';
import { issueInWords } from '../shared/issue-words.ts';
import { batchName, entriesOfPaths, entriesOfRelativePaths } from '../shared/batch-name.ts';
import { isReadOnlyWorkspace } from './db/connection.ts';
import { withWorkspaceErrors } from './db/workspace-errors.ts';
import { datasetSummaries, sampleImages } from './db/datasets.ts';
import { findBundledDataset } from './dataset/bundled.ts';
import { DEFAULT_DATASET_NAME, importDataset } from './dataset/import-service.ts';
import { galleryPage, imageDetail, relabelImage, setSuspicious, undoRelabel } from './db/images.ts';
import { getRun, listRuns, runEpochs } from './db/runs.ts';
import { activateRun, activeRunId } from './runs/active-run.ts';
import { expandPhotoPaths } from './files/list-files.ts';
import { setBatchUploadDir, batchSummary } from './db/batches.ts';
import { reviewHandlers } from './review-handlers.ts';
import type { ClassifiedPhoto, ClassifyBatch, ImportResult } from '../shared/types.ts';
import type { TaskContext } from './jobs/task-manager.ts';
import type { UploadSessions } from './uploads/upload-sessions.ts';
import { compareRuns } from './runs/compare.ts';
import { exportModel, exportPredictions } from './runs/exports.ts';
import { workspaceEvaluation } from './runs/evaluation.ts';
import { ScanJobs } from './jobs/scan-jobs.ts';
import { createLabelHandlers } from './label-handlers.ts';
import { trainingEngine } from './ml/tensorflow-available.ts';
import type { BackendContext, Handlers } from './handler-context.ts';

export type { BackendContext, EventSink, Handlers } from './handler-context.ts';

/** Photos one `classify:upload` may hold. */
const MAX_CLASSIFY_UPLOAD = 10_000;


/** Every request channel's implementation; the IPC and web transports both serve exactly this table. */
export function createHandlers(ctx: BackendContext): Handlers {
  const { db } = ctx;
  const tasks = ctx.tasks ?? ctx.jobs.tasks;
  /**
   * Starts classifying as a `classify` job; each result is announced as it comes. A model that fails to
   * load, or any other failure, ends the job as failed, which the UI shows.
   */
  const classifyInBackground = (batch: ClassifyBatch, files: string[], names?: string[]): ClassifyBatch => {
    let audit: ClassifiedPhoto[] = [];
    const { jobId, result } = tasks.run(
      'classify',
      (task) =>
        ctx.classifier.classify(batch, files, {
          names,
          signal: task.signal,
          onProgress: (done, total) => task.progress(done, total, 'classifying'),
          onResult: (photo, index) => ctx.events('classify:result', { batchId: batch.batchId, index, photo }),
          onAudit: (photos) => (audit = photos),
        }),
      { batchId: batch.batchId, runId: batch.runId },
    );
    // The stored batch's final state (done, failed, cancelled; its audit) is announced however it ends.
    void result
      .catch(() => {})
      .finally(() => {
        const summary = batchSummary(db, batch.batchId);
        if (summary) ctx.events('classify:batch', { batch: summary, audit });
      });
    return { ...batch, jobId };
  };
  const uploads = (): UploadSessions => {
    if (!ctx.uploads) throw new AppError('invalid-argument', 'This host takes no uploads; name the files by their paths.');
    return ctx.uploads;
  };
  /** Runs an import as an `import` job with progress and cancel; the request still answers with its result. */
  const importAsJob = (work: (task: TaskContext) => Promise<ImportResult>): Promise<ImportResult> => tasks.run('import', work).result;
  const announce = <T extends { datasetId: number }>(result: T): T => {
    ctx.events('dataset:changed', { datasetId: result.datasetId });
    return result;
  };
  // SQLite's "database is locked" or "readonly" become messages that name the workspace file.
  return withWorkspaceErrors(ctx.dbPath, {
    ...createLabelHandlers(db, ctx.scans ?? new ScanJobs({ db, dbPath: ctx.dbPath, tasks })),
    'app:info': () => ({
      version: ctx.version,
      workspacePath: ctx.dbPath,
      bundledDatasetPath: findBundledDataset(ctx.bundledDatasetDirs),
      nativeDialogs: ctx.host === 'electron',
      host: ctx.host,
      readOnly: isReadOnlyWorkspace(db),
      engine: trainingEngine(),
    }),
    'dataset:list': () => datasetSummaries(db),
    'dataset:import': async ({ paths, split, name }) => {
      ctx.pathGrants?.check(paths);
      return announce(await importAsJob((task) => importDataset(db, paths, { split, name }, new Date(), task)));
    },
    'dataset:import-upload': async ({ uploadId, split, name }) => {
      const upload = await uploads().finish(uploadId);
      // Imported or refused, the uploaded copy goes: the dataset now lives in the workspace.
      try {
        return announce(await importAsJob((task) => importDataset(db, upload.topLevel, { split, name }, new Date(), task)));
      } finally {
        await uploads().store.remove(upload.batch);
      }
    },
    'dataset:import-bundled': async () => {
      const folder = findBundledDataset(ctx.bundledDatasetDirs);
      if (!folder) throw new AppError('not-found', 'The bundled Fashion-MNIST files are missing from this installation.');
      return announce(await importAsJob((task) => importDataset(db, [folder], { name: DEFAULT_DATASET_NAME }, new Date(), task)));
    },
    'dataset:samples': ({ datasetId, perClass, split }) => {
      if (datasetSummaries(db, datasetId).length === 0) throw new AppError('not-found', `There is no dataset ${datasetId}.`);
      return sampleImages(db, datasetId, perClass, split);
    },
    'train:start': (request) => ctx.jobs.start(request),
    'train:cancel': ({ jobId }) => {
      ctx.jobs.cancel(jobId);
      return null;
    },
    'train:jobs': () => ctx.jobs.running(),
    'job:cancel': ({ jobId }) => {
      tasks.cancel(jobId);
      return null;
    },
    'job:list': () => tasks.running(),
    'run:list': () => listRuns(db),
    'run:evaluation': ({ runId, split }) => workspaceEvaluation(db, runId, split),
    'run:epochs': ({ runId }) => {
      if (!getRun(db, runId)) throw new AppError('not-found', `There is no run ${runId}.`);
      return runEpochs(db, runId);
    },
    'run:active': () => ({ runId: activeRunId(db) }),
    'run:export-predictions': ({ runId, out }) => {
      if (out !== undefined) ctx.pathGrants?.check([out], 'write');
      return exportPredictions(db, runId, out);
    },
    'run:export-model': ({ runId, out }) => {
      if (out !== undefined) ctx.pathGrants?.check([out], 'write');
      return exportModel(db, runId, out);
    },
    'run:activate': ({ runId }) => {
      activateRun(db, runId);
      ctx.events('run:activated', { runId });
      return null;
    },
    'run:compare': ({ runId, otherRunId, split }) => compareRuns(db, runId, otherRunId, split),
    'gallery:page': ({ query, sort, offset, limit }) => galleryPage(db, query, sort, offset, limit),
    'image:detail': ({ imageId, runId }) => imageDetail(db, imageId, runId),
    'image:relabel': ({ imageId, label, runId }) => {
      relabelImage(db, imageId, label, 'review', new Date());
      return imageDetail(db, imageId, runId);
    },
    'image:undo-relabel': ({ imageId, runId }) => {
      undoRelabel(db, imageId, new Date());
      return imageDetail(db, imageId, runId);
    },
    'image:flag': ({ imageId, suspicious, runId }) => {
      setSuspicious(db, imageId, suspicious);
      return imageDetail(db, imageId, runId);
    },
    'classify:paths': async ({ paths, runId }) => {
      ctx.pathGrants?.check(paths);
      const files = await expandPhotoPaths(paths);
      if (files.length === 0) throw new AppError('invalid-argument', 'There are no photos there to classify.');
      return classifyInBackground(ctx.classifier.plan(files, runId, { name: batchName(entriesOfPaths(paths, files), files.length) }), files);
    },
    'classify:upload': async ({ uploadId, runId }) => {
      const upload = await uploads().finish(uploadId);
      let batch: ClassifyBatch;
      try {
        if (upload.files.length > MAX_CLASSIFY_UPLOAD) throw new AppError('invalid-argument', `Classify at most ${MAX_CLASSIFY_UPLOAD.toLocaleString('en')} photos at once; this upload has ${upload.files.length.toLocaleString('en')}.`);
        const name = batchName(entriesOfRelativePaths(upload.files.map((f) => f.relativePath)), upload.files.length);
        batch = ctx.classifier.plan(upload.files.map((f) => f.path), runId, { name });
        // The copies stay for sorting; deleting the stored batch removes them (see batch-store.ts).
        await uploads().store.keep(upload.batch);
        setBatchUploadDir(db, batch.batchId, upload.batch.folder);
      } catch (error) {
        await uploads().store.remove(upload.batch);
        throw error;
      }
      return classifyInBackground(batch, upload.files.map((f) => f.path), upload.files.map((f) => f.relativePath.split(/[\\/]/).pop()!));
    },
    ...reviewHandlers(ctx),
    'upload:begin': () => uploads().begin(),
    'upload:chunk': (piece) => uploads().chunk(piece),
    'upload:discard': async ({ uploadId }) => {
      await uploads().discard(uploadId);
      return null;
    },
  });
}

/** Checks an incoming request against the contract and turns its argument into the handler's input. */
export function validateRequest<C extends RequestChannel>(channel: C, arg: unknown): z.output<(typeof requestSchemas)[C]> {
  const parsed = requestSchemas[channel].safeParse(arg);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => issueInWords(i, {})).join('; ');
    throw new AppError('invalid-argument', `Invalid request ${channel}: ${problems}`);
  }
  return parsed.data as z.output<(typeof requestSchemas)[C]>;
}

/**
 * Runs one request from any transport: checks the channel and argument, calls the handler, and wraps
 * the outcome so that errors cross the boundary as `{ code, message }`. Bugs are logged here, once.
 */
export async function dispatch(handlers: Handlers, channel: unknown, arg: unknown, log: (error: unknown) => void = console.error): Promise<Envelope<unknown>> {
  try {
    // Not String(channel): a message can make it an object whose own toString is no function.
    if (!isRequestChannel(channel)) throw new AppError('invalid-argument', `Unknown request ${typeof channel === 'string' ? channel.slice(0, 100) : `of type ${typeof channel}`}.`);
    const input = validateRequest(channel, arg);
    const handler = handlers[channel] as (input: unknown) => unknown;
    return { ok: true, value: await handler(input) };
  } catch (error) {
    if (!(error instanceof AppError)) log(error);
    return { ok: false, error: serializeError(error) };
  }
}
