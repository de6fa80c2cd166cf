import path from 'node:path';
import { AppError } from '../../shared/errors.ts';

/**
 * The error every importer throws: it names the file, where in it (row or byte offset), and what was wrong,
 * so that a person can open the file and find the problem.
 */
export function importError(file: string, where: string | null, problem: string): AppError {
  const place = where ? `${path.basename(file)} (${where})` : path.basename(file);
  return new AppError('import-failed', `${place}: ${problem}. Nothing was imported.`);
}
