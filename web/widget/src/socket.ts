// Visitor WebSocket: authenticates with the token in the first frame, reconnects with
// backoff, and tells the owner when it is ready so it can (re)subscribe.

export interface VisitorSocketHandlers {
  token(): string | null;
  onReady(): void;
  onFrame(frame: any): void;
  onUnauthorized(): void;
}

export class VisitorSocket {
  private ws: WebSocket | null = null;
  private wanted = false;
  private ready = false;
  private attempt = 0;
  private retry: number | undefined;
  private ping: number | undefined;
  private pong: number | undefined;

  constructor(
    private readonly url: string,
    private readonly h: VisitorSocketHandlers,
  ) {}

  get isReady(): boolean {
    return this.ready && !!this.ws && this.ws.readyState === WebSocket.OPEN;
  }

  start(): void {
    if (this.wanted) return;
    this.wanted = true;
    this.attempt = 0;
    this.connect();
  }

  stop(): void {
    this.wanted = false;
    window.clearTimeout(this.retry);
    this.teardown();
  }

  send(frame: Record<string, unknown>): boolean {
    if (!this.isReady) return false;
    try {
      this.ws!.send(JSON.stringify(frame));
      return true;
    } catch {
      return false;
    }
  }

  private connect(): void {
    if (!this.wanted) return;
    const token = this.h.token();
    if (!token) return;
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    this.ready = false;
    ws.onopen = () => {
      ws.send(JSON.stringify({ type: 'auth', visitor_token: token }));
    };
    ws.onmessage = (ev) => {
      let f: any;
      try {
        f = JSON.parse(String(ev.data));
      } catch {
        return;
      }
      if (!f || typeof f.type !== 'string') return;
      if (f.type === 'pong') {
        window.clearTimeout(this.pong);
        return;
      }
      if (f.type === 'hello') {
        this.ready = true;
        this.attempt = 0;
        this.startPing();
        this.h.onReady();
        return;
      }
      if (f.type === 'error' && f.code === 'unauthorized' && !this.ready) {
        // The token is not (or no longer) valid; the owner decides what to do.
        this.stop();
        this.h.onUnauthorized();
        return;
      }
      this.h.onFrame(f);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.teardown();
      this.scheduleReconnect();
    };
  }

  private teardown(): void {
    window.clearInterval(this.ping);
    window.clearTimeout(this.pong);
    const ws = this.ws;
    this.ws = null;
    this.ready = false;
    if (ws) {
      ws.onopen = ws.onclose = ws.onmessage = ws.onerror = null;
      try {
        ws.close();
      } catch {
        /* ignore */
      }
    }
  }

  private scheduleReconnect(): void {
    if (!this.wanted) return;
    this.attempt++;
    // 0.5 s, 1 s, 2 s, 4 s ... capped at 15 s, with jitter so a server restart is not stampeded.
    const base = Math.min(15_000, 500 * 2 ** Math.min(this.attempt - 1, 5));
    window.clearTimeout(this.retry);
    this.retry = window.setTimeout(() => this.connect(), base / 2 + Math.random() * (base / 2));
  }

  private startPing(): void {
    window.clearInterval(this.ping);
    this.ping = window.setInterval(() => {
      if (!this.send({ type: 'ping' })) return;
      window.clearTimeout(this.pong);
      this.pong = window.setTimeout(() => {
        this.teardown();
        this.scheduleReconnect();
      }, 10_000);
    }, 25_000);
  }
}
