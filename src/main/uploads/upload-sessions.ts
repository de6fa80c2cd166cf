/**
 * Chunked uploads: a browser has no paths to give, so it sends files by content, in pieces of a few
 * MiB (`upload:begin`, then `upload:chunk` for each piece), and then names the upload in
 * `dataset:import-upload` or `classify:upload`. No message ever has to hold a 130 MB CSV or a
 * 10,000-photo batch, and the host never holds more than the pieces in flight. The pieces go straight
 * into a batch folder of the app's upload store, in order, never overwriting.
 */
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../shared/errors.ts';
import type { UploadBatch, UploadStore } from './upload-store.ts';

/** One upload may hold at most this many files (a Fashion-MNIST-sized folder of photos). */
export const MAX_UPLOAD_FILES = 100_000;
/** One upload may hold at most this many bytes in all. */
export const MAX_UPLOAD_BYTES = 4 * 1024 ** 3;
/** Uploads open at once; a page that keeps starting them and never finishes cannot fill the disk. */
export const MAX_OPEN_UPLOADS = 8;
/** An upload that received nothing for this long is dropped when another one begins. */
export const UPLOAD_IDLE_MS = 3600 * 1000;

const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;

interface ReceivingFile {
  relativePath: string;
  path: string;
  size: number;
  /** Bytes accepted so far (written or queued): the offset the next piece must start at. */
  accepted: number;
  written: number;
  /** Pieces of one file are written one after another. */
  tail: Promise<void>;
  error: Error | null;
}

interface Session {
  batch: UploadBatch;
  files: Map<string, ReceivingFile>;
  bytes: number;
  lastActive: number;
}

/** A finished upload: its batch folder and its files in the order they were sent. */
export interface ReceivedUpload {
  batch: UploadBatch;
  files: { relativePath: string; path: string }[];
  /** The top-level files and folders, as the person dropped them. */
  topLevel: string[];
}

/** One `upload:chunk` request, validated by the contract. */
export interface UploadChunk {
  uploadId: string;
  relativePath: string;
  /** The whole file's size, the same in every piece. */
  size: number;
  offset: number;
  data: Uint8Array;
}

function writeError(file: ReceivingFile, error: NodeJS.ErrnoException): Error {
  if (error.code === 'EEXIST' || error.code === 'ENOTDIR' || error.code === 'EISDIR') {
    return new AppError('invalid-argument', `${file.relativePath}: another uploaded file or folder has the same name. Rename one and upload again.`);
  }
  if (error.code === 'ENOSPC') return new AppError('conflict', `${file.relativePath}: the disk holding ${path.dirname(file.path)} is full. Free some space and upload again.`);
  return error;
}

async function writePiece(file: ReceivingFile, offset: number, data: Uint8Array): Promise<void> {
  const create = offset === 0;
  if (create) await fs.mkdir(path.dirname(file.path), { recursive: true, mode: 0o700 });
  // A new file must not exist yet; neither open follows a link (nobody else can write here, but be sure).
  const flags = constants.O_WRONLY | O_NOFOLLOW | (create ? constants.O_CREAT | constants.O_EXCL : 0);
  const handle = await fs.open(file.path, flags, 0o600);
  try {
    await handle.write(data, 0, data.length, offset);
  } finally {
    await handle.close();
  }
}

/** The uploads of one back end that are still receiving pieces. */
export class UploadSessions {
  readonly store: UploadStore;
  private readonly open = new Map<string, Session>();
  private readonly clock: () => number;

  constructor(store: UploadStore, clock: () => number = Date.now) {
    this.store = store;
    this.clock = clock;
  }

  /** Starts an upload: a new batch folder in the store. */
  async begin(): Promise<{ uploadId: string }> {
    for (const [id, session] of this.open) {
      if (this.clock() - session.lastActive > UPLOAD_IDLE_MS) await this.discard(id);
    }
    if (this.open.size >= MAX_OPEN_UPLOADS) {
      throw new AppError('busy', `${MAX_OPEN_UPLOADS} uploads are already under way. Wait for one to finish, or reload the page to drop them.`);
    }
    const batch = await this.store.createBatch();
    this.open.set(batch.id, { batch, files: new Map(), bytes: 0, lastActive: this.clock() });
    return { uploadId: batch.id };
  }

