import { fork } from 'node:child_process';
import { crashDetail } from './crash-detail.ts';
import type { FromWorker, WorkerHandle, WorkerLauncher } from './protocol.ts';

/** How much of the training process's stderr is kept to explain a crash. */
const STDERR_TAIL_CHARS = 2000;

/** The training process's entry, run from source (Node strips the types). */
export const WORKER_SOURCE = new URL('./train-worker.ts', import.meta.url).pathname;

/** Launches the training process as a Node child process (CLI, web host, tests). */
export function nodeWorkerLauncher(script = WORKER_SOURCE): WorkerLauncher {
  return (): WorkerHandle => {
    const child = fork(script, [], { stdio: ['ignore', 'inherit', 'pipe', 'ipc'], serialization: 'advanced' });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-STDERR_TAIL_CHARS);
      process.stderr.write(chunk);
    });
    return {
      send: (message) => {
        if (child.connected) child.send(message);
      },
      onMessage: (listener) => child.on('message', (message) => listener(message as FromWorker)),
      onExit: (listener) => child.once('exit', (code, signal) => listener(code, crashDetail(stderr) ?? '', signal)),
      kill: () => child.kill('SIGKILL'),
      onSpawn: (listener) => {
        if (child.pid !== undefined) listener(child.pid);
      },
    };
  };
}
