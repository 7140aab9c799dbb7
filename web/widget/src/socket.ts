// Visitor WebSocket: authenticates with the token in the first frame, reconnects with backoff
// (web/shared/reconnecting-socket.ts, shared with the Inbox), and tells the owner when it is
// ready so it can (re)subscribe.
import { ReconnectingSocket } from '../../shared/reconnecting-socket';

export interface VisitorSocketHandlers {
  token(): string | null;
  onReady(): void;
  onFrame(frame: any): void;
  onUnauthorized(): void;
}

export class VisitorSocket extends ReconnectingSocket<any> {
  constructor(url: string, h: VisitorSocketHandlers) {
    super(url, {
      firstFrame: () => {
        const token = h.token();
        return token ? { type: 'auth', visitor_token: token } : null;
      },
      onReady: () => h.onReady(),
      onFrame: (f) => {
        if (f.type === 'error' && f.code === 'unauthorized' && !this.isReady) {
          // The token is not (or no longer) valid; the owner decides what to do.
          this.stop();
          h.onUnauthorized();
          return;
        }
        h.onFrame(f);
      },
    });
  }
}
