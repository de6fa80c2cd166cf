import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../shared/errors.ts';
import { migrate, MIGRATIONS } from './migrations.ts';
import { workspaceError } from './workspace-errors.ts';

export type Db = Database.Database;

/**
 * How long a writer waits for another process's write lock before giving up. The longest hold is a
 * chunk of a training run's final save (well under 2 s, see `saveRunResults`); this leaves a wide margin
 * on a busy machine while keeping a stuck lock from freezing the app for long.
 */
export const BUSY_TIMEOUT_MS = 10_000;

export interface OpenWorkspaceOptions {
  /** `--new`: an existing empty file may be turned into a workspace (otherwise only a missing path is created). */
  createInEmptyFile?: boolean;
}

/** What is known about an open workspace beyond its connection. */
interface WorkspaceInfo {
  file: string;
  readOnly: boolean;
}

const info = new WeakMap<Db, WorkspaceInfo>();

/** The workspace file a connection belongs to (not the temporary copy a read-only workspace is read from). */
export function workspaceFileOf(db: Db): string {
  return info.get(db)?.file ?? db.name;
}

/** True when the workspace could not be written (a read-only file or folder) and was opened to look at only. */
export function isReadOnlyWorkspace(db: Db): boolean {
  return info.get(db)?.readOnly ?? false;
}

const SQLITE_HEADER = 'SQLite format 3\0';

/** What sits at a workspace path before it is opened. */
type Found = 'missing' | 'empty' | 'sqlite' | 'folder' | 'other';

function inspect(file: string): Found {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw new AppError('invalid-argument', `The workspace ${file} cannot be read (${(error as NodeJS.ErrnoException).code}). Check its permissions, or name another file with --db.`);
  }
  if (stat.isDirectory()) return 'folder';
  if (!stat.isFile()) return 'other';
  if (stat.size === 0) return 'empty';
  const head = Buffer.alloc(16);
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    throw new AppError('invalid-argument', `The workspace ${file} cannot be read (${(error as NodeJS.ErrnoException).code}). Check its permissions, or name another file with --db.`);
  }
  try {
    fs.readSync(fd, head, 0, 16, 0);
  } finally {
    fs.closeSync(fd);
  }
  return head.toString('latin1') === SQLITE_HEADER ? 'sqlite' : 'other';
}

/**
 * Every transaction this connection starts takes the write lock first (`BEGIN IMMEDIATE`). A deferred
 * transaction that reads and then writes cannot wait for another process's lock: SQLite fails it at once
 * with "database is locked" because its snapshot is stale. Taking the lock up front lets the busy timeout
 * apply to every writer, including code that calls `db.transaction` without knowing this.
 */
function immediateByDefault(db: Db): void {
  const transaction = db.transaction.bind(db);
  db.transaction = ((fn: (...args: unknown[]) => unknown) => {
    const t = transaction(fn);
    return Object.assign((...args: unknown[]) => t.immediate(...args), {
      default: t.immediate,
      deferred: t.deferred,
      immediate: t.immediate,
      exclusive: t.exclusive,
      database: db,
    });
  }) as Db['transaction'];
}

function connect(file: string, options: Database.Options = {}): Db {
  const db = new Database(file, { timeout: BUSY_TIMEOUT_MS, ...options });
  immediateByDefault(db);
  return db;
}

/** True when the database holds a Fashion Sorter workspace: a schema version and the workspace's tables. */
function looksLikeWorkspace(db: Db): boolean {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) return true; // a newer Fashion Sorter's; refuseNewer() says so
  const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
  return version > 0 && tables.has('datasets') && tables.has('images');
}

/**
 * Refuses a workspace whose schema is newer than this version knows, before anything writes to it (not
 * even the journal mode), so the newer Fashion Sorter finds its file exactly as it left it.
 */
function refuseNewer(file: string, db: Db): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version <= MIGRATIONS.length) return;
  db.close();
  throw new AppError(
    'invalid-argument',
    `The workspace ${file} was written by a newer version of Fashion Sorter (schema ${version}, this version knows ${MIGRATIONS.length}); it was left unchanged. Update Fashion Sorter to open it, or name another workspace with --db.`,
  );
}

function refuseForeign(file: string, db: Db): never {
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name LIMIT 6").all() as { name: string }[]).map((r) => r.name);
  db.close();
  throw new AppError(
    'invalid-argument',
    `${file} is an SQLite database but not a Fashion Sorter workspace${tables.length ? ` (it holds ${tables.join(', ')})` : ''}; it was left unchanged. Name a new file with --db to create a workspace there.`,
  );
}

/**
 * Creates a workspace at a path that does not exist yet, atomically: the schema is built in a private
 * file beside it, which is then hard-linked into place. Two processes creating the same workspace at
 * once both end up opening one complete file, and nobody ever sees a half-made one.
 */
