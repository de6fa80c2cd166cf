/**
 * The renderer's side of the contract. In the desktop app it wraps the preload's bridge; in a browser it
 * speaks the web host's WebSocket protocol. Either way the rest of the UI sees one typed `Api`.
 */
import type { Api, Envelope, EventChannel, EventPayloads, RequestChannel, RequestParams, RequestResult } from '../../../shared/api.ts';
import type { DesktopBridge } from '../../../shared/bridge.ts';
import { deserializeError, AppError } from '../../../shared/errors.ts';
import { decodeMessage, encodeClientFrame, type ServerMessage } from '../../../shared/wire.ts';

type Listener = (payload: unknown) => void;

/** Keeps event listeners per channel; both transports share it. */
class EventHub {
  private readonly listeners = new Map<EventChannel, Set<Listener>>();

  on<E extends EventChannel>(channel: E, listener: (payload: EventPayloads[E]) => void): () => void {
    const set = this.listeners.get(channel) ?? new Set<Listener>();
    set.add(listener as Listener);
    this.listeners.set(channel, set);
    return () => set.delete(listener as Listener);
  }

  emit(channel: EventChannel, payload: unknown): void {
    for (const listener of this.listeners.get(channel) ?? []) listener(payload);
  }
}

function unwrap<T>(envelope: Envelope<unknown>): T {
  if (envelope.ok) return envelope.value as T;
  throw deserializeError(envelope.error);
}

/** The API over Electron IPC, through `window.desktop`. */
export function createDesktopApi(bridge: DesktopBridge): Api {
  const hub = new EventHub();
  bridge.subscribe((channel, payload) => hub.emit(channel, payload));
  return {
    invoke: async <C extends RequestChannel>(channel: C, ...params: RequestParams<C>) => unwrap<RequestResult<C>>(await bridge.request(channel, params[0])),
    on: (channel, listener) => hub.on(channel, listener),
  };
}

/** The API over the web host's WebSocket; requests wait for the socket to open. */
export function createWebSocketApi(url: string): Api {
  const hub = new EventHub();
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>();
  let nextId = 1;
  const socket = new WebSocket(url);
  const opened = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new AppError('unauthorized', 'Could not connect to the Fashion Sorter back end.')), { once: true });
  });
  socket.addEventListener('message', (event) => {
    const message = decodeMessage<ServerMessage>(String(event.data));
    if (message.type === 'event') {
      hub.emit(message.channel, message.payload);
      return;
    }
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (!waiter) return;
    try {
      waiter.resolve(unwrap(message.envelope));
    } catch (error) {
      waiter.reject(error);
    }
  });
  socket.addEventListener('close', () => {
    for (const waiter of pending.values()) waiter.reject(new AppError('internal', 'The connection to the back end was lost. Reload the page.'));
    pending.clear();
  });
  return {
    async invoke<C extends RequestChannel>(channel: C, ...params: RequestParams<C>): Promise<RequestResult<C>> {
      await opened;
      const id = nextId++;
      return new Promise<RequestResult<C>>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        // Requests that carry bytes (upload pieces) go as binary frames, the rest as JSON text.
        socket.send(encodeClientFrame({ type: 'request', id, channel, arg: params[0] }));
      });
    },
    on: (channel, listener) => hub.on(channel, listener),
  };
}

declare global {
  interface Window {
    desktop?: DesktopBridge;
  }
}

/** The desktop bridge when running in Electron, otherwise a socket to the page's own host. */
function connect(): Api {
  if (window.desktop) return createDesktopApi(window.desktop);
  const token = new URLSearchParams(window.location.search).get('token') ?? '';
  const protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return createWebSocketApi(`${protocol}//${window.location.host}/api?token=${encodeURIComponent(token)}`);
}

let connection: Api | null = null;

/** The renderer's API; it connects on first use, so importing a module has no side effects. */
export const api: Api = {
  invoke: (channel, ...params) => (connection ??= connect()).invoke(channel, ...params),
  on: (channel, listener) => (connection ??= connect()).on(channel, listener),
};
