/**
 * The `fashion-sorter` command line. It calls the same services as the app, in-process, against the
 * workspace named by `--db`, FASHION_SORTER_DB or the app's default.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { EventChannel, EventPayloads } from '../../shared/api.ts';
import { CLASS_NAMES } from '../../shared/classes.ts';
import { AppError } from '../../shared/errors.ts';
import type { JobUpdate, ModelKind } from '../../shared/types.ts';
import { openBackend, type Backend } from '../app-backend.ts';
import { datasetSummaries } from '../db/datasets.ts';
import { workspaceError } from '../db/workspace-errors.ts';
import { getRun, listRuns } from '../db/runs.ts';
import { importDataset } from '../dataset/import-service.ts';
import { exportModelFiles } from '../ml/model-store.ts';
import { defaultUserDataDir, resolveWorkspacePath } from '../paths.ts';
import { workspaceEvaluation } from '../runs/evaluation.ts';
import { exportPredictionsCsv } from '../runs/export-predictions.ts';
import { expandPhotoPaths } from '../files/list-files.ts';
import { sortIntoFolders, sortItems } from '../classify/sort-files.ts';
import { datasetJson, datasetText, evaluationText, progressLine, runJson, runsTable, table } from './format.ts';
import { LABEL_COMMANDS } from './label-commands.ts';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  /** Rewrites the current terminal line (progress bars); absent when output is not a terminal. */
  status?(text: string): void;
  /** Registers what to do on Ctrl+C; returns the function that unregisters it. */
  onInterrupt?(handler: () => void): () => void;
}

/** Back-end events the running command may listen to. */
export type EventListener = <E extends EventChannel>(channel: E, payload: EventPayloads[E]) => void;

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface Command {
  summary: string;
  usage: string;
  options: Options;
  run(backend: Backend, values: Record<string, string | boolean | undefined>, positionals: string[], io: CliIo, events: Set<EventListener>): Promise<void | number> | void | number;
}

/** A number from an option (whole and at least `min` unless `fraction`), or undefined when absent. */
function numberOption(values: Record<string, string | boolean | undefined>, name: string, min = 0, fraction = false): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || (!fraction && !Number.isInteger(n))) {
    throw new AppError('invalid-argument', `--${name} must be ${fraction ? 'a positive number' : `a whole number of at least ${min}`}, not "${raw}".`);
  }
  return n;
}

const intOption = (values: Record<string, string | boolean | undefined>, name: string, min: number): number | undefined => numberOption(values, name, min);

function runIdArgument(positionals: string[], backend: Backend): number {
  const runId = Number(positionals[0]);
  if (!Number.isInteger(runId) || runId < 1) throw new AppError('invalid-argument', 'Name the run by its number (see fashion-sorter runs).');
  if (!getRun(backend.db, runId)) throw new AppError('not-found', `There is no run ${runId}.`);
  return runId;
}



const COMMON: Options = {
  db: { type: 'string' },
  new: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
};

