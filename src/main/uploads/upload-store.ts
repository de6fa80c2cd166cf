/**
 * The app's own folder for files a browser uploads: `<userData>/uploads/<workspace id>/`, one
 * `batch-<uuid>` folder per upload. A shared temporary folder will not do: another local user can plant
 * a symbolic link there, and an app that prunes old folders through it deletes that user's choice of
 * victim. So every folder here is created by the app with mode 0700, checked with lstat (never followed)
 * to be a real folder owned by the person running the app, and pruning removes only batch folders that
 * carry the app's marker file.
 */
import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../shared/errors.ts';

/** The folder under the user-data folder that holds every workspace's uploads. */
export const UPLOADS_FOLDER = 'uploads';
/** Uploaded photos are kept this long after classifying, for sorting, then pruned. */
export const UPLOAD_KEEP_MS = 7 * 24 * 3600 * 1000;
/** An upload that never finished (the page closed, the host stopped) is pruned after this long. */
export const UNFINISHED_KEEP_MS = 24 * 3600 * 1000;

/** The file that marks a batch folder as the app's own; prune deletes nothing without it. */
export const BATCH_MARKER = '.fashion-sorter-upload';
/** The uploaded files themselves live below this subfolder, apart from the marker. */
const FILES_FOLDER = 'files';
const BATCH_NAME = /^batch-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Not every platform has O_NOFOLLOW (Windows); there the checks by lstat remain. */
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;

/** `receiving` while chunks arrive; `kept` once classified photos stay for sorting. */
export type BatchState = 'receiving' | 'kept';

interface Marker {
  app: 'fashion-sorter';
  state: BatchState;
}

/** One upload's folder: `batch-<id>/`, with the marker, and the files below `files/`. */
export interface UploadBatch {
  id: string;
  folder: string;
  /** Where the uploaded files go: relative paths are kept below it. */
  filesFolder: string;
}

const currentUid = (): number | undefined => process.getuid?.();

function refuse(folder: string, why: string): AppError {
  return new AppError(
    'conflict',
    `${folder} ${why}. Fashion Sorter keeps uploads only in a folder it created itself; move that away and try again (nothing in it was touched).`,
  );
}

/**
 * Creates a folder (not its parents) with mode 0700, or accepts one that exists, but only if lstat says
 * it is a real folder owned by the current user; a wider mode is narrowed.
 */
