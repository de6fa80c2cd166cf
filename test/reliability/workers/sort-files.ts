/**
 * Sorts files into class folders in this process (run as another user by the permission tests) and
 * prints the outcome with the manifest's text, or the error.
 * Usage: node sort-files.ts <target> <copy|move> <label> <file>...
 */
import fs from 'node:fs';
import path from 'node:path';
import { sortIntoFolders } from '../../../src/main/classify/sort-files.ts';

const [target, mode, label, ...files] = process.argv.slice(2);
try {
  const outcome = await sortIntoFolders(files.map((file) => ({ file, name: path.basename(file), label: Number(label), decidedBy: 'accepted' as const, predicted: Number(label), confidence: 0.9, unusual: false, needsReview: false })), target, { move: mode === 'move' });
  process.stdout.write(`${JSON.stringify({ ...outcome, manifestText: fs.readFileSync(outcome.manifest, 'utf8') })}\n`);
} catch (error) {
  process.stdout.write(`${JSON.stringify({ error: (error as Error).message })}\n`);
}
