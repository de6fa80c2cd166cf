import { fork } from 'node:child_process';
import { crashDetail } from './crash-detail.ts';
import type { FromWorker, WorkerHandle, WorkerLauncher } from './protocol.ts';

/** How much of the training process's stderr is kept to explain a crash. */
const STDERR_TAIL_CHARS = 2000;

/** The training process's entry, run from source (Node strips the types). */
export const WORKER_SOURCE = new URL('./train-worker.ts', import.meta.url).pathname;

/**
 * Lines libtensorflow prints to stderr as it starts, whatever TF_CPP_MIN_LOG_LEVEL says (TensorFlow 2.21
 * logs through absl before its log level is read): its INFO lines (`I0000 00:00:… port.cc:153] oneDNN…`),
 * absl's note about them, and the CPU-feature line's continuation. Not for the person watching a
 * progress bar; warnings (`W…`) and errors (`E…`) still pass.
 */
export function isTensorflowStartupNote(line: string): boolean {
  return (
    /^I\d{4} \d\d:\d\d:[\d.]+ +\d+ [\w.-]+:\d+\] /.test(line) ||
    line.startsWith('WARNING: All log messages before absl::InitializeLog() is called are written to STDERR') ||
    line.startsWith('To enable the following instructions:')
  );
}

/** Launches the training process as a Node child process (CLI, web host, tests). */
export function nodeWorkerLauncher(script = WORKER_SOURCE): WorkerLauncher {
  return (): WorkerHandle => {
    const child = fork(script, [], { stdio: ['ignore', 'inherit', 'pipe', 'ipc'], serialization: 'advanced' });
    let stderr = '';
    let partial = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-STDERR_TAIL_CHARS);
      // Whole lines are passed on, but for TensorFlow's start-up notes.
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop()!;
      const shown = lines.filter((line) => !isTensorflowStartupNote(line));
      if (shown.length > 0) process.stderr.write(`${shown.join('\n')}\n`);
    });
    child.stderr?.on('end', () => {
      if (partial && !isTensorflowStartupNote(partial)) process.stderr.write(partial);
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