async function ownedFolder(folder: string, create: boolean): Promise<boolean> {
  if (create) {
    // mkdir never follows a symbolic link in the last component: a planted link makes it fail with EEXIST.
    await fs.mkdir(folder, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
  const stat = await fs.lstat(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (!stat) return false;
  if (stat.isSymbolicLink()) throw refuse(folder, 'is a symbolic link');
  if (!stat.isDirectory()) throw refuse(folder, 'is not a folder');
  const uid = currentUid();
  if (uid !== undefined && stat.uid !== uid) throw refuse(folder, `belongs to another user (uid ${stat.uid})`);
  // Only the owner (checked above) can have made it wider; nobody else can have put anything inside yet.
  if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) await fs.chmod(folder, 0o700);
  return true;
}

async function writeMarker(folder: string, state: BatchState, create: boolean): Promise<void> {
  const flags = constants.O_WRONLY | O_NOFOLLOW | (create ? constants.O_CREAT | constants.O_EXCL : constants.O_TRUNC);
  const handle = await fs.open(path.join(folder, BATCH_MARKER), flags, 0o600);
  try {
    await handle.writeFile(JSON.stringify({ app: 'fashion-sorter', state } satisfies Marker));
  } finally {
    await handle.close();
  }
}

/** What the store needs from the process that hosts it. */
export interface UploadStoreOptions {
  /** The app's user-data folder, as `paths.ts` or Electron resolves it. */
  userDataDir: string;
  /** The workspace's stable id; `create: false` may answer null when it has none yet. */
  workspaceId(create: boolean): string | null;
}

/** The uploads folder of one workspace: creating, recognising and pruning batch folders. */
export class UploadStore {
  private readonly options: UploadStoreOptions;

  constructor(options: UploadStoreOptions) {
    this.options = options;
  }

  /** `<userData>/uploads/<workspace id>`, checked (and created when asked); null when it does not exist. */
  async root(create: boolean): Promise<string | null> {
    const id = this.options.workspaceId(create);
    if (id === null) return null;
    // The id comes from the workspace file, which anyone may have written: it must not be a path.
    if (!UUID.test(id)) throw new AppError('conflict', `This workspace's id "${id}" is not an id the app made, so it has no uploads folder. Upload into a workspace this app created.`);
    // The user-data folder is the person's own (it holds the workspace too) and may be reached through a
    // link they made; but someone else's folder there could have our uploads folder swapped under us.
    if (create) await fs.mkdir(this.options.userDataDir, { recursive: true, mode: 0o700 });
    const userData = await fs.stat(this.options.userDataDir).catch(() => null);
    if (!userData) return null;
    const uid = currentUid();
    if (uid !== undefined && userData.uid !== uid) throw refuse(this.options.userDataDir, `belongs to another user (uid ${userData.uid})`);
    const uploads = path.join(this.options.userDataDir, UPLOADS_FOLDER);
    if (!(await ownedFolder(uploads, create))) return null;
    const root = path.join(uploads, id);
    if (!(await ownedFolder(root, create))) return null;
    return root;
  }

  /** True when a file lies in this workspace's uploads folder: one of the app's own copies. */
  holds(file: string): boolean {
    const id = this.options.workspaceId(false);
    if (id === null || !UUID.test(id)) return false;
    return path.resolve(file).startsWith(path.join(path.resolve(this.options.userDataDir), UPLOADS_FOLDER, id) + path.sep);
  }

  /** Creates a new batch folder with the app's marker, ready to receive files. */
  async createBatch(id: string = randomUUID()): Promise<UploadBatch> {
    const root = (await this.root(true))!;
    const folder = path.join(root, `batch-${id}`);
    // Not recursive: the folder must be new, made here, now.
    await fs.mkdir(folder, { mode: 0o700 });
    await writeMarker(folder, 'receiving', true);
    const filesFolder = path.join(folder, FILES_FOLDER);
    await fs.mkdir(filesFolder, { mode: 0o700 });
    return { id, folder, filesFolder };
  }

  /** Marks a batch as kept: its photos stay for sorting until it is a week old. */
  async keep(batch: UploadBatch): Promise<void> {
    await writeMarker(batch.folder, 'kept', false);
  }

  /** Removes one of the app's batch folders; anything it does not recognise is left alone. */
  async remove(batch: UploadBatch): Promise<void> {
    await this.removeFolder(batch.folder);
  }

  /**
   * Removes a batch folder named by a stored batch. The name comes from the workspace file, which anyone
   * can edit: only a folder of this workspace's uploads that the app itself made is ever deleted.
   */
  async removeFolder(folder: string): Promise<void> {
    const root = await this.root(false);
    if (root === null || path.dirname(path.resolve(folder)) !== path.resolve(root)) return;
    if (await this.recognise(folder)) await fs.rm(folder, { recursive: true, force: true });
  }

  /**
   * The state and age of a batch folder, or null unless it is one the app made: the name pattern, a
   * real folder (not a link) owned by the current user, and a marker file the app wrote.
   */
  private async recognise(folder: string): Promise<{ state: BatchState; changedMs: number } | null> {
    if (!BATCH_NAME.test(path.basename(folder))) return null;
    const stat = await fs.lstat(folder).catch(() => null);
    const uid = currentUid();
    if (!stat?.isDirectory() || (uid !== undefined && stat.uid !== uid)) return null;
    const markerFile = path.join(folder, BATCH_MARKER);
    const marker = await fs.lstat(markerFile).catch(() => null);
    if (!marker?.isFile() || (uid !== undefined && marker.uid !== uid) || marker.size > 1024) return null;
    try {
      const handle = await fs.open(markerFile, constants.O_RDONLY | O_NOFOLLOW);
      const text = await handle.readFile('utf8').finally(() => handle.close());
      const parsed = JSON.parse(text) as Partial<Marker>;
      if (parsed.app !== 'fashion-sorter' || (parsed.state !== 'receiving' && parsed.state !== 'kept')) return null;
      return { state: parsed.state, changedMs: marker.mtimeMs };
    } catch {
      return null;
    }
  }

  /**
   * Removes kept batches older than `keepMs` and unfinished ones older than `unfinishedMs`. Returns the
   * folders removed. The originals stay wherever the person has them; sorting a pruned batch reports
   * its files as gone.
   */
  async prune(now: Date, options: { keepMs?: number; unfinishedMs?: number; storedBatch?: (folder: string) => boolean } = {}): Promise<string[]> {
    const { keepMs = UPLOAD_KEEP_MS, unfinishedMs = UNFINISHED_KEEP_MS, storedBatch = () => false } = options;
    const root = await this.root(false);
    if (root === null) return [];
    const removed: string[] = [];
    for (const entry of await fs.readdir(root, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const folder = path.join(root, entry.name);
      const batch = await this.recognise(folder);
      if (!batch) continue;
      if (now.getTime() - batch.changedMs <= (batch.state === 'kept' ? keepMs : unfinishedMs)) continue;
      // A stored batch keeps its photos as long as it lasts; deleting or pruning the batch removes them.
      if (batch.state === 'kept' && storedBatch(folder)) continue;
      // rm does not follow links inside the folder; the folder itself was just checked to be no link,
      // and in a 0700 folder of ours nobody else can swap it for one.
      await fs.rm(folder, { recursive: true, force: true });
      removed.push(folder);
    }
    return removed;
  }
}