const COMMANDS: Record<string, Command> = {
  import: {
    summary: 'Import IDX files, Kaggle CSV files, or a folder with one subfolder per class',
    usage: 'import <files or folder> [--split train|test] [--name NAME] [--json]',
    options: { split: { type: 'string' }, name: { type: 'string' } },
    async run(backend, values, positionals, io) {
      if (positionals.length === 0) throw new AppError('invalid-argument', 'Name the files or folder to import.');
      const split = values.split as string | undefined;
      if (split !== undefined && split !== 'train' && split !== 'test') {
        throw new AppError('invalid-argument', `--split must be train or test, not "${split}".`);
      }
      const result = await importDataset(backend.db, positionals, { split, name: values.name as string | undefined });
      if (values.json) io.out(JSON.stringify(datasetJson(result)));
      else io.out(`Imported ${result.added} new images (${result.skippedDuplicates} already present).\n${datasetText(result)}`);
    },
  },
  train: {
    summary: 'Train a model (the notebook\'s mlp, or a cnn) in a separate process',
    usage: 'train --model mlp|cnn [--epochs N] [--batch N] [--lr X] [--seed N] [--limit N] [--validation F] [--patience N] [--augment] [--no-user-labels] [--leave-out-suspects] [--dataset ID] [--json]',
    options: {
      model: { type: 'string' },
      epochs: { type: 'string' },
      batch: { type: 'string' },
      lr: { type: 'string' },
      seed: { type: 'string' },
      limit: { type: 'string' },
      validation: { type: 'string' },
      patience: { type: 'string' },
      dataset: { type: 'string' },
      augment: { type: 'boolean' },
      'no-user-labels': { type: 'boolean' },
      'leave-out-suspects': { type: 'boolean' },
    },
    async run(backend, values, _positionals, io, events) {
      const model = values.model as string | undefined;
      if (model !== 'mlp' && model !== 'cnn') throw new AppError('invalid-argument', '--model must be mlp or cnn.');
      const validation = numberOption(values, 'validation', 0, true);
      if (validation !== undefined && validation > 0.5) throw new AppError('invalid-argument', '--validation must be a share between 0 and 0.5.');
      const { jobId, runId } = backend.jobs.start({
        model: model as ModelKind,
        datasetId: intOption(values, 'dataset', 1),
        epochs: intOption(values, 'epochs', 1),
        batchSize: intOption(values, 'batch', 1),
        learningRate: numberOption(values, 'lr', 0, true),
        seed: intOption(values, 'seed', 0),
        limit: intOption(values, 'limit', 10),
        validationFraction: validation,
        patience: intOption(values, 'patience', 0),
        augment: values.augment ? true : undefined,
        includeUserLabels: values['no-user-labels'] ? false : undefined,
        excludeSuspects: values['leave-out-suspects'] ? true : undefined,
      });
      const listener: EventListener = (channel, payload) => {
        if (channel !== 'job:update') return;
        const update = payload as JobUpdate;
        if (update.kind !== 'train' || update.jobId !== jobId) return;
        if (update.epoch && values.json) io.out(JSON.stringify({ runId, ...update.epoch }));
        else if (update.epoch) io.status?.('');
        if (update.epoch && !values.json && !io.status) {
          const e = update.epoch;
          io.out(`epoch ${e.epoch}: loss ${e.loss.toFixed(4)}, accuracy ${(e.accuracy * 100).toFixed(2)}%, validation ${e.valAccuracy === null ? '—' : `${(e.valAccuracy * 100).toFixed(2)}%`}, ${e.seconds.toFixed(1)} s`);
        }
        if (update.state === 'running' && !values.json) io.status?.(progressLine(update));
      };
      events.add(listener);
      const stopInterrupt = io.onInterrupt?.(() => {
        io.err('Cancelling after the current batch…');
        backend.jobs.cancel(jobId);
      });
      try {
        const final = await backend.jobs.whenFinished(jobId);
        io.status?.('');
        if (final.state === 'cancelled') {
          io.err(`Run ${runId} was cancelled.`);
          return 130;
        }
        if (final.state === 'failed') throw new AppError('internal', `Run ${runId} failed: ${final.error}`);
        io.out(JSON.stringify(runJson(final.run!)));
      } finally {
        events.delete(listener);
        stopInterrupt?.();
      }
    },
  },
  runs: {
    summary: 'List training runs, newest first',
    usage: 'runs [--json]',
    options: {},
    run(backend, values, _positionals, io) {
      const runs = listRuns(backend.db);
      if (values.json) io.out(JSON.stringify(runs));
      else io.out(runs.length ? runsTable(runs) : 'No runs yet. Train one with: fashion-sorter train --model mlp');
    },
  },
  evaluate: {
    summary: 'Test accuracy, per-class metrics and the confusion matrix of a run',
    usage: 'evaluate <runId> [--split test|train] [--json]',
    options: { split: { type: 'string' } },
    run(backend, values, positionals, io) {
      const runId = runIdArgument(positionals, backend);
      const split = (values.split as string | undefined) ?? 'test';
      if (split !== 'test' && split !== 'train') throw new AppError('invalid-argument', '--split must be test or train.');
      const evaluation = workspaceEvaluation(backend.db, runId, split);
      if (values.json) {
        io.out(
          JSON.stringify({
            runId,
            split,
            images: evaluation.images,
            testAccuracy: split === 'test' ? evaluation.accuracy : undefined,
            accuracy: evaluation.accuracy,
            loss: evaluation.loss,
            perClass: evaluation.perClass.map((m, label) => ({ label, className: CLASS_NAMES[label], ...m })),
            confusion: evaluation.confusion,
            topConfusions: evaluation.topConfusions,
          }),
        );
      } else {
        io.out(evaluationText(evaluation));
      }
    },
  },
  'export-predictions': {
    summary: 'Write a run\'s predictions for every image to a CSV file',
    usage: 'export-predictions <runId> --out FILE.csv',
    options: { out: { type: 'string' } },
    run(backend, values, positionals, io) {
      const runId = runIdArgument(positionals, backend);
      const out = values.out as string | undefined;
      if (!out) throw new AppError('invalid-argument', 'Name the file to write with --out FILE.csv.');
      const rows = exportPredictionsCsv(backend.db, runId, out);
      if (values.json) io.out(JSON.stringify({ runId, file: out, predictions: rows }));
      else io.out(`Wrote ${rows} predictions of run ${runId} to ${out}.`);
    },
  },
  'export-model': {
    summary: 'Write a run\'s model in the TensorFlow.js layers format (model.json, weights.bin)',
    usage: 'export-model <runId> --out DIR',
    options: { out: { type: 'string' } },
    run(backend, values, positionals, io) {
      const runId = runIdArgument(positionals, backend);
      const out = values.out as string | undefined;
      if (!out) throw new AppError('invalid-argument', 'Name the folder to write with --out DIR.');
      const files = exportModelFiles(backend.db, runId, out);
      if (values.json) io.out(JSON.stringify({ runId, ...files }));
      else io.out(`Wrote ${files.modelJson} and ${files.weightsFile}; load it with tf.loadLayersModel('…/model.json').`);
    },
  },
  classify: {
    summary: 'Classify photos with the active model (or --run), optionally sorting them into class folders',
    usage: 'classify <files or folders> [--run ID] [--sort-into DIR] [--move] [--json]',
    options: { run: { type: 'string' }, 'sort-into': { type: 'string' }, move: { type: 'boolean' } },
    async run(backend, values, positionals, io) {
      if (positionals.length === 0) throw new AppError('invalid-argument', 'Name the photos or folders to classify.');
      if (values.move && !values['sort-into']) throw new AppError('invalid-argument', '--move only makes sense with --sort-into DIR.');
      const files = await expandPhotoPaths(positionals);
      if (files.length === 0) throw new AppError('invalid-argument', 'There are no photos there to classify.');
      const batch = backend.classifier.plan(files, intOption(values, 'run', 1));
      let done = 0;
      const photos = await backend.classifier.classify(batch, files, { onResult: () => io.status?.(`Classified ${++done} of ${files.length}`) });
      io.status?.('');
      const results = photos.map((p) =>
        p.error !== null
          ? { file: p.file, error: p.error }
          : { file: p.file, label: p.predicted, className: CLASS_NAMES[p.predicted!], confidence: p.confidence, top3: p.top3.map((t) => ({ label: t.label, className: CLASS_NAMES[t.label], probability: t.probability })) },
      );
      if (values.json) io.out(JSON.stringify(results));
      else {
        // A file that could not be read gets a short mark in the table and its reason below it, so that
        // one long message does not stretch the table.
        io.out(
          table(
            ['file', 'class', 'confidence', 'review'],
            photos.map((p) => [p.name, p.error !== null ? 'unreadable' : CLASS_NAMES[p.predicted!], p.confidence === null ? '—' : `${(p.confidence * 100).toFixed(1)}%`, p.needsReview ? 'needs review' : '']),
          ),
        );
        for (const p of photos) if (p.error !== null) io.err(`${p.name}: ${p.error}`);
      }
      const target = values['sort-into'] as string | undefined;
      if (target) {
        const outcome = await sortIntoFolders(sortItems(photos), target, { move: Boolean(values.move) });
        const verb = values.move ? 'Moved' : 'Copied';
        // With --json, stdout carries only the results; the summary goes to stderr.
        const say = values.json ? io.err : io.out;
        const kept = outcome.sorted.filter((s) => s.originalKept);
        say(`${verb} ${outcome.sorted.length - kept.length} photos into ${target}; manifest: ${outcome.manifest}`);
        if (kept.length > 0) say(`Copied ${kept.length} more, but could not remove the original (listed in the manifest):`);
        for (const s of kept) io.err(`${s.file}: ${s.originalKept}`);
        for (const failure of outcome.failed) io.err(`${failure.file}: ${failure.error}`);
      }
      const failed = photos.filter((p) => p.error !== null).length;
      return failed > 0 && failed === photos.length ? 1 : 0;
    },
  },
  datasets: {
    summary: 'List the datasets in the workspace with their counts',
    usage: 'datasets [--json]',
    options: {},
    run(backend, values, _positionals, io) {
      const summaries = datasetSummaries(backend.db);
      if (values.json) {
        io.out(JSON.stringify(summaries.map(datasetJson)));
        return;
      }
      if (summaries.length === 0) {
        io.out('No datasets yet. Import one with: fashion-sorter import <files or folder>');
        return;
      }
      io.out(
        table(
          ['id', 'name', 'images', 'train', 'test', 'user'],
          summaries.map((s) => [s.datasetId, s.name, s.images, s.bySplit.train, s.bySplit.test, s.bySplit.user]),
        ),
      );
    },
  },
  ...LABEL_COMMANDS,
};

