/**
 * Running a command as an unprivileged user. CI runs as root, which ignores file modes, so a test of a
 * read-only file must drop to `nobody` to mean anything; where that is impossible the test says so and skips.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Why permission tests cannot run here, or null when they can. */
export function whyNoUnprivilegedUser(): string | null {
  if (process.getuid?.() !== 0) {
    // Not root: file modes already apply to this user, but dropping to another user is impossible.
    return null;
  }
  const probe = spawnSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, '-e', 'process.exit(process.getuid() === 0 ? 1 : 0)']);
  return probe.status === 0 ? null : `cannot run as nobody with setpriv (${probe.error?.message ?? probe.stderr.toString().trim()})`;
}

/** The command prefix that runs the rest as `nobody` when this process is root, else nothing. */
export function asNobody(args: string[]): [string, string[]] {
  if (process.getuid?.() === 0) return ['setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, ...args]];
  return [process.execPath, args];
}

/** Lets every user into a test folder (mkdtemp makes it private), so that `nobody` can reach what it holds. */
export function openToAll(dir: string): void {
  for (let d = dir; d !== path.dirname(d) && d.startsWith('/tmp/'); d = path.dirname(d)) fs.chmodSync(d, 0o755);
}

/** Gives a folder to `nobody`, so that it can write there. */
export function giveToNobody(dir: string): void {
  if (process.getuid?.() === 0) fs.chownSync(dir, 65534, 65534);
}
