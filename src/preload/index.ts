/**
 * The preload: a thin bridge from the sandboxed renderer to the main process. It carries requests and
 * events and nothing else; validation happens in the main process.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { EventChannel } from '../shared/api.ts';
import { IPC_EVENT, IPC_REQUEST, type DesktopBridge } from '../shared/bridge.ts';

const bridge: DesktopBridge = {
  request: (channel, arg) => ipcRenderer.invoke(IPC_REQUEST, channel, arg),
  subscribe(listener) {
    const forward = (_event: IpcRendererEvent, channel: EventChannel, payload: unknown): void => listener(channel, payload);
    ipcRenderer.on(IPC_EVENT, forward);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, forward);
    };
  },
  pathForFile: (file) => webUtils.getPathForFile(file),
};

contextBridge.exposeInMainWorld('desktop', bridge);
