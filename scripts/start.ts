/**
 * `npm start`: opens the desktop window, or, where Electron's own program is missing (an offline install,
 * where its download failed), says so in one sentence and starts the same app in web mode instead,
 * opening the system browser where there is one. Arguments after `--` go to whichever starts.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');

/**
 * Where Electron's program is, or null when it was never downloaded. Reads what the electron package
 * reads, without requiring it: requiring it would try to download the program.
 */
export function electronExecutable(electronDir: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const pathFile = path.join(electronDir, 'path.txt');
  const relative = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : null;
  const executable = env.ELECTRON_OVERRIDE_DIST_PATH ? path.join(env.ELECTRON_OVERRIDE_DIST_PATH, relative ?? 'electron') : relative ? path.join(electronDir, 'dist', relative) : null;
  return executable && fs.existsSync(executable) ? executable : null;
}

/** Runs a command with this terminal, and exits with its code. */
function run(command: string, args: string[]): void {
  const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit' });
  const forward = (signal: NodeJS.Signals): void => void child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  if (electronExecutable(path.join(ROOT, 'node_modules/electron'))) {
    run(path.join(ROOT, 'node_modules/.bin/electron-vite'), ['preview', '--skipBuild', ...(args.length ? ['--', ...args] : [])]);
  } else {
    console.log(
      "The desktop window cannot open because Electron's own program is not installed (its download needs the internet, which this install did not have), so Fashion Sorter starts in your browser instead.",
    );
    run(process.execPath, [path.join(ROOT, 'src/main/web/main.ts'), '--open', ...args]);
  }
}
