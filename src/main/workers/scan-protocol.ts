/** Messages between the app and the label-scan process; every message carries its job's id. */
import type { SerializedError } from '../../shared/errors.ts';
import type { LabelScanProgress, LabelScanSettings } from '../../shared/label-scan.ts';

export type ToScanWorker =
  | { type: 'scan'; jobId: string; scanId: number; datasetId: number; dbPath: string; settings: LabelScanSettings; keepOld: boolean }
  | { type: 'cancel'; jobId: string };

export type FromScanWorker =
  | { type: 'started'; jobId: string; backend: string }
  | { type: 'progress'; jobId: string; progress: LabelScanProgress }
  | { type: 'succeeded'; jobId: string }
  | { type: 'cancelled'; jobId: string }
  | { type: 'failed'; jobId: string; error: SerializedError };
