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
  /** The path on disk of a dropped or picked file, which a sandboxed page cannot read itself. */
  pathForFile(file: File): string;
}

/** IPC channels the bridge uses underneath; the contract's channel names travel inside them. */
export const IPC_REQUEST = 'api:request';
export const IPC_EVENT = 'api:event';
