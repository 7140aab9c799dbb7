// Reconnecting WebSocket to /ws. Same origin, so the session cookie authenticates the upgrade.
// The socket knows nothing about conversations: the store re-subscribes on every `onReady`.
// Backoff, ping/pong and reconnects live in web/shared/reconnecting-socket.ts (shared with the widget).
import { ReconnectingSocket, type SocketHooks, type SocketState } from '../../shared/reconnecting-socket';
import type { ServerFrame } from './types';

export type { SocketState };

export type SocketHandlers = Required<Pick<SocketHooks<ServerFrame>, 'onFrame' | 'onReady' | 'onState' | 'onRepeatedFailure'>>;

export class InboxSocket extends ReconnectingSocket<ServerFrame> {
  constructor(handlers: SocketHandlers) {
    super(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`, handlers);
  }
}
