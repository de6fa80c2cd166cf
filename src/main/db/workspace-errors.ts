/**
 * SQLite's own messages ("database is locked", "database disk image is malformed", "attempt to write a
 * readonly database") say neither which file nor what to do. These turn them into messages that name the
 * workspace file and the way out.
 */
import { AppError } from '../../shared/errors.ts';

interface SqliteLikeError {
  code?: unknown;
  message?: unknown;
}

/** The advice for each family of SQLite error code (`SQLITE_BUSY_SNAPSHOT` belongs to `SQLITE_BUSY`). */
function describe(code: string, file: string): AppError | null {
  const family = code.replace(/^(SQLITE_[A-Z]+?)(_[A-Z_]+)?$/, '$1');
  switch (family) {
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return new AppError(
        'busy',
        `The workspace ${file} is locked: another Fashion Sorter process (a training run's save, an import) kept it busy for too long. Nothing was changed; try again in a moment.`,
      );
    case 'SQLITE_CORRUPT':
    case 'SQLITE_NOTADB':
      return new AppError(
        'internal',
        `The workspace ${file} is damaged (SQLite reports a malformed database). Nothing was changed; restore it from a backup, or start a new workspace by naming a new file with --db.`,
      );
    case 'SQLITE_READONLY':
      return new AppError(
        'conflict',
        `The workspace ${file} is read-only, so nothing can be saved in it. Make the file and its folder writable, or copy it to a folder you can write to and open the copy.`,
      );
    case 'SQLITE_FULL':
      return new AppError('internal', `The disk holding the workspace ${file} is full. Nothing was changed; free some space and try again.`);
    case 'SQLITE_CANTOPEN':
    case 'SQLITE_PERM':
    case 'SQLITE_AUTH':
      return new AppError('invalid-argument', `The workspace ${file} cannot be opened (${code}). Check that it and its folder exist and that you may read them.`);
    case 'SQLITE_IOERR':
      return new AppError('internal', `Reading or writing the workspace ${file} failed (${code}). Check the disk, then try again.`);
    default:
      return null;
  }
}

/** The refusal of any change to a workspace that was opened read-only, naming its file. */
export function readOnlyWorkspaceError(file: string): AppError {
  return describe('SQLITE_READONLY', file)!;
}

/**
 * The error to show for a failure while using a workspace: SQLite's file-level errors become AppErrors
 * naming the file; anything else is returned as it was.
 */
export function workspaceError(error: unknown, file: string): unknown {
  if (error instanceof AppError) return error;
  const code = (error as SqliteLikeError | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return error;
  return describe(code, file) ?? error;
}

/** Wraps every function of a table (request handlers) so that SQLite's file-level errors name the workspace. */
export function withWorkspaceErrors<T extends object>(file: string, table: T): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(table) as [string, (...args: unknown[]) => unknown][]) {
    wrapped[name] = (...args: unknown[]): unknown => {
      try {
        const result = fn(...args);
        return result instanceof Promise ? result.catch((error: unknown) => Promise.reject(workspaceError(error, file))) : result;
      } catch (error) {
        throw workspaceError(error, file);
      }
    };
  }
  return wrapped as T;
}
