/**
 * How the CLI talks to the back end: like every other door, it builds a request and sends it through
 * `dispatch`, so the contract's zod schemas are the rules. The CLI only adds what a command line needs:
 * turning option strings into the numbers a schema expects, and saying a refused value in terms of the
 * flag the person typed (`--lr must be greater than 0`), as a usage error.
 */
import type { z } from 'zod';
import { requestSchemas, type RequestChannel, type RequestResult } from '../../shared/api.ts';
import { deserializeError } from '../../shared/errors.ts';
import type { Backend } from '../app-backend.ts';
import { dispatch } from '../handlers.ts';
import { UsageError } from './command.ts';

/** The innermost schema of a field (without optional/nullable/default wrappers). */
function baseOf(schema: z.ZodType): z.ZodType {
  let inner = schema as z.ZodType & { unwrap?: () => z.ZodType; def: { type: string } };
  while (typeof inner.unwrap === 'function' && ['optional', 'nullable', 'default'].includes(inner.def.type)) inner = inner.unwrap() as typeof inner;
  return inner;
}

/** Turns a string the person typed into a number where the channel's schema wants a number. */
function coerceField(schema: z.ZodType | undefined, value: unknown): unknown {
  if (typeof value !== 'string' || !schema) return value;
  const type = (baseOf(schema) as unknown as { def: { type: string } }).def.type;
  return type === 'number' && value.trim() !== '' ? Number(value) : value;
}

/** A refused value in words, e.g. "must be greater than 0". */
function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'array') return `needs at least ${issue.minimum}`;
      if (issue.origin === 'string') return 'must not be empty';
      return issue.inclusive ? `must be at least ${issue.minimum}` : `must be greater than ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'array' || issue.origin === 'string') return `is too long (at most ${issue.maximum})`;
      return issue.inclusive ? `must be at most ${issue.maximum}` : `must be less than ${issue.maximum}`;
    case 'invalid_type':
      return issue.expected === 'int' ? 'must be a whole number' : `must be a ${issue.expected}`;
    case 'invalid_value':
      return `must be ${issue.values.map(String).join(' or ')}`;
    default:
      return issue.message;
  }
}

/**
 * Sends one request. `arg` holds what the person typed (strings where they typed strings); `flags` names
 * the flag or argument each field came from, for messages. A refused value throws a UsageError; a
 * refusal from the back end (no such run, a file that exists) throws its AppError.
 */
export async function request<C extends RequestChannel>(backend: Backend, channel: C, arg?: Record<string, unknown>, flags: Record<string, string> = {}): Promise<RequestResult<C>> {
  const input = checkRequest(channel, arg, flags);
  const envelope = await dispatch(backend.handlers, channel, input);
  if (!envelope.ok) throw deserializeError(envelope.error);
  return envelope.value as RequestResult<C>;
}

/**
 * Checks what the person typed against a channel's schema, as `request` does, and returns the checked
 * request. For the few commands that must call a service themselves (a scan's per-epoch progress is a
 * callback, not an event), so that their values still follow the contract's rules.
 */
export function checkRequest<C extends RequestChannel>(channel: C, arg?: Record<string, unknown>, flags: Record<string, string> = {}): z.output<(typeof requestSchemas)[C]> {
  const schema = requestSchemas[channel] as z.ZodType;
  const shape = (schema as unknown as { shape?: Record<string, z.ZodType> }).shape ?? {};
  const input = arg && Object.fromEntries(Object.entries(arg).filter(([, v]) => v !== undefined).map(([key, value]) => [key, coerceField(shape[key], value)]));
  const checked = schema.safeParse(input);
  if (!checked.success) {
    const messages = checked.error.issues.map((issue) => {
      const field = String(issue.path[0] ?? '');
      const typed = arg?.[field];
      return `${flags[field] ?? field} ${describeIssue(issue)}${typeof typed === 'string' ? `, not "${typed}"` : ''}.`;
    });
    throw new UsageError(messages.join(' '));
  }
  return checked.data as z.output<(typeof requestSchemas)[C]>;
}

/** The run named by a command's first argument, as the number the contract expects. */
export function runIdArgument(positionals: readonly string[]): string {
  if (positionals[0] === undefined) throw new UsageError('Name the run by its number (see fashion-sorter runs).');
  return positionals[0];
}
