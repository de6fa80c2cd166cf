import { utilityProcess } from 'electron';
import path from 'node:path';
import type { ScanWorkerHandle } from '../jobs/scan-jobs.ts';
import { crashDetail } from '../workers/crash-detail.ts';
import type { FromWorker, WorkerHandle, WorkerLauncher } from '../workers/protocol.ts';
import type { FromScanWorker } from '../workers/scan-protocol.ts';

/** Launches the training process as an Electron utility process (the built `train-worker.js`). */
export function electronWorkerLauncher(): WorkerLauncher {
  const script = path.join(import.meta.dirname, 'train-worker.js');
  return (): WorkerHandle => {
    const child = utilityProcess.fork(script, [], { serviceName: 'Fashion Sorter training', stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    return {
      send: (message) => child.postMessage(message),
      onMessage: (listener) => child.on('message', (message) => listener(message as FromWorker)),
      onExit: (listener) => child.once('exit', (code) => listener(code, crashDetail(stderr) ?? '')),
      kill: () => child.kill(),
      onSpawn: (listener) => child.once('spawn', () => child.pid !== undefined && listener(child.pid)),
    };
  };
}

/** Launches the label-scan process as an Electron utility process (the built `scan-worker.js`). */
export function electronScanLauncher(): () => ScanWorkerHandle {
  const script = path.join(import.meta.dirname, 'scan-worker.js');
  return (): ScanWorkerHandle => {
    const child = utilityProcess.fork(script, [], { serviceName: 'Fashion Sorter label scan', stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    return {
      send: (message) => child.postMessage(message),
      onMessage: (listener) => child.on('message', (message) => listener(message as FromScanWorker)),
      onExit: (listener) => child.once('exit', (code) => listener(code, crashDetail(stderr) ?? '')),
      kill: () => child.kill(),
    };
  };
}
