/**
 * Opens an address in the system's browser, where there is one. Never fails: without a desktop session
 * (a server, a container, SSH) nothing is tried, and a missing opener is ignored.
 */
import { spawn } from 'node:child_process';

/** The command that opens a URL on this platform, or null where there is no desktop to open it on. */
export function browserCommand(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, url: string): { command: string; args: string[] } | null {
  if (platform === 'darwin') return { command: 'open', args: [url] };
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""', url.replace(/&/g, '^&')] };
  // Without a display xdg-open falls back to a text browser in this terminal, which would take it over.
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return null;
  return { command: 'xdg-open', args: [url] };
}

/** Tries to open `url`; returns whether an opener was started (not whether a window appeared). */
export function openBrowser(url: string, platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): boolean {
  const opener = browserCommand(platform, env, url);
  if (!opener) return false;
  try {
    const child = spawn(opener.command, opener.args, { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
    return true;
  } catch {
    return false;
  }
}
