// Thin REST client for /api/v1. The agent is authenticated by the HttpOnly session cookie.
import { ApiError, fetchJson } from '../../shared/http';
import { pageQuery } from '../../shared/protocol';
import type { AdminSettings, Agent, ApiToken, AgentSettings, MemberPatch, NewMember, PasswordLink, PersonFields, Calendar, CalendarRef, ChatEvent, Conversation, ConversationDetail, EventsPage, Meeting, PageQuery, Routing, SlotList, Summary, WebhookDelivery, WebhookEndpoint } from './types';
import { language } from './i18n';

export { ApiError };

/** The admin's SMTP setting as the server shows it (GET /admin/email). */
export interface EmailSettings {
  host: string;
  port: number;
  security: 'none' | 'starttls' | 'tls';
  user: string;
  password_set: boolean;
  from_address: string;
  from_name: string;
  configured: boolean;
}

let onUnauthorized: (() => void) | null = null;
/** Called when any request (other than login) answers 401: the session is gone. */
export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn;
}

/** A body sent as is (not JSON-encoded), e.g. CSV text. */
class RawBody {
  constructor(
    readonly text: string,
    readonly type: string,
  ) {}
}

async function request<T>(method: string, path: string, body?: unknown, timeoutMs?: number): Promise<T> {
  const raw = body instanceof RawBody ? body : null;
  try {
    return await fetchJson<T>(
      `/api/v1${path}`,
      {
        method,
        credentials: 'same-origin',
        headers: body === undefined ? { Accept: 'application/json' } : { 'Content-Type': raw ? raw.type : 'application/json', Accept: 'application/json' },
        body: body === undefined ? undefined : raw ? raw.text : JSON.stringify(body),
      },
      { network: 'Cannot reach the server. Check your connection.', failed: (res) => res.statusText || 'Request failed' },
      timeoutMs,
    );
  } catch (e) {
    if (e instanceof ApiError && e.status === 401 && path !== '/auth/login' && onUnauthorized) onUnauthorized();
    throw e;
  }
}

