// A reconnecting WebSocket, shared by the Inbox and the widget. It knows nothing about
// conversations: after every (re)connect the owner re-subscribes in `onReady` (the server's hello).
// Backoff 0.5 s doubling to 15 s with jitter; a ping every 25 s, and a socket without pong for
// 10 s is dropped. Plain TS, no framework: the widget bundles this too.

export type SocketState = 'connecting' | 'open' | 'closed';

/** Any server frame: a JSON object with a string `type`. */
export interface Frame {
  type: string;
}

export interface SocketHooks<F extends Frame> {
  /**
   * The frame to send first on every connection (e.g. the visitor's auth), read when connecting;
   * null: do not connect now (and do not retry). Without this hook nothing is sent first.
   */
  firstFrame?(): Record<string, unknown> | null;
  /** The server said hello: (re)subscribe and flush pending sends now. */
  onReady(): void;
  /** Every frame other than hello and pong. */
  onFrame(frame: F): void;
  onState?(state: SocketState): void;
  /** Several consecutive failures: the owner may want to check its credentials. */
  onRepeatedFailure?(): void;
}

const PING_EVERY_MS = 25_000;
const PONG_TIMEOUT_MS = 10_000;

// Private state uses #names, which the minifier shortens (it keeps `private` property names).
export class ReconnectingSocket<F extends Frame = Frame> {
  readonly #url: string;
  readonly #hooks: SocketHooks<F>;
  #ws: WebSocket | null = null;
  #stopped = true;
  #ready = false;
  #attempt = 0;
  #retryTimer: number | undefined;
  #pingTimer: number | undefined;
  #pongTimer: number | undefined;

  constructor(url: string, hooks: SocketHooks<F>) {
    this.#url = url;
    this.#hooks = hooks;
  }

  get isReady(): boolean {
    return this.#ready && !!this.#ws && this.#ws.readyState === WebSocket.OPEN;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#attempt = 0;
    this.#connect();
  }

  stop(): void {
    this.#stopped = true;
    window.clearTimeout(this.#retryTimer);
    this.#teardown(1000);
    this.#hooks.onState?.('closed');
  }

  /** Sends a frame if the socket is ready; returns false otherwise (caller falls back or waits). */
  send(frame: Record<string, unknown>): boolean {
    if (!this.isReady) return false;
    try {
      this.#ws!.send(JSON.stringify(frame));
      return true;
    } catch {
      return false;
    }
  }

  /** Reconnects right away instead of waiting for the backoff (e.g. when the network comes back). */
  kick(): void {
    if (this.#stopped) return;
    if (this.#ws && this.#ws.readyState === WebSocket.OPEN) return;
    window.clearTimeout(this.#retryTimer);
    this.#attempt = 0;
    if (!this.#ws) this.#connect();
  }

  #connect(): void {
    if (this.#stopped) return;
    const first = this.#hooks.firstFrame ? this.#hooks.firstFrame() : undefined;
    if (first === null) return;
    this.#hooks.onState?.('connecting');
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.#url);
    } catch {
      this.#scheduleReconnect();
      return;
    }
    this.#ws = ws;
    this.#ready = false;
    if (first) ws.onopen = () => ws.send(JSON.stringify(first));
    ws.onmessage = (ev) => {
      let frame: F;
      try {
        frame = JSON.parse(typeof ev.data === 'string' ? ev.data : '');
      } catch {
        return;
      }
      if (!frame || typeof frame !== 'object' || typeof frame.type !== 'string') return;
      if (frame.type === 'pong') {
        window.clearTimeout(this.#pongTimer);
        return;
      }
      if (frame.type === 'hello') {
        this.#ready = true;
        this.#attempt = 0;
        this.#hooks.onState?.('open');
        this.#startPing();
        this.#hooks.onReady();
        return;
      }
      this.#hooks.onFrame(frame);
    };
    const closed = () => {
      if (this.#ws !== ws) return;
      this.#teardown();
      this.#scheduleReconnect();
    };
    ws.onclose = closed;
    // Usually onclose follows an error. A connection the page's Content-Security-Policy blocks
    // (connect-src) is CLOSED at once and Chromium fires only `error`, never `close`: without
    // this the socket would wait for it forever and never retry.
    ws.onerror = () => {
      if (ws.readyState === WebSocket.CLOSED) closed();
    };
  }

  /** Forgets the current connection (closing it if still open) and its ping timers. */
  #teardown(code?: number): void {
    window.clearInterval(this.#pingTimer);
    window.clearTimeout(this.#pongTimer);
    const ws = this.#ws;
    this.#ws = null;
    this.#ready = false;
    if (!ws) return;
    ws.onopen = ws.onclose = ws.onmessage = ws.onerror = null;
    try {
      ws.close(code);
    } catch {
      /* already closed */
    }
  }

  #scheduleReconnect(): void {
    if (this.#stopped) return;
    this.#hooks.onState?.('connecting');
    this.#attempt++;
    if (this.#attempt === 3 || (this.#attempt > 3 && this.#attempt % 5 === 0)) this.#hooks.onRepeatedFailure?.();
    // Exponential backoff with jitter: 0.5 s, 1 s, 2 s, ... capped at 15 s, so a restart is not stampeded.
    const base = Math.min(15_000, 500 * 2 ** Math.min(this.#attempt - 1, 5));
    window.clearTimeout(this.#retryTimer);
    this.#retryTimer = window.setTimeout(() => this.#connect(), base / 2 + Math.random() * (base / 2));
  }

  #startPing(): void {
    window.clearInterval(this.#pingTimer);
    window.clearTimeout(this.#pongTimer);
    this.#pingTimer = window.setInterval(() => {
      if (!this.send({ type: 'ping' })) return;
      window.clearTimeout(this.#pongTimer);
      // No pong: the connection is dead even if the browser has not noticed yet.
      this.#pongTimer = window.setTimeout(() => {
        this.#teardown();
        this.#scheduleReconnect();
      }, PONG_TIMEOUT_MS);
    }, PING_EVERY_MS);
  }
}
