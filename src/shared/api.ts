/**
 * The one contract between the UI and the back end.
 *
 * Every request channel maps to a zod schema for its argument and a result type, and every event
 * channel maps to its payload. Electron IPC, the web host and the renderer's client all derive from
 * these maps, so a renamed or removed channel fails to compile everywhere. Channel names are
 * `domain:action`.
 */
import { z } from 'zod';
import type { AppInfo, BatchSummary, BatchView, ClassifiedPhoto, ClassifyBatch, DatasetSummary, EpochMetrics, Evaluation, ExportResult, GalleryPage, ImageDetail, ImageRecord, ImportResult, JobUpdate, ReviewGate, RunComparison, RunSummary, TrainJobUpdate } from './types.ts';
import type { SerializedError } from './errors.ts';
import { ACCEPTED_ERROR_RANGE, type PhotoOriginal } from './review.ts';
import { datasetId, evaluationSplit, galleryQuery, gallerySort, importOptions, label, runId, trainRequest } from './schemas.ts';
import { labelRequestSchemas, type LabelRequestResults } from './label-api.ts';

const imageId = z.number().int().positive();
const split = z.enum(['train', 'test', 'user']);

/** A file's path relative to what was dropped, e.g. `shirts/img1.png`; folders become class names. */
/** How much of a bad value a message quotes: enough to recognise the file, never the whole (perhaps huge) input. */
const QUOTED_CHARS = 80;
// eslint-disable-next-line no-control-regex
const quoted = (p: string): string => `"${p.slice(0, QUOTED_CHARS).replace(/[\u0000-\u001f]/g, '?')}${p.length > QUOTED_CHARS ? '…' : ''}"`;
const relativePath = z
  .string()
  .min(1, { abort: true })
  // abort: an over-long path is refused by its length alone; the checks below would scan (and quote) all of it.
  .max(1024, { abort: true })
  .superRefine((p, ctx) => {
    // A NUL byte would otherwise fail deep in the file system, with a message naming the server's folders.
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f]/.test(p)) ctx.addIssue({ code: 'custom', message: `${quoted(p)} holds a NUL byte or another control character, which no file name may; rename the file and upload it again` });
  })
  .refine((p) => !p.split(/[\\/]/).includes('..') && !/^([\\/]|[a-zA-Z]:)/.test(p), 'must be a relative path');
/** A path on the server's disk; a NUL byte cannot be in one, and Node refuses it with a raw message. */
const serverPath = z.string().min(1).max(4096).refine((p) => !p.includes('\0'), 'must not contain a NUL byte');
/** An upload under way, as `upload:begin` named it. */
const uploadId = z.string().uuid();

/** The largest piece of a file one `upload:chunk` may carry; the renderer sends half of this. */
export const MAX_UPLOAD_CHUNK_BYTES = 8 * 1024 * 1024;


