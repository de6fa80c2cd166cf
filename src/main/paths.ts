import os from 'node:os';
import path from 'node:path';

/** The app's name as Electron uses it for the userData folder. */
export const APP_NAME = 'Fashion Sorter';
export const WORKSPACE_FILE = 'workspace.db';

/**
 * Electron's userData folder for this app, computed without Electron, so that the CLI and the web host
 * open the same workspace as the desktop app by default.
 */
export function defaultUserDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_NAME);
  return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), APP_NAME);
}

/** The workspace file: `--db` wins, then FASHION_SORTER_DB, then the userData folder. */
export function resolveWorkspacePath(flag: string | undefined, userDataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return path.resolve(flag);
  if (env.FASHION_SORTER_DB) return path.resolve(env.FASHION_SORTER_DB);
  return path.join(userDataDir, WORKSPACE_FILE);
}

/** Reads `--db FILE` or `--db=FILE` from an argument list without consuming anything else. */
export function dbFlag(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--db') return argv[i + 1];
    if (argv[i].startsWith('--db=')) return argv[i].slice('--db='.length);
  }
  return undefined;
}