function helpText(): string {
  const lines = ['Usage: fashion-sorter <command> [options] [--db FILE]', '', 'Commands:'];
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length)) + 2;
  for (const [name, command] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(width)}${command.summary}`, `  ${''.padEnd(width)}fashion-sorter ${command.usage}`);
  lines.push('', 'Every command takes --db FILE (or FASHION_SORTER_DB) and --json. A workspace is created only where no file exists yet;', 'add --new to make an existing empty file a workspace.');
  return lines.join('\n');
}

/** Runs one CLI invocation and returns its exit code: 0 on success, 1 on failure, 2 on a usage error. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(helpText());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`fashion-sorter: unknown command "${name}". Run fashion-sorter --help for the list.`);
    return 2;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...rest], options: { ...COMMON, ...command.options }, allowPositionals: true, strict: true });
  } catch (error) {
    io.err(`fashion-sorter ${name}: ${(error as Error).message}. Usage: fashion-sorter ${command.usage}`);
    return 2;
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) {
    io.out(`Usage: fashion-sorter ${command.usage}`);
    return 0;
  }
  let backend: Backend | undefined;
  const listeners = new Set<EventListener>();
  const dbPath = resolveWorkspacePath(values.db as string | undefined, defaultUserDataDir(io.env), io.env);
  try {
    backend = openBackend({
      dbPath,
      host: 'web',
      newWorkspace: Boolean(values.new),
      events: (channel, payload) => listeners.forEach((listener) => listener(channel, payload)),
    });
    if (backend.readOnly) io.err(`Note: the workspace ${dbPath} is read-only; it is shown as it is, and any change is refused.`);
    return (await command.run(backend, values, parsed.positionals, io, listeners)) ?? 0;
  } catch (caught) {
    const error = workspaceError(caught, dbPath);
    const message = error instanceof Error ? error.message : String(error);
    io.err(`fashion-sorter ${name}: ${message}`);
    if (!(error instanceof AppError) && io.env.FASHION_SORTER_DEBUG) io.err((error as Error).stack ?? '');
    return 1;
  } finally {
    backend?.close();
  }
}
