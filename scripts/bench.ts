/**
 * `npm run bench`: measures the speed targets and prints one JSON document of figures. Short tasks are
 * repeated and their median reported; the machine is shared, so compare figures from the same run.
 *   --only import,ml,errors,classify,labels   run some sections (labels is not in the default set: it takes minutes)
 *   --repeats N             repeats for short tasks (default 3)
 *   --backends wasm,cpu     backends to measure (default: tensorflow,wasm,cpu; missing ones are reported)
 *   --quick                 measure the CNN epoch on 6,000 images and scale, instead of a full epoch
 *   --scans mlp:4:10,…      label scans to measure (model:folds:epochs), default the default scan
 *   --leave-out-epochs N    with labels: also train the MLP N epochs with and without the suspects left out
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { BackendName } from '../src/main/ml/backend.ts';
import { benchClassify } from './bench-classify.ts';
import { benchErrors } from './bench-errors.ts';
import { benchImport } from './bench-import.ts';
import { benchLabels } from './bench-labels.ts';
import { benchMl } from './bench-ml.ts';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    repeats: { type: 'string', default: '3' },
    backends: { type: 'string', default: 'tensorflow,wasm,cpu' },
    quick: { type: 'boolean', default: false },
    scans: { type: 'string' },
    'leave-out-epochs': { type: 'string' },
  },
});
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
if (wanted('ml')) {
  report.ml = await benchMl({ repeats, backends: values.backends.split(',') as BackendName[], fullCnnEpoch: !values.quick });
}
if (wanted('errors')) report.errors = await benchErrors(Math.max(repeats, 5));
if (wanted('classify')) report.classify = await benchClassify(repeats);
// A scan trains K models: only on request.
if (only?.has('labels')) report.labels = await benchLabels(values.scans, Number(values['leave-out-epochs'] ?? 0));

report.peakRssMegabytes = Math.round(process.resourceUsage().maxRSS / 1024);
console.log(JSON.stringify(report, null, 2));