/** Argument schemas, one per request channel. `z.undefined()` marks a request without argument. */
export const requestSchemas = {
  /** Versions, workspace path and host capabilities, read once at start-up. */
  'app:info': z.undefined(),
  /** Every dataset in the workspace with its counts. */
  'dataset:list': z.undefined(),
  /** Imports files or folders from disk (desktop and CLI), all or nothing. */
  'dataset:import': z.object({ paths: z.array(serverPath).min(1), ...importOptions.shape }),
  /** Imports a finished upload (files dropped in a browser); same rules as `dataset:import`, all or nothing. */
  'dataset:import-upload': z.object({ uploadId, ...importOptions.shape }),
  /** Loads the Fashion-MNIST that ships with the app, so a first run needs no network. */
  'dataset:import-bundled': z.undefined(),
  /** A few images of every class, for the sample grid. */
  'dataset:samples': z.object({ datasetId, perClass: z.number().int().min(1).max(50), split: split.optional() }),
  /** Starts training in its own process; progress arrives as `job:update` events. */
  'train:start': trainRequest,
  /** Stops a training job after its current batch; the run is kept, marked cancelled. */
  'train:cancel': z.object({ jobId: z.string().uuid() }),
  /** Training jobs still running, so a reloaded window can show them. */
  'train:jobs': z.undefined(),
  /** Asks any running job (classify, import, scan, train) to stop; its final state arrives as `job:update`. */
  'job:cancel': z.object({ jobId: z.string().uuid() }),
  /** Every job still running, of every kind, so a reloaded window can show them. */
  'job:list': z.undefined(),
  /** Every run, newest first. */
  'run:list': z.undefined(),
  /** A run's confusion matrix and per-class metrics on a split, from its stored predictions. */
  'run:evaluation': z.object({ runId, split: evaluationSplit }),
  /** A run's loss and accuracy per finished epoch, as stored while it trained, for its curves. */
  'run:epochs': z.object({ runId }),
  /** The run whose model the app uses: the one a person chose, else the newest that succeeded. */
  'run:active': z.undefined(),
  /** A run's predictions as CSV: written to `out` (a new file), or, without it, returned as a download. A run without predictions is an error. */
  'run:export-predictions': z.object({ runId, out: z.string().min(1).optional() }),
  /** A run's model (model.json, weights.bin): written into the folder `out`, or, without it, returned as downloads. */
  'run:export-model': z.object({ runId, out: z.string().min(1).optional() }),
  /** Makes a succeeded run the active model. */
  'run:activate': z.object({ runId }),
  /** Accuracy per class of two runs, and how many images the second fixed or broke. */
  'run:compare': z.object({ runId, otherRunId: runId, split: evaluationSplit }),
  /** A page of images with their predictions: a confusion cell, or a comparison of two runs. */
  'gallery:page': z.object({
    query: galleryQuery,
    sort: gallerySort,
    offset: z.number().int().min(0),
    limit: z.number().int().min(1).max(1000),
  }),
  /** One image large: its probabilities under a run, its label and the label's history. */
  'image:detail': z.object({ imageId, runId: runId.nullable() }),
  /** Sets an image's label at once, recorded in its history; the next training run uses it. */
  'image:relabel': z.object({ imageId, label, runId: runId.nullable() }),
  /** Reverts an image's latest label change. */
  'image:undo-relabel': z.object({ imageId, runId: runId.nullable() }),
  /** Marks or unmarks an image's label as suspicious. */
  'image:flag': z.object({ imageId, suspicious: z.boolean(), runId: runId.nullable() }),
  /** Classifies photos (files or folders on disk) with the active model; results arrive as events. */
  'classify:paths': z.object({ paths: z.array(serverPath).min(1), runId: runId.optional() }),
  /** Classifies the photos of a finished upload (dropped in a browser); they are kept a week for sorting. */
  'classify:upload': z.object({ uploadId, runId: runId.optional() }),
  /** A person confirms or corrects a photo's class; it becomes a labeled training image. */
  'classify:decide': z.object({ photoId: z.number().int().positive(), label }),
  /** Copies (or moves) a batch's photos into one folder per class, never overwriting, with a manifest; `again` to sort into the same target twice. */
  'classify:sort': z.object({ batchId: z.string().uuid(), target: serverPath, move: z.boolean().optional(), again: z.boolean().optional() }),
  /** A person accepts (label null) or sets the class of many photos at once. */
  'classify:decide-many': z.object({ photoIds: z.array(z.number().int().positive()).min(1).max(100_000), label: label.nullable() }),
  /** Undoes the batch's latest decision (every photo one key press decided); empty when there is none left. */
  'classify:undo': z.object({ batchId: z.string().uuid() }),
  /** Every stored batch, and a notice about batches removed at start. */
  'classify:batches': z.undefined(),
  /** Reopens a stored batch with all its photos. */
  'classify:open-batch': z.object({ batchId: z.string().uuid() }),
  /** Deletes a stored batch (and the app's copies of uploaded photos); training images stay. */
  'classify:delete-batch': z.object({ batchId: z.string().uuid() }),
  /** A stored photo's original file, for the large view of a reopened batch (the photo is named, never a path). */
  'classify:photo-original': z.object({ photoId: z.number().int().positive() }),
  /** The accepted error rate and audit share, with the gate they give the active model. */
  'review:settings': z.undefined(),
  /** Changes the accepted error rate or the audit share; applies to batches started afterwards. */
  'review:set-settings': z.object({ maxError: z.number().min(ACCEPTED_ERROR_RANGE.min).max(ACCEPTED_ERROR_RANGE.max).optional(), auditShare: z.number().min(0).max(1).optional() }),
  /** Starts an upload: a browser sends files by content, in pieces, then names the upload in an import or classify request. */
  'upload:begin': z.undefined(),
  /** One piece of an uploaded file, in order: each starts where the last ended (binary over the web host). */
  'upload:chunk': z.object({
    uploadId,
    relativePath,
    size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    data: z.instanceof(Uint8Array).refine((d) => d.length <= MAX_UPLOAD_CHUNK_BYTES, `must be at most ${MAX_UPLOAD_CHUNK_BYTES} bytes`),
  }),
  /** Drops an upload that will not be used, and its files. */
  'upload:discard': z.object({ uploadId }),
  ...labelRequestSchemas,
} satisfies Record<string, z.ZodType>;

