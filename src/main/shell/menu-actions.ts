/**
 * What the application menu's items do in the desktop app: native dialogs, then the back end. Kept apart
 * from the entry point (index.ts), which only opens the workspace and wires the window, IPC and menu.
 */
import type { BrowserWindow } from 'electron';
import { app, dialog, shell } from 'electron';
import fs from 'node:fs';
import type { MenuCommand } from '../../shared/api.ts';
import { PHOTO_EXTENSIONS } from '../../shared/photo-files.ts';
import type { Backend } from '../app-backend.ts';
import { latestBackend } from '../db/runs.ts';
import { exportModelFiles } from '../ml/model-store.ts';
import type { PathGrants } from '../path-grants.ts';
import { activeRunId } from '../runs/active-run.ts';
import { exportPredictionsCsv } from '../runs/export-predictions.ts';
import type { MenuActions } from './menu-template.ts';

const WORKSPACE_FILTERS = [{ name: 'Fashion Sorter workspace', extensions: ['db'] }];

/** What the menu actions need from the running desktop app. */
export interface DesktopShell {
  window(): BrowserWindow | null;
  backend(): Backend | undefined;
  grants: PathGrants;
  /** Sends a command to the renderer (navigate, notice, paths to import or classify). */
  send(command: MenuCommand): void;
  /** Opens (or switches to) a workspace file and remembers it for the next start. */
  switchWorkspace(file: string): void;
  logFolder: string;
}

/** The menu's actions for this desktop app. */
export function createMenuActions(desktop: DesktopShell): MenuActions {
  const say = (kind: 'info' | 'error', text: string): void => desktop.send({ command: 'notice', kind, text });
  const window = (): BrowserWindow => desktop.window()!;

  const chooseWorkspace = async (create: boolean): Promise<void> => {
    const choice = create
      ? await dialog.showSaveDialog(window(), { title: 'New workspace', defaultPath: 'workspace.db', filters: WORKSPACE_FILTERS })
      : await dialog.showOpenDialog(window(), { title: 'Open workspace', properties: ['openFile'], filters: WORKSPACE_FILTERS });
    const file = 'filePath' in choice ? choice.filePath : choice.filePaths[0];
    if (choice.canceled || !file) return;
    if (create && fs.existsSync(file)) {
      say('error', `${file} already exists; a new workspace never replaces a file. Use Open workspace… to open it.`);
      return;
    }
    desktop.switchWorkspace(file);
  };

  const needActiveRun = (): number | null => {
    const backend = desktop.backend();
    const runId = backend ? activeRunId(backend.db) : null;
    if (runId === null) say('error', 'There is no trained model yet.');
    return runId;
  };

  /** Runs an export and tells the person what was written, or why not. */
  const report = (write: () => string): void => {
    try {
      say('info', write());
    } catch (error) {
      say('error', (error as Error).message);
    }
  };

  return {
    importDataset: async () => {
      const properties: ('openFile' | 'openDirectory' | 'multiSelections')[] = process.platform === 'darwin' ? ['openFile', 'openDirectory', 'multiSelections'] : ['openDirectory', 'multiSelections'];
      const choice = await dialog.showOpenDialog(window(), { title: 'Import dataset', properties });
      if (choice.canceled || choice.filePaths.length === 0) return;
      desktop.grants.grant(choice.filePaths);
      desktop.send({ command: 'import-paths', paths: choice.filePaths });
    },
    classifyImages: async () => {
      const choice = await dialog.showOpenDialog(window(), {
        title: 'Classify images',
        properties: ['openFile', 'multiSelections'],
        filters: [{ name: 'Images', extensions: [...PHOTO_EXTENSIONS] }],
      });
      if (choice.canceled || choice.filePaths.length === 0) return;
      desktop.grants.grant(choice.filePaths);
      desktop.send({ command: 'classify-paths', paths: choice.filePaths });
    },
    openWorkspace: () => void chooseWorkspace(false),
    newWorkspace: () => void chooseWorkspace(true),
    exportPredictions: async () => {
      const runId = needActiveRun();
      if (runId === null) return;
      const choice = await dialog.showSaveDialog(window(), { title: 'Export predictions', defaultPath: `predictions-run-${runId}.csv`, filters: [{ name: 'CSV', extensions: ['csv'] }] });
      if (choice.canceled || !choice.filePath) return;
      const file = choice.filePath;
      report(() => `Wrote ${exportPredictionsCsv(desktop.backend()!.db, runId, file)} predictions of run ${runId} to ${file}.`);
    },
    exportModel: async () => {
      const runId = needActiveRun();
      if (runId === null) return;
      const choice = await dialog.showOpenDialog(window(), { title: 'Export model into folder', properties: ['openDirectory', 'createDirectory'] });
      if (choice.canceled || !choice.filePaths[0]) return;
      const folder = choice.filePaths[0];
      report(() => {
        const files = exportModelFiles(desktop.backend()!.db, runId, folder);
        return `Wrote ${files.modelJson} and ${files.weightsFile}.`;
      });
    },
    retrain: () => desktop.send({ command: 'retrain' }),
    cancelTraining: () => desktop.backend()?.jobs.cancelAll(),
    useRun: () => desktop.send({ command: 'navigate', view: 'runs' }),
    navigate: (view) => desktop.send({ command: 'navigate', view }),
    about: () => {
      const backend = desktop.backend();
      const tfBackend = backend ? latestBackend(backend.db) : null;
      void dialog.showMessageBox(window(), {
        title: `About ${app.name}`,
        message: `${app.name} ${app.getVersion()}`,
        detail: [
          `Electron ${process.versions.electron}`,
          `Chromium ${process.versions.chrome}`,
          `Node ${process.versions.node}`,
          `TensorFlow.js backend: ${tfBackend ?? 'chosen when training starts (tfjs-node, else wasm, else cpu)'}`,
          `Workspace: ${backend?.db.name ?? '—'}`,
        ].join('\n'),
      });
    },
    openLogs: () => void shell.openPath(desktop.logFolder),
  };
}
