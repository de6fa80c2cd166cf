/**
 * The preload's bridge, kept free of runtime dependencies: a sandboxed preload can load nothing but
 * Electron, so this module may import types only.
 */
import type { Envelope, EventChannel, RequestChannel } from './api.ts';

/**
 * What the preload exposes as `window.desktop`. Requests come back as envelopes because errors lose
 * their fields crossing the context bridge; the renderer's client turns them into the typed `Api`.
 */
export interface DesktopBridge {
  request(channel: RequestChannel, arg: unknown): Promise<Envelope<unknown>>;
  /** Subscribes to every event; returns the function that unsubscribes. */
  subscribe(listener: (channel: EventChannel, payload: unknown) => void): () => void;
  /**
   * The path on disk of a dropped or picked file, which a sandboxed page cannot read itself. The preload
   * also tells the main process that the person chose this path, so the back end accepts it.
   */
  pathForFile(file: File): string;
  /** Asks for a folder with a native dialog; resolves with its path, or null if cancelled. */
  chooseFolder(title: string): Promise<string | null>;
}

/** IPC channels the bridge uses underneath; the contract's channel names travel inside them. */
export const IPC_REQUEST = 'api:request';
export const IPC_EVENT = 'api:event';
/** The preload reports paths of dropped or picked files on this channel. */
export const IPC_GRANT = 'api:grant-paths';
/** The preload asks the main process for a folder dialog on this channel. */
export const IPC_CHOOSE_FOLDER = 'api:choose-folder';
