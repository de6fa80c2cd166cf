/**
 * Reading a command line into option values with node:util's parseArgs, with the CLI's own words for
 * what parseArgs refuses: Node's texts speak of "ambiguous" arguments and positional hints, and end in a
 * period our usage line would double.
 */
import { parseArgs } from 'node:util';
import { UsageError, type Options } from './command.ts';

/** A token that reads as a negative number (`-3`, `-0.5`, `-.5`, `-1e3`): a value, never an option. */
const NEGATIVE_NUMBER = /^-(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * Joins a negative number to the option before it (`--top -3` becomes `--top=-3`) when that option takes
 * a value. parseArgs refuses `--top -3` because `-3` could be an option; nothing here is named like a
 * number, so the number is the option's value, and the command then judges it as it judges `--top=-3`.
 */
function joinNegativeValues(args: readonly string[], options: Options): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      joined.push(...args.slice(i));
      break;
    }
    const name = arg.startsWith('--') && !arg.includes('=') ? arg.slice(2) : undefined;
    if (name !== undefined && options[name]?.type === 'string' && i + 1 < args.length && NEGATIVE_NUMBER.test(args[i + 1])) {
      joined.push(`${arg}=${args[i + 1]}`);
      i++;
    } else {
      joined.push(arg);
    }
  }
  return joined;
}

/** The option named in one of parseArgs's messages (its first quoted word), e.g. `--top`. */
function quotedOption(message: string): string {
  return /'([^' ,]+)/.exec(message)?.[1] ?? '';
}

/**
 * Parses one command's arguments. Throws a UsageError in the CLI's words; `withUsage` is false for an
 * unknown option, whose one sentence points to `--help` instead.
 */
export function parseCommandLine(command: string, args: readonly string[], options: Options): ReturnType<typeof parseArgs<{ options: Options; allowPositionals: true; strict: true }>> {
  try {
    return parseArgs({ args: joinNegativeValues(args, options), options, allowPositionals: true, strict: true });
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    const option = quotedOption(message);
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && NEGATIVE_NUMBER.test(option)) {
      throw new CommandLineError(`${option} reads as an option; to give a negative number as an argument, put it after --, as in fashion-sorter ${command} -- ${option}.`);
    }
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new CommandLineError(`Unknown option ${option}. Run fashion-sorter ${command} --help.`, false);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && /ambiguous|argument missing/.test(message)) {
      throw new CommandLineError(`${option} needs a value (to give one that starts with "-", write ${option}=VALUE).`);
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && /does not take an argument/.test(message)) throw new CommandLineError(`${option} takes no value.`);
    throw new CommandLineError(message.replace(/\.*$/, '.'));
  }
}

/** A command line parseArgs refused, in words; `withUsage` says whether the usage line should follow. */
export class CommandLineError extends UsageError {
  readonly withUsage: boolean;

  constructor(message: string, withUsage = true) {
    super(message);
    this.withUsage = withUsage;
  }
}
