/**
 * The `fashion-sorter` command line. Each command (one file each in commands/) builds requests and sends
 * them through the same `dispatch` and contract as the app's other doors, in-process, against the
 * workspace named by `--db`, FASHION_SORTER_DB or the app's default.
 */
import fs from 'node:fs';
import { AppError } from '../../shared/errors.ts';
import { openBackend, type Backend } from '../app-backend.ts';
import { workspaceError } from '../db/workspace-errors.ts';
import { defaultUserDataDir, resolveWorkspacePath } from '../paths.ts';
import { UsageError, type CliIo, type Command, type EventListener, type Options, type Values } from './command.ts';
import { parseCommandLine, type CommandLineError } from './parse.ts';
import { batchesCommand } from './commands/batches.ts';
import { LABEL_COMMANDS } from './label-commands.ts';
import { classifyCommand } from './commands/classify.ts';
import { datasetsCommand } from './commands/datasets.ts';
import { evaluateCommand } from './commands/evaluate.ts';
import { exportModelCommand, exportPredictionsCommand } from './commands/exports.ts';
import { importCommand } from './commands/import.ts';
import { runsCommand } from './commands/runs.ts';
import { trainCommand } from './commands/train.ts';

export type { CliIo } from './command.ts';

const COMMON: Options = {
  db: { type: 'string' },
  new: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
};

const COMMANDS: Record<string, Command> = {
  import: importCommand,
  train: trainCommand,
  runs: runsCommand,
  evaluate: evaluateCommand,
  'export-predictions': exportPredictionsCommand,
  'export-model': exportModelCommand,
  classify: classifyCommand,
  batches: batchesCommand,
  datasets: datasetsCommand,
  ...LABEL_COMMANDS,
};

/**
 * What a read-only command gets where no workspace file exists: any use of the back end throws the
 * not-found error that says how a workspace comes to be.
 */
function missingWorkspace(dbPath: string): Backend {
  return new Proxy({} as Backend, {
    get() {
      throw new AppError('not-found', `No workspace at ${dbPath}. Import a dataset first (fashion-sorter import … --db ${dbPath}), or check the path.`);
    },
  });
}

/**
 * The back end, opened on its first use: a command refused for its usage (checked before any request
 * reaches the back end) leaves no new workspace behind at a path where there was none.
 */
function openedOnFirstUse(open: () => Backend): Backend {
  let real: Backend | undefined;
  return new Proxy({} as Backend, {
    get(_target, key) {
      real ??= open();
      const value: unknown = Reflect.get(real, key);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(real) : value;
    },
  });
}

function helpText(): string {
  const lines = ['Usage: fashion-sorter <command> [options] [--db FILE]', '', 'Commands:'];
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length)) + 2;
  for (const [name, command] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(width)}${command.summary}`, `  ${''.padEnd(width)}fashion-sorter ${command.usage}`);
  const writers = Object.entries(COMMANDS).filter(([, command]) => command.writes).map(([name]) => name);
  lines.push(
    '',
    'Every command takes --db FILE (or FASHION_SORTER_DB) and --json. A workspace is created only where no file exists yet,',
    `and only by a command that writes (${writers.join(', ')}); add --new to make an existing empty file a workspace.`,
  );
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
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(name, rest, { ...COMMON, ...command.options });
  } catch (error) {
    const { message, withUsage } = error as CommandLineError;
    io.err(`fashion-sorter ${name}: ${message}${withUsage ? ` Usage: fashion-sorter ${command.usage}` : ''}`);
    return 2;
  }
  const values = parsed.values as Values;
  if (values.help) {
    io.out(`Usage: fashion-sorter ${command.usage}${command.details ? `\n\n${command.details}` : ''}`);
    return 0;
  }
  let backend: Backend | undefined;
  const listeners = new Set<EventListener>();
  const dbPath = resolveWorkspacePath(values.db as string | undefined, defaultUserDataDir(io.env), io.env);
  try {
    // A command that only reads has nothing to show from a workspace that does not exist, and creating
    // one there would hide a mistyped --db; it runs against a stand-in that refuses every use, so that
    // its usage errors still come first.
    if (!command.writes && !fs.existsSync(dbPath)) return (await command.run({ backend: missingWorkspace(dbPath), values, positionals: parsed.positionals, io, events: listeners })) ?? 0;
    const lazy = openedOnFirstUse(() => {
      backend = openBackend({
        dbPath,
        host: 'web',
        newWorkspace: Boolean(values.new),
        events: (channel, payload) => listeners.forEach((listener) => listener(channel, payload)),
      });
      if (backend.readOnly) io.err(`Note: the workspace ${dbPath} is read-only; it is shown as it is, and any change is refused.`);
      return backend;
    });
    return (await command.run({ backend: lazy, values, positionals: parsed.positionals, io, events: listeners })) ?? 0;
  } catch (caught) {
    if (caught instanceof UsageError) {
      io.err(`fashion-sorter ${name}: ${caught.message} Usage: fashion-sorter ${command.usage}`);
      return 2;
    }
    const error = workspaceError(caught, dbPath);
    const message = error instanceof Error ? error.message : String(error);
    io.err(`fashion-sorter ${name}: ${message}`);
    if (!(error instanceof AppError) && io.env.FASHION_SORTER_DEBUG) io.err((error as Error).stack ?? '');
    return 1;
  } finally {
    backend?.close();
  }
}
