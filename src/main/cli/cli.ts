/**
 * The `fashion-sorter` command line. It calls the same services as the app, in-process, against the
 * workspace named by `--db`, FASHION_SORTER_DB or the app's default.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AppError } from '../../shared/errors.ts';
import { openBackend, type Backend } from '../backend.ts';
import { datasetSummaries } from '../db/datasets.ts';
import { importDataset } from '../dataset/import-service.ts';
import { defaultUserDataDir, resolveWorkspacePath } from '../paths.ts';
import { datasetJson, datasetText, table } from './format.ts';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
}

type Options = NonNullable<ParseArgsConfig['options']>;

interface Command {
  summary: string;
  usage: string;
  options: Options;
  run(backend: Backend, values: Record<string, string | boolean | undefined>, positionals: string[], io: CliIo): Promise<void> | void;
}

const COMMON: Options = {
  db: { type: 'string' },
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
};

function helpText(): string {
  const lines = ['Usage: fashion-sorter <command> [options] [--db FILE]', '', 'Commands:'];
  for (const [name, command] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(12)}${command.summary}`, `  ${''.padEnd(12)}fashion-sorter ${command.usage}`);
  lines.push('', 'Every command takes --db FILE (or FASHION_SORTER_DB) and --json.');
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
  try {
    backend = openBackend({ dbPath: resolveWorkspacePath(values.db as string | undefined, defaultUserDataDir(io.env), io.env), host: 'web' });
    await command.run(backend, values, parsed.positionals, io);
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.err(`fashion-sorter ${name}: ${message}`);
    if (!(error instanceof AppError) && io.env.FASHION_SORTER_DEBUG) io.err((error as Error).stack ?? '');
    return 1;
  } finally {
    backend?.close();
  }
}