  private session(uploadId: string): Session {
    const session = this.open.get(uploadId);
    if (!session) throw new AppError('not-found', `There is no upload ${uploadId} under way (it finished, was dropped, or the host restarted). Upload the files again.`);
    return session;
  }

  /**
   * Takes one piece of a file. Pieces of a file arrive in order: each starts where the last ended, and
   * the first one creates the file. Resolves once the piece is on disk, with the bytes written so far.
   */
  async chunk({ uploadId, relativePath, size, offset, data }: UploadChunk): Promise<{ received: number }> {
    const session = this.session(uploadId);
    session.lastActive = this.clock();
    // Everything up to the queued write happens synchronously, so pieces sent back to back are checked in order.
    let file = session.files.get(relativePath);
    if (!file) {
      if (offset !== 0) throw new AppError('invalid-argument', `${relativePath}: its first piece must start at 0, not ${offset}.`);
      if (session.files.size >= MAX_UPLOAD_FILES) throw new AppError('invalid-argument', `An upload holds at most ${MAX_UPLOAD_FILES.toLocaleString('en')} files; ${relativePath} is one too many. Upload fewer at once.`);
      if (session.bytes + size > MAX_UPLOAD_BYTES) throw new AppError('invalid-argument', `An upload holds at most ${MAX_UPLOAD_BYTES / 1024 ** 3} GiB; ${relativePath} goes past that. Upload fewer files at once.`);
      const target = path.join(session.batch.filesFolder, ...relativePath.split(/[\\/]/).filter((part) => part !== '' && part !== '.'));
      if (!target.startsWith(session.batch.filesFolder + path.sep)) throw new AppError('invalid-argument', `${relativePath}: not a relative path.`);
      file = { relativePath, path: target, size, accepted: 0, written: 0, tail: Promise.resolve(), error: null };
      session.files.set(relativePath, file);
      session.bytes += size;
    } else if (file.size !== size) {
      throw new AppError('invalid-argument', `${relativePath}: its pieces disagree about its size (${file.size} and ${size} bytes).`);
    }
    if (offset !== file.accepted) throw new AppError('invalid-argument', `${relativePath}: expected the piece at byte ${file.accepted}, got one at ${offset}. Upload the files again.`);
    if (offset + data.length > size) throw new AppError('invalid-argument', `${relativePath}: a piece ends at byte ${offset + data.length}, past its size of ${size} bytes.`);
    file.accepted += data.length;
    const receiving = file;
    const write = receiving.tail.then(async () => {
      if (receiving.error) throw receiving.error;
      await writePiece(receiving, offset, data).catch((error: NodeJS.ErrnoException) => {
        throw writeError(receiving, error);
      });
      receiving.written += data.length;
    });
    receiving.tail = write.catch((error: Error) => {
      receiving.error ??= error;
    });
    await write;
    return { received: receiving.written };
  }

  /** Drops an upload and its folder. */
  async discard(uploadId: string): Promise<void> {
    const session = this.open.get(uploadId);
    if (!session) return;
    this.open.delete(uploadId);
    await Promise.all([...session.files.values()].map((f) => f.tail));
    await this.store.remove(session.batch);
  }

  /**
   * Ends an upload: waits for its last pieces and checks that every file arrived whole. The upload can
   * take no more pieces afterwards; the caller keeps or removes its batch folder. An incomplete upload
   * is removed and refused, naming a file that is short.
   */
  async finish(uploadId: string): Promise<ReceivedUpload> {
    const session = this.session(uploadId);
    this.open.delete(uploadId);
    const files = [...session.files.values()];
    await Promise.all(files.map((f) => f.tail));
    const broken = files.find((f) => f.error !== null || f.written !== f.size);
    if (broken || files.length === 0) {
      await this.store.remove(session.batch);
      if (files.length === 0) throw new AppError('invalid-argument', 'Nothing was uploaded: the upload has no files.');
      throw new AppError('invalid-argument', `${broken!.relativePath}: only ${broken!.written} of ${broken!.size} bytes arrived${broken!.error ? ` (${broken!.error.message})` : ''}. Upload the files again.`);
    }
    const topLevel = [...new Set(files.map((f) => path.join(session.batch.filesFolder, path.relative(session.batch.filesFolder, f.path).split(path.sep)[0])))];
    return { batch: session.batch, files: files.map((f) => ({ relativePath: f.relativePath, path: f.path })), topLevel };
  }
}