/** Result types, one per request channel; must list exactly the channels of `requestSchemas`. */
export interface RequestResults extends LabelRequestResults {
  'app:info': AppInfo;
  'dataset:list': DatasetSummary[];
  'dataset:import': ImportResult;
  'dataset:import-upload': ImportResult;
  'dataset:import-bundled': ImportResult;
  'dataset:samples': ImageRecord[];
  'train:start': { jobId: string; runId: number };
  'train:cancel': null;
  'train:jobs': TrainJobUpdate[];
  'job:cancel': null;
  'job:list': JobUpdate[];
  'run:list': RunSummary[];
  'run:evaluation': Evaluation;
  'run:epochs': EpochMetrics[];
  'run:active': { runId: number | null };
  'run:export-predictions': ExportResult;
  'run:export-model': ExportResult;
  'run:activate': null;
  'run:compare': RunComparison;
  'gallery:page': GalleryPage;
  'image:detail': ImageDetail;
  'image:relabel': ImageDetail;
  'image:undo-relabel': ImageDetail;
  'image:flag': ImageDetail;
  'classify:paths': ClassifyBatch;
  'classify:upload': ClassifyBatch;
  'classify:decide': ClassifiedPhoto;
  /** `sorted` counts photos placed as asked; `kept` lists moved photos that were copied but whose originals could not be removed. */
  'classify:sort': { sorted: number; kept: { file: string; error: string }[]; failed: { file: string; error: string }[]; manifest: string; target: string; batch: BatchSummary };
  'classify:decide-many': ClassifiedPhoto[];
  'classify:undo': ClassifiedPhoto[];
  'classify:batches': { batches: BatchSummary[]; notice: string | null };
  'classify:open-batch': BatchView;
  'classify:delete-batch': null;
  'classify:photo-original': PhotoOriginal;
  'review:settings': ReviewSettingsView;
  'review:set-settings': ReviewSettingsView;
  'upload:begin': { uploadId: string };
  'upload:chunk': { received: number };
  'upload:discard': null;
}

export type RequestChannel = keyof typeof requestSchemas;
export type RequestArg<C extends RequestChannel> = z.input<(typeof requestSchemas)[C]>;
export type RequestResult<C extends RequestChannel> = RequestResults[C];

/** Arguments as a caller passes them: nothing for a request without argument. */
export type RequestParams<C extends RequestChannel> = RequestArg<C> extends undefined ? [] : [RequestArg<C>];

/** The review settings and the gate they give the active model (null when there is none). */
export interface ReviewSettingsView {
  maxError: number;
  auditShare: number;
  runId: number | null;
  gate: ReviewGate | null;
}

/** Payloads of events the back end pushes to the UI. */
export interface EventPayloads {
  /** A dataset was created or changed, e.g. by an import started from the menu or the CLI. */
  'dataset:changed': { datasetId: number };
  /** The application menu asked the UI to do something. */
  'menu:command': MenuCommand;
  /** A job started, progressed, finished an epoch, or ended; the final state is always sent. */
  'job:update': JobUpdate;
  /** Another run became the active model. */
  'run:activated': { runId: number };
  /** One photo of a batch was classified (or failed); results stream in as they are computed. */
  'classify:result': { batchId: string; index: number; photo: ClassifiedPhoto };
  /** A batch changed state (classifying ended, failed or was cancelled; audit chosen); always sent at the end. */
  'classify:batch': { batch: BatchSummary; audit: ClassifiedPhoto[] };
}

export type EventChannel = keyof EventPayloads;

/** Everything the menu can ask the renderer to do. */
export type MenuCommand =
  | { command: 'navigate'; view: ViewName }
  | { command: 'import-dataset' }
  /** Paths a person picked in the menu's dialog: import them as a dataset. */
  | { command: 'import-paths'; paths: string[] }
  /** Photos a person picked in the menu's dialog: classify them. */
  | { command: 'classify-paths'; paths: string[] }
  /** Model → Retrain…: open the Train view ready to train on the current workspace. */
  | { command: 'retrain' }
  /** Something the menu did that the person should hear about. */
  | { command: 'notice'; kind: 'info' | 'error'; text: string };

/** The views of the window, in navigation order. */
export const VIEW_NAMES = ['datasets', 'train', 'errors', 'classify', 'runs'] as const;
export type ViewName = (typeof VIEW_NAMES)[number];

/** Request channel names at run time. */
export const REQUEST_CHANNELS = Object.keys(requestSchemas) as RequestChannel[];


/** A result or an error, as it crosses a boundary. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: SerializedError };

/** The API the renderer sees as `window.api`, whichever transport carries it. */
export interface Api {
  invoke<C extends RequestChannel>(channel: C, ...params: RequestParams<C>): Promise<RequestResult<C>>;
  /** Subscribes to an event; returns the function that unsubscribes. */
  on<E extends EventChannel>(channel: E, listener: (payload: EventPayloads[E]) => void): () => void;
}

/** Narrows a string to a request channel. */
export function isRequestChannel(value: unknown): value is RequestChannel {
  return typeof value === 'string' && Object.hasOwn(requestSchemas, value);
}

// Compile-time check that the two request maps name the same channels.
type Missing = Exclude<RequestChannel, keyof RequestResults> | Exclude<keyof RequestResults, RequestChannel>;
const channelsMatch: [Missing] extends [never] ? true : Missing = true;
void channelsMatch;
