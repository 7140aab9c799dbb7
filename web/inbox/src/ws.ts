// Reconnecting WebSocket to /ws. Same origin, so the session cookie authenticates the upgrade.
// The socket knows nothing about conversations: the store re-subscribes on every `open`.
import type { ServerFrame } from './types';

export type SocketState = 'connecting' | 'open' | 'closed';

export interface SocketHandlers {
  onFrame(frame: ServerFrame): void;
  /** The server said hello: (re)subscribe and flush pending sends now. */
  onReady(): void;
  onState(state: SocketState): void;
  /** Several consecutive failures: the owner may want to check the session. */
  onRepeatedFailure(): void;
}

const PING_EVERY_MS = 25_000;
const PONG_TIMEOUT_MS = 10_000;

export class InboxSocket {
  private ws: WebSocket | null = null;
  private stopped = true;
  private attempt = 0;
  private retryTimer: number | undefined;
  private pingTimer: number | undefined;
  private pongTimer: number | undefined;
  private ready = false;

  constructor(private readonly handlers: SocketHandlers) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    window.clearTimeout(this.retryTimer);
    this.clearTimers();
    const ws = this.ws;
    this.ws = null;
    this.ready = false;
    if (ws) {
      ws.onclose = ws.onmessage = ws.onerror = ws.onopen = null;
      try {
        ws.close(1000);
      } catch {
        /* already closed */
      }
    }
    this.handlers.onState('closed');
  }

  get isReady(): boolean {
    return this.ready && !!this.ws && this.ws.readyState === WebSocket.OPEN;
  }

  /** Sends a frame if the socket is ready; returns false otherwise (caller falls back or waits). */
  send(frame: Record<string, unknown>): boolean {
    if (!this.isReady) return false;
    try {
      this.ws!.send(JSON.stringify(frame));
      return true;
    } catch {
      return false;
    }
  }

  /** Drops the current connection and reconnects right away (e.g. when the network comes back). */
  kick(): void {
    if (this.stopped) return;
    if (this.ws && this.ws.readyState === WebSocket.OPEN) return;
    window.clearTimeout(this.retryTimer);
    this.attempt = 0;
    if (!this.ws) this.connect();
  }

  private connect(): void {
    if (this.stopped) return;
    this.handlers.onState('connecting');
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
    let ws: WebSocket;
    try {
      ws = new WebSocket(url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    this.ready = false;
    ws.onmessage = (ev) => {
      let frame: ServerFrame;
      try {
        frame = JSON.parse(typeof ev.data === 'string' ? ev.data : '');
      } catch {
        return;
      }
      if (!frame || typeof frame !== 'object' || typeof (frame as any).type !== 'string') return;
      if (frame.type === 'pong') {
        window.clearTimeout(this.pongTimer);
        return;
      }
      if (frame.type === 'hello') {
        this.ready = true;
        this.attempt = 0;
        this.handlers.onState('open');
        this.startPing();
        this.handlers.onReady();
        return;
      }
      this.handlers.onFrame(frame);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.ready = false;
      this.clearTimers();
      this.scheduleReconnect();
    };
    ws.onerror = () => {
      /* onclose follows */
    };
  }

  /** No pong: the connection is dead even if the browser has not noticed yet. */
  private drop(): void {
    const ws = this.ws;
    if (!ws) return;
    ws.onclose = ws.onmessage = ws.onerror = ws.onopen = null;
    try {
      ws.close();
    } catch {
      /* ignore */
    }
    this.ws = null;
    this.ready = false;
    this.clearTimers();
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    this.handlers.onState('connecting');
    this.attempt++;
    if (this.attempt === 3 || (this.attempt > 3 && this.attempt % 5 === 0)) this.handlers.onRepeatedFailure();
    // Exponential backoff with jitter: 0.5 s, 1 s, 2 s, ... capped at 15 s.
    const base = Math.min(15_000, 500 * 2 ** Math.min(this.attempt - 1, 5));
    const delay = base / 2 + Math.random() * (base / 2);
    window.clearTimeout(this.retryTimer);
    this.retryTimer = window.setTimeout(() => this.connect(), delay);
  }

  private startPing(): void {
    this.clearTimers();
    this.pingTimer = window.setInterval(() => {
      if (!this.send({ type: 'ping' })) return;
      window.clearTimeout(this.pongTimer);
      this.pongTimer = window.setTimeout(() => this.drop(), PONG_TIMEOUT_MS);
    }, PING_EVERY_MS);
  }

  private clearTimers(): void {
    window.clearInterval(this.pingTimer);
    window.clearTimeout(this.pongTimer);
  }
}
