/** What every CLI command is made of: its options, its usage line, and what it runs. */
import type { ParseArgsConfig } from 'node:util';
import type { EventChannel, EventPayloads } from '../../shared/api.ts';
import type { Backend } from '../app-backend.ts';

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

/** Parsed option values, by option name. */
export type Values = Record<string, string | boolean | undefined>;

/** What a command runs with. */
export interface CommandContext {
  backend: Backend;
  values: Values;
  positionals: string[];
  io: CliIo;
  /** Add a listener to hear back-end events while the command runs. */
  events: Set<EventListener>;
}

export interface Command {
  summary: string;
  usage: string;
  /** More help, printed by `fashion-sorter <command> --help`. */
  details?: string;
  options: Options;
  /**
   * The command changes the workspace (imports, trains, classifies, scans), so it creates the workspace
   * where no file exists yet. Without it the command only reads, and a missing file is an error.
   */
  writes?: true;
  /** Returns the exit code (0 when nothing is returned). */
  run(context: CommandContext): Promise<void | number> | void | number;
}

/** A command line the CLI refuses (a missing or refused value): it exits 2, as usage errors do. */
export class UsageError extends Error {}