export const api = {
  login: (email: string, password: string) => request<{ agent: Agent }>('POST', '/auth/login', { email, password }),
  logout: () => request<void>('POST', '/auth/logout'),
  me: (timeoutMs?: number) => request<{ agent: Agent }>('GET', '/me', undefined, timeoutMs),
  setAvailability: (available: boolean) => request<{ agent: Agent }>('PUT', '/me/availability', { available }),
  settings: () => request<{ settings: AgentSettings }>('GET', '/me/settings'),
  saveSettings: (settings: Partial<AgentSettings>) => request<{ settings: AgentSettings; agent: Agent }>('PUT', '/me/settings', settings),
  agents: () => request<{ agents: Agent[] }>('GET', '/agents'),
  adminSettings: () => request<{ settings: AdminSettings }>('GET', '/admin/settings'),
  saveAdminSettings: (settings: Partial<AdminSettings>) => request<{ settings: AdminSettings }>('PUT', '/admin/settings', settings),
  routing: () => request<{ routing: Routing }>('GET', '/admin/routing'),
  saveRouting: (routing: Routing) => request<{ routing: Routing }>('PUT', '/admin/routing', routing),
  importAccountsCsv: (csv: string) => request<{ imported: number }>('POST', '/admin/routing/accounts.csv', new RawBody(csv, 'text/csv; charset=utf-8')),
  /** One page of the list, newest activity first; `query` searches visitor name, email and message text. */
  conversations: (status: 'active' | 'all' | 'missed', before?: string | null, query?: string, limit = 30) => {
    const q = new URLSearchParams({ status, limit: String(limit) });
    if (before) q.set('before', before);
    if (query) q.set('q', query);
    return request<{ conversations: Summary[]; next: string | null; missed_count?: number }>('GET', `/conversations?${q}`);
  },
  conversation: (id: number) => request<ConversationDetail>('GET', `/conversations/${id}`),
  /** One page of the history: the newest (no after_seq / before_seq), newer than or older than a seq. */
  events: (id: number, page: PageQuery = {}) => request<EventsPage>('GET', `/conversations/${id}/events${pageQuery(page)}`),
  accept: (id: number) => request<{ conversation: Conversation }>('POST', `/conversations/${id}/accept`),
  /** Declines a request offered to me: routing offers it to the next agent at once. */
  passOn: (id: number) => request<void>('POST', `/conversations/${id}/pass-on`),
  /** The claimer emails a missed chat's visitor: the transcript, or a reply (docs/missed-chats.md). */
  followupEmail: (id: number, body: { kind: 'transcript' | 'reply'; body?: string; include_transcript?: boolean; lang?: string }) =>
    request<{ event: ChatEvent }>('POST', `/conversations/${id}/followup/email`, body),
  /** Whether a mail server is set up (any agent). */
  emailStatus: () => request<{ configured: boolean }>('GET', '/email'),
  /** Admins: the mail server of follow-up emails; the password never comes back. */
  emailSettings: () => request<{ email: EmailSettings }>('GET', '/admin/email'),
  saveEmailSettings: (body: Record<string, unknown>) => request<{ email: EmailSettings }>('PUT', '/admin/email', body),
  testEmail: () => request<void>('POST', '/admin/email/test'),
  /** A missed chat's follow-up: claim, release or done. */
  followup: (id: number, action: 'claim' | 'release' | 'done') =>
    request<{ conversation: Summary }>('POST', `/conversations/${id}/followup/${action}`),
  send: (id: number, client_id: string, body: string) =>
    request<{ event: ChatEvent }>('POST', `/conversations/${id}/messages`, { client_id, body }),
  end: (id: number) => request<{ conversation: Conversation }>('POST', `/conversations/${id}/end`),
  /** HTTP alternative to the WebSocket `read` frame. */
  markRead: (id: number, seq: number) => request<void>('POST', `/conversations/${id}/read`, { seq }),

  // ---- meeting calendars and meetings ----
  calendar: () => request<{ calendar: Calendar }>('GET', '/me/calendar'),
  /** Omitted fields are kept. */
  saveCalendar: (patch: Partial<Calendar>) => request<{ calendar: Calendar }>('PUT', '/me/calendar', patch),
  /** Replaces the imported busy times with those of an .ics file (400: the server's reason). */
  uploadBusy: (ics: string) => request<{ calendar: Calendar }>('PUT', '/me/calendar/busy', new RawBody(ics, 'text/calendar; charset=utf-8'), 30_000),
  /** Fetches the saved ics_url now. */
  refreshBusy: () => request<{ calendar: Calendar }>('POST', '/me/calendar/busy/refresh', undefined, 30_000),
  calendars: () => request<{ calendars: CalendarRef[] }>('GET', '/calendars'),
  slots: (agentId: number) => request<SlotList>('GET', `/calendars/${agentId}/slots`),
  /** Posts a calendar card into the agent's own active chat. */
  shareCalendar: (id: number, agent_id: number) => request<{ event: ChatEvent }>('POST', `/conversations/${id}/calendar-card`, { agent_id }),
  meetings: (scope: 'mine' | 'all') => request<{ meetings: Meeting[] }>('GET', `/meetings?scope=${scope}`),
  cancelMeeting: (id: number) => request<{ meeting: Meeting }>('POST', `/meetings/${id}/cancel`),
  /** 409: `data.slots` are the fresh free slots. */
  rescheduleMeeting: (id: number, start: number) => request<{ meeting: Meeting }>('POST', `/meetings/${id}/reschedule`, { start }),

  // ---- team management (admins), the agent's own profile, the visitor's person ----
  /** Without `password` the answer carries a one-time invitation link. */
  addAgent: (member: NewMember) => request<{ agent: Agent; invitation: PasswordLink | null }>('POST', '/admin/agents', member),
  editAgent: (id: number, patch: MemberPatch) => request<{ agent: Agent }>('PATCH', `/admin/agents/${id}`, patch),
  passwordLink: (id: number) => request<{ link: PasswordLink }>('POST', `/admin/agents/${id}/password-link`),
  deactivateAgent: (id: number) => request<{ agent: Agent }>('POST', `/admin/agents/${id}/deactivate`),
  reactivateAgent: (id: number) => request<{ agent: Agent }>('POST', `/admin/agents/${id}/reactivate`),
  saveProfile: (patch: { name?: string; initials?: string }) => request<{ agent: Agent }>('PATCH', '/me/profile', patch),
  /** 403 when the current password is wrong (the session stays). */
  changePassword: (current_password: string, new_password: string) => request<void>('PUT', '/me/password', { current_password, new_password }),
  /** Fields replace the stored ones; a blank one is cleared. */
  editPerson: (conversationId: number, person: PersonFields) => request<{ person: PersonFields & { id: number } }>('PUT', `/conversations/${conversationId}/person`, person),
  /** 400 with `data.rows` (every bad row) when any row is bad: then nothing was imported. */
  apiTokens: () => request<{ tokens: ApiToken[]; scopes: string[] }>('GET', '/admin/api-tokens'),
  createApiToken: (name: string, scopes: string[]) => request<{ token: ApiToken; secret: string }>('POST', '/admin/api-tokens', { name, scopes }),
  revokeApiToken: (id: number) => request<void>('DELETE', `/admin/api-tokens/${id}`),
  webhooks: () => request<{ endpoints: WebhookEndpoint[]; events: string[] }>('GET', '/admin/webhooks'),
  createWebhook: (url: string, events: string[]) => request<{ endpoint: WebhookEndpoint }>('POST', '/admin/webhooks', { url, events }),
  updateWebhook: (id: number, change: { url: string; events: string[]; active: boolean }) => request<{ endpoint: WebhookEndpoint }>('PUT', `/admin/webhooks/${id}`, change),
  deleteWebhook: (id: number) => request<void>('DELETE', `/admin/webhooks/${id}`),
  rotateWebhookSecret: (id: number) => request<{ endpoint: WebhookEndpoint }>('POST', `/admin/webhooks/${id}/rotate-secret`),
  webhookDeliveries: (id: number) => request<{ deliveries: WebhookDelivery[] }>('GET', `/admin/webhooks/${id}/deliveries`),
  redeliverWebhook: (id: number, deliveryId: number) => request<{ redelivering: boolean }>('POST', `/admin/webhooks/${id}/deliveries/${deliveryId}/redeliver`),
  importPeopleCsv: (csv: string) => request<{ imported: number; created: number; updated: number }>('POST', '/admin/people/import', new RawBody(csv, 'text/csv; charset=utf-8'), 30_000),
  /** The set-password page (no session): whose link it is, then the new password (signs in). */
  checkPasswordLink: (token: string) => request<{ agent: { name: string; email: string } }>('POST', '/auth/password-link/check', { token }),
  usePasswordLink: (token: string, password: string) => request<{ agent: Agent }>('POST', '/auth/password-link', { token, password }),
};

/** The meeting's invitation (.ics, Content-Disposition: attachment). */
// Both documents are written in the language the Inbox shows (?lang=).
export const inviteUrl = (meetingId: number) => `/api/v1/meetings/${meetingId}/invite.ics?lang=${language()}`;

/** The server's `.txt` transcript (Content-Disposition: attachment); 409 while the chat is live. */
export const transcriptUrl = (id: number) => `/api/v1/conversations/${id}/transcript?lang=${language()}`;
