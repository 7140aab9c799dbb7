// Visitor REST client. Cross-origin friendly: a bearer token, no cookies.
import { ApiError, fetchJson } from '../../shared/http';
import { pageQuery, type EventsPage, type PageQuery } from '../../shared/protocol';
import type { ChatEvent, Conversation, Meeting, PreChatForm, SlotList } from './types';
import { localZone } from '../../shared/slots';
import { widgetLanguage } from './i18n';

export { ApiError };

const TOKEN_KEY = 'parley.visitor_token';

/** localStorage can be unavailable (privacy modes, sandboxed frames): fall back to memory. */
const memory = new Map<string, string>();
export const storage = {
  get(key: string): string | null {
    try {
      return window.localStorage.getItem(key);
    } catch {
      return memory.get(key) ?? null;
    }
  },
  set(key: string, value: string): void {
    try {
      window.localStorage.setItem(key, value);
    } catch {
      memory.set(key, value);
    }
  },
  remove(key: string): void {
    try {
      window.localStorage.removeItem(key);
    } catch {
      memory.delete(key);
    }
  },
};

export interface CurrentChat {
  conversation: Conversation;
  events: ChatEvent[];
  has_more: boolean;
  read: { agent_seq: number; visitor_seq: number };
}

/** What the widget reports about the visitor (POST /visitor/activities). */
export interface VisitorActivity {
  type: 'page_visit' | 'link_clicked';
  url: string;
  title?: string;
}

export class VisitorApi {
  /** The session being created, so that concurrent callers (page view, pre-chat form) share one. */
  private creating: Promise<string> | null = null;

  constructor(readonly origin: string) {}

  get token(): string | null {
    return storage.get(TOKEN_KEY);
  }

  forgetToken(): void {
    storage.remove(TOKEN_KEY);
  }

  private async request<T>(method: string, path: string, body?: unknown, auth = true): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (auth) {
      const t = this.token;
      if (!t) throw new ApiError(401, 'unauthorized', 'No visitor session');
      headers.Authorization = `Bearer ${t}`;
    }
    return fetchJson<T>(
      `${this.origin}/api/v1${path}`,
      { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'omit', mode: 'cors' },
      { network: 'We could not reach the chat service. Please check your connection.', failed: () => 'Something went wrong. Please try again.' },
    );
  }

  /** Creates the visitor session once; the token lives in localStorage from then on. */
  async ensureToken(): Promise<string> {
    const have = this.token;
    if (have) return have;
    if (!this.creating) {
      this.creating = this.request<{ visitor_token: string; visitor_id: number }>('POST', '/visitor/session', {}, false).then(
        ({ visitor_token }) => {
          storage.set(TOKEN_KEY, visitor_token);
          this.creating = null;
          return visitor_token;
        },
        (e) => {
          this.creating = null;
          throw e;
        },
      );
    }
    return this.creating;
  }

  /** Whether anyone could take a chat now (no token needed): the widget asks before it shows a form. */
  status() {
    return this.request<{ agents_available: boolean }>('GET', '/visitor/status', undefined, false);
  }

  startChat(form: PreChatForm) {
    return this.request<{ conversation: Conversation }>('POST', '/visitor/chats', form);
  }

  /**
   * The newest conversation with its newest `limit` events (oldest first; `has_more`: older exist).
   * `read`: the newest seq each side has seen (drives "Seen" after a reload).
   */
  current(limit: number) {
    return this.request<CurrentChat>('GET', `/visitor/chats/current?limit=${limit}`);
  }

  /** One page of the history: the newest (no after_seq / before_seq), newer than or older than a seq. */
  events(id: number, page: PageQuery) {
    return this.request<EventsPage>('GET', `/visitor/chats/${id}/events${pageQuery(page)}`);
  }

  send(id: number, client_id: string, body: string) {
    return this.request<{ event: ChatEvent }>('POST', `/visitor/chats/${id}/messages`, { client_id, body });
  }

  end(id: number) {
    return this.request<{ conversation: Conversation }>('POST', `/visitor/chats/${id}/end`);
  }

  /** HTTP alternative to the WebSocket `read` frame: the visitor has seen everything up to `seq`. */
  markRead(id: number, seq: number) {
    return this.request<void>('POST', `/visitor/chats/${id}/read`, { seq });
  }

  /** A page view or a click on a link in the chat, for the visitor's activity history. */
  activity(a: VisitorActivity) {
    return this.request<unknown>('POST', '/visitor/activities', a);
  }

  /**
   * An agent's free meeting slots (404 when that agent has no bookable calendar), only those
   * inside the visitor's reasonable hours in their own zone (the server's admin setting).
   */
  slots(agentId: number) {
    const tz = localZone();
    const q = tz ? `?tz=${encodeURIComponent(tz)}` : '';
    return this.request<SlotList>('GET', `/visitor/calendars/${agentId}/slots${q}`);
  }

  /** Books a slot; 409 (`data.slots`: the fresh ones) when it was just taken. */
  book(agent_id: number, start: number, email: string, conversation_id: number | null) {
    const body: Record<string, unknown> = { agent_id, start, email };
    if (conversation_id != null) body.conversation_id = conversation_id;
    return this.request<{ meeting: Meeting; manage_token: string }>('POST', '/visitor/meetings', body);
  }

  /** The meeting's invitation (.ics) as a Blob; only for the visitor who booked it. */
  async invite(meetingId: number): Promise<Blob> {
    const t = this.token;
    if (!t) throw new ApiError(401, 'unauthorized', 'No visitor session');
    let res: Response;
    try {
      res = await fetch(`${this.origin}/api/v1/visitor/meetings/${meetingId}/invite.ics?lang=${widgetLanguage()}`, {
        headers: { Authorization: `Bearer ${t}`, Accept: 'text/calendar' },
        credentials: 'omit',
        mode: 'cors',
      });
    } catch {
      throw new ApiError(0, 'network', 'We could not reach the chat service. Please check your connection.');
    }
    if (!res.ok) throw new ApiError(res.status, 'http_' + res.status, 'The invitation could not be downloaded.');
    return res.blob();
  }
}
