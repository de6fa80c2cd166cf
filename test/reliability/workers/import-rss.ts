/**
 * Imports the given paths into a new workspace in this process, then prints the outcome and the peak
 * memory the process reached (resident set size), for the bomb tests.
 * Usage: node import-rss.ts <workspace.db> <path>...
 */
import { openWorkspace } from '../../../src/main/db/connection.ts';
import { importDataset } from '../../../src/main/dataset/import-service.ts';

const [dbPath, ...paths] = process.argv.slice(2);
const db = openWorkspace(dbPath);
let error: string | null = null;
let added = 0;
try {
  added = (await importDataset(db, paths, {})).added;
} catch (caught) {
  error = (caught as Error).message;
}
db.close();
// maxRSS is in kilobytes.
process.stdout.write(`${JSON.stringify({ error, added, peakMb: process.resourceUsage().maxRSS / 1024 })}\n`);
