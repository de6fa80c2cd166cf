/**
 * Telling whether the process that trains a run is still the one that started it. A pid alone is not
 * enough: after a crash and a reboot (or just a busy machine) another process may get the same pid, and
 * the run would stay "running" for ever. Where the system says when a process started (Linux's /proc),
 * that start time is stored with the pid and compared.
 */
import fs from 'node:fs';

/** The fields of /proc/<pid>/stat from field 3 (the state) on, or null where there is no /proc. */
function procStat(pid: number): string[] | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    // The command name (field 2) may hold spaces and parentheses, so count fields after its closing one.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** When a process started, as an opaque token that only has to compare equal, or null where unknown. */
export function processStartTime(pid: number): string | null {
  const startTicks = procStat(pid)?.[19]; // field 22 of proc(5): start time in clock ticks after boot
  return startTicks ? `linux:${startTicks}` : null;
}

/** True when the process with this id exists and, if its start time was recorded, is still that process. */
export function isSameProcessAlive(pid: number, startedAt: string | null): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = procStat(pid);
  if (stat?.[0] === 'Z') return false; // exited, not yet collected by its parent
  if (startedAt === null || stat === null) return true;
  return `linux:${stat[19]}` === startedAt;
}
