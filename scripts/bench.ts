/**
 * `npm run bench`: measures the speed targets and prints one JSON document of figures. Short tasks are
 * repeated and their median reported; the machine is shared, so compare figures from the same run.
 *   --only import,train,…   run some sections
 *   --repeats N             repeats for short tasks (default 3)
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { benchImport } from './bench-import.ts';

const { values } = parseArgs({ options: { only: { type: 'string' }, repeats: { type: 'string', default: '3' } } });
const repeats = Number(values.repeats);
const only = values.only ? new Set(values.only.split(',')) : null;
const wanted = (section: string): boolean => only === null || only.has(section);

const report: Record<string, unknown> = {
  node: process.version,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.availableParallelism(),
  date: new Date().toISOString(),
};

if (wanted('import')) report.import = await benchImport(repeats);

report.peakRssMegabytes = Math.round(process.resourceUsage().maxRSS / 1024);
console.log(JSON.stringify(report, null, 2));
