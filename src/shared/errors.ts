/**
 * Expected failures have a typed code that the UI shows in words; anything else is a bug
 * and crosses the boundary as `internal`.
 */
export type ErrorCode =
  | 'invalid-argument'
  | 'not-found'
  | 'import-failed'
  | 'conflict'
  /** The photos were already sorted into that folder; the person may ask to sort again. */
  | 'already-sorted'
  | 'busy'
  | 'cancelled'
  | 'unauthorized'
  | 'internal';

/** An error a user can act on: a code for the program and a message for the person. */
export class AppError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'AppError';
    this.code = code;
  }
}

/** The plain shape in which an error crosses a process or network boundary. */
export interface SerializedError {
  code: ErrorCode;
  message: string;
}

/** Turns any thrown value into `{ code, message }`; a non-AppError keeps its message but becomes `internal`. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof AppError) return { code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message };
}

/** Rebuilds an AppError on the receiving side, so callers can `catch` by code. */
export function deserializeError(error: SerializedError): AppError {
  return new AppError(error.code, error.message);
}
