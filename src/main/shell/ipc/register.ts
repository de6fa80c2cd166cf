import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { EventChannel, EventPayloads } from '../../../shared/api.ts';
import { IPC_EVENT, IPC_REQUEST } from '../../../shared/bridge.ts';
import { AppError, serializeError } from '../../../shared/errors.ts';
import { dispatch, type Handlers } from '../../handlers.ts';

/**
 * Serves the contract over Electron IPC. Only the app's own window, showing the app's own page, may
 * call; the arguments are validated by `dispatch` exactly as for the web host.
 */
export function registerIpc(handlers: () => Handlers, window: () => BrowserWindow | null, log: (error: unknown) => void): () => void {
  const fromOurWindow = (event: IpcMainInvokeEvent): boolean => {
    const win = window();
    return win !== null && event.sender === win.webContents && event.senderFrame === win.webContents.mainFrame;
  };
  ipcMain.handle(IPC_REQUEST, (event, channel: unknown, arg: unknown) => {
    if (!fromOurWindow(event)) return { ok: false, error: serializeError(new AppError('unauthorized', 'Request from an unknown sender.')) };
    // Handlers are looked up per request: File → Open workspace… replaces the back end.
    return dispatch(handlers(), channel, arg, log);
  });
  return () => ipcMain.removeHandler(IPC_REQUEST);
}

/** Sends an event to the window, if it is open. */
export function sendEvent<E extends EventChannel>(window: BrowserWindow | null, channel: E, payload: EventPayloads[E]): void {
  if (window && !window.isDestroyed()) window.webContents.send(IPC_EVENT, channel, payload);
}
