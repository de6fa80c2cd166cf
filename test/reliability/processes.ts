/** Starting the real processes the reliability tests run side by side: workspace workers and the CLI. */
import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import path from 'node:path';

const WORKER = path.join(import.meta.dirname, 'workers/workspace-ops.ts');
const CLI = path.resolve(import.meta.dirname, '../../src/main/cli/main.ts');

export interface OpsResult {
  mode: string;
  tag: string;
  ok: number;
  errors: string[];
  relabels: { imageId: number; label: number }[];
}

/** Runs Node 24 on a script to its end and collects what it printed. */
export function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string; err: string }> {
  // process.execPath is Node 24 here (the tests run on it), which better-sqlite3 needs.
  return runCommand(process.execPath, args, env);
}

/** Runs any command to its end and collects what it printed. */
export function runCommand(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], cwd: '/' });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

/** One workspace worker (see workers/workspace-ops.ts); resolves with what it did. */
export async function ops(mode: 'open' | 'imports' | 'relabels', db: string, tag: string, amount: number | string): Promise<OpsResult> {
  const { out, err, code } = await run([WORKER, mode, db, tag, String(amount)]);
  const line = out.trim().split('\n').at(-1);
  if (!line) throw new Error(`workspace worker ${mode} ${tag} printed nothing (exit ${code}): ${err}`);
  return JSON.parse(line) as OpsResult;
}

/** The real CLI in its own process. */
export function cliProcess(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string; err: string }> {
  return run([CLI, ...args], env);
}

const WEB = path.resolve(import.meta.dirname, '../../src/main/web/main.ts');

/** `npm run web`'s entry in its own process, on a free port with a known token; resolves once it listens. */
export function startWebProcess(db: string, token: string): Promise<{ port: number; stop(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WEB, '--db', db, '--port', '0', '--token', token], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', (code) => reject(new Error(`the web host exited (${code}): ${err}`)));
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const match = /running at http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (!match) return;
      resolve({
        port: Number(match[1]),
        stop: () =>
          new Promise<void>((done) => {
            child.removeAllListeners('exit');
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

/** A web host of its own process, as `web-host-child.ts` starts it, for the tests that must survive it. */
export interface HostProcess {
  child: ChildProcess;
  port: number;
  /** Everything the host wrote to stderr so far. */
  stderr(): string;
  /** Stops the host (if it still runs) and waits for it to exit. */
  stop(): Promise<void>;
}

/** Starts the real web host on a workspace in `root`, serving `staticDir`, allowing paths under `allowed`. */
export async function startHostProcess(root: string, staticDir: string, allowed: string, token: string): Promise<HostProcess> {
  const child = spawn(process.execPath, [path.join(import.meta.dirname, 'web-host-child.ts'), path.join(root, 'w.db'), staticDir, allowed, path.join(root, 'user-data'), token], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the host exited with ${code}: ${stderr}`)));
    readline.createInterface({ input: child.stdout! }).once('line', (line) => resolve((JSON.parse(line) as { port: number }).port));
  });
  return {
    child,
    port,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}
