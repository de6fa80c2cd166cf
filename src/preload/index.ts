/**
 * The preload: a thin bridge from the sandboxed renderer to the main process. It carries requests and
 * events and nothing else; validation happens in the main process.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { EventChannel } from '../shared/api.ts';
import { IPC_CHOOSE_FOLDER, IPC_EVENT, IPC_GRANT, IPC_REQUEST, type DesktopBridge } from '../shared/bridge.ts';

const bridge: DesktopBridge = {
  request: (channel, arg) => ipcRenderer.invoke(IPC_REQUEST, channel, arg),
  subscribe(listener) {
    const forward = (_event: IpcRendererEvent, channel: EventChannel, payload: unknown): void => listener(channel, payload);
    ipcRenderer.on(IPC_EVENT, forward);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, forward);
    };
  },
  pathForFile: (file) => {
    // Only a File from a real drop or file input has a path; one made by script has none.
    const path = webUtils.getPathForFile(file);
    if (path) ipcRenderer.sendSync(IPC_GRANT, [path]);
    return path;
  },
  chooseFolder: (title) => ipcRenderer.invoke(IPC_CHOOSE_FOLDER, title),
};

contextBridge.exposeInMainWorld('desktop', bridge);