function createWorkspaceFile(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const scratch = `${file}.creating-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const db = new Database(scratch);
    try {
      db.pragma('journal_mode = WAL');
      migrate(db);
    } finally {
      db.close();
    }
    try {
      fs.linkSync(scratch, file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return; // another process created it first; open theirs
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw error;
      // File systems without hard links: copy, still never replacing a file that appeared meanwhile.
      try {
        fs.copyFileSync(scratch, file, fs.constants.COPYFILE_EXCL);
      } catch (copyError) {
        if ((copyError as NodeJS.ErrnoException).code !== 'EEXIST') throw copyError;
      }
    }
  } finally {
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(scratch + suffix, { force: true });
  }
}

function canWrite(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.W_OK);
    fs.accessSync(path.dirname(file), fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Opens a workspace that cannot be written. SQLite cannot read a WAL database without creating its
 * `-shm` file, which a read-only folder forbids, so it reads a private copy (brought to the current
 * schema) that is removed when the connection closes. Every write is refused as read-only.
 */
function openReadOnlyCopy(file: string): Db {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'fashion-sorter-readonly-'));
  const copy = path.join(folder, path.basename(file));
  try {
    fs.copyFileSync(file, copy);
    if (fs.existsSync(`${file}-wal`)) fs.copyFileSync(`${file}-wal`, `${copy}-wal`);
    // The copies keep the original's read-only mode; the schema update below needs to write them.
    for (const f of [copy, `${copy}-wal`]) if (fs.existsSync(f)) fs.chmodSync(f, 0o600);
    const scratch = connect(copy);
    try {
      if (!looksLikeWorkspace(scratch)) refuseForeign(file, scratch);
      refuseNewer(file, scratch);
      migrate(scratch);
      scratch.pragma('journal_mode = DELETE');
    } finally {
      if (scratch.open) scratch.close();
    }
  } catch (error) {
    fs.rmSync(folder, { recursive: true, force: true });
    throw error;
  }
  const db = connect(copy, { readonly: true });
  const close = db.close.bind(db);
  db.close = () => {
    close();
    fs.rmSync(folder, { recursive: true, force: true });
    return db;
  };
  return db;
}

/**
 * Opens the workspace file, creating it only where nothing exists yet (or, with `createInEmptyFile`, in
 * an empty file), and brings its schema up to date. Any other file is opened only when it already is a
 * workspace: another application's database or an unrelated file is refused and left untouched.
 * WAL lets the training process write while the UI reads; writers queue on the busy timeout.
 */
export function openWorkspace(file: string, options: OpenWorkspaceOptions = {}): Db {
  const resolved = path.resolve(file);
  const found = inspect(resolved);
  switch (found) {
    case 'folder':
      throw new AppError('invalid-argument', `${resolved} is a folder; name a workspace file inside it, such as ${path.join(resolved, 'workspace.db')}.`);
    case 'other':
      throw new AppError('invalid-argument', `${resolved} is not a Fashion Sorter workspace (not an SQLite database); it was left unchanged. Name a new file with --db to create a workspace there.`);
    case 'empty':
      if (!options.createInEmptyFile) {
        throw new AppError('invalid-argument', `${resolved} is an empty file, not a workspace; it was left unchanged. To make it a new workspace, add --new.`);
      }
      break;
    case 'missing':
      try {
        createWorkspaceFile(resolved);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (!code || (code.startsWith('SQLITE_') && code !== 'SQLITE_CANTOPEN')) throw workspaceError(error, resolved);
        const reason = code === 'SQLITE_CANTOPEN' ? 'the folder cannot be written' : code;
        throw new AppError('invalid-argument', `The workspace ${resolved} cannot be created (${reason}); name a file in a folder you can write to with --db.`);
      }
      break;
    case 'sqlite':
      break;
  }
  if (found !== 'missing' && !canWrite(resolved)) {
    if (found === 'empty') throw new AppError('invalid-argument', `${resolved} is read-only, so no workspace can be created in it. Name another file with --db.`);
    let db: Db;
    try {
      db = openReadOnlyCopy(resolved);
    } catch (error) {
      throw workspaceError(error, resolved);
    }
    info.set(db, { file: resolved, readOnly: true });
    return db;
  }
  let db: Db | undefined;
  try {
    db = connect(resolved);
    if (found === 'sqlite' && !looksLikeWorkspace(db)) refuseForeign(resolved, db);
    refuseNewer(resolved, db);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db);
  } catch (error) {
    if (db?.open) db.close();
    throw workspaceError(error, resolved);
  }
  info.set(db, { file: resolved, readOnly: false });
  return db;
}
