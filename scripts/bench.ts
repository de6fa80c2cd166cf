/**
 * `npm run bench`: measures the speed targets and prints one JSON document of figures. Short tasks are
 * repeated and their median reported; the machine is shared, so compare figures from the same run.
 *   --only import,ml,engines,errors,classify,eta,review,labels run some sections (ml includes engines; labels is not in the default set: it takes minutes)
 *   --repeats N             repeats for short tasks (default 3)
 *   --backends wasm,cpu     backends to measure (default: tensorflow,wasm,cpu; missing ones are reported)
 *   --quick                 measure the CNN epoch on 6,000 images and scale, instead of a full epoch
 *                           (engines: the CNN's epochs on 12,000 images)
 *   --scans mlp:4:10,…      label scans to measure (model:folds:epochs), default the default scan
 *   --leave-out-epochs N    with labels: also train the MLP N epochs with and without the suspects left out
 * `engines` times the app's backends against PyTorch and Keras (a venv from `npm run setup:peers`).
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { BackendName } from '../src/main/ml/backend.ts';
import { benchClassify } from './bench-classify.ts';
import { benchEngines } from './bench-engines.ts';
import { benchErrors } from './bench-errors.ts';
import { benchEta } from './bench-eta.ts';
import { benchImport } from './bench-import.ts';
import { benchLabels } from './bench-labels.ts';
import { benchMl } from './bench-ml.ts';
import { benchReview } from './bench-review.ts';

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
/** The CNN epoch of the engine comparison with --quick: a fifth of the training set. */
const QUICK_CNN_IMAGES = 12_000;
const only = values.only ? new Set(values.only.split(',')) : null;
const wanted = (section: string): boolean => only === null || only.has(section);

const report: Record<string, unknown> = {
  node: process.version,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.availableParallelism(),
  date: new Date().toISOString(),
  loadAverageAtStart: os.loadavg().map((l) => Number(l.toFixed(2))),
};

if (wanted('import')) report.import = await benchImport(repeats);
if (wanted('ml') || wanted('engines')) {
  const backends = (values.backends.split(',') as BackendName[]).filter((b) => b !== 'cpu');
  report.engines = await benchEngines({ backends, rounds: repeats, cnnImages: values.quick ? QUICK_CNN_IMAGES : null });
}
if (wanted('ml')) {
  report.ml = await benchMl({ repeats, backends: values.backends.split(',') as BackendName[], fullCnnEpoch: !values.quick });
}
if (wanted('errors')) report.errors = await benchErrors(Math.max(repeats, 5));
if (wanted('classify')) report.classify = await benchClassify(repeats);
if (wanted('eta')) report.eta = await benchEta();
if (wanted('review')) report.review = await benchReview(repeats);
// A scan trains K models: only on request.
if (only?.has('labels')) report.labels = await benchLabels(values.scans, Number(values['leave-out-epochs'] ?? 0));

report.loadAverageAtEnd = os.loadavg().map((l) => Number(l.toFixed(2)));
report.peakRssMegabytes = Math.round(process.resourceUsage().maxRSS / 1024);
console.log(JSON.stringify(report, null, 2));
