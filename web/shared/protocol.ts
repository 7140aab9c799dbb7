// Wire types of the Parley API v1 (docs/api.md) that both front ends use: the Agent Inbox and the
// visitor widget. Times are ms since the epoch. Types, plus one tiny helper (pageQuery), so
// importing this costs the widget bundle next to nothing.

export type ConversationStatus = 'pending' | 'active' | 'ended' | 'missed';
export type EndReason = 'agent' | 'visitor' | 'inactivity' | 'no_agent' | 'no_answer';
export type Sender = 'visitor' | 'agent' | 'system';
export type EventKind =
  | 'text'
  | 'chat.requested'
  | 'chat.accepted'
  | 'chat.ended'
  | 'chat.missed'
  | 'calendar.card'
  | 'meeting.booked'
  | 'meeting.rescheduled'
  | 'meeting.cancelled';

export interface Conversation {
  id: number;
  visitor_id: number;
  agent_id: number | null;
  agent_name: string | null;
  status: ConversationStatus;
  last_seq: number;
  page_url: string | null;
  created_at: number;
  last_activity_at: number;
  accepted_at: number | null;
  ended_at: number | null;
  end_reason: EndReason | null;
  visitor_name: string;
  /** When the current offer lapses (pending requests; issue 4). */
  offer_expires_at?: number | null;
}

/** One entry of a conversation's history; `seq` orders it within the conversation. */
export interface ChatEvent {
  id: number;
  conversation_id: number;
  seq: number;
  sender: Sender;
  agent_id: number | null;
  kind: EventKind | string;
  body: string;
  client_id: string | null;
  created_at: number;
}

// ---- meeting calendars (issue 6) -------------------------------------------------------------

export type MeetingStatus = 'scheduled' | 'rescheduled' | 'cancelled';

/** A bookable time of an agent's meeting calendar, [start, end) in ms. */
export interface Slot {
  start: number;
  end: number;
}

/** GET /calendars/{agent_id}/slots (agents) and /visitor/calendars/{agent_id}/slots. */
export interface SlotList {
  agent_id: number;
  agent_name: string;
  /** The calendar's IANA zone. */
  time_zone: string;
  duration_minutes: number;
  slots: Slot[];
}

export interface Meeting {
  id: number;
  agent_id: number;
  agent_name: string;
  booker_email: string;
  start: number;
  end: number;
  status: MeetingStatus;
  passed: boolean;
  conversation_id: number | null;
  /** The calendar's IANA zone. */
  time_zone: string;
}

/** Body of a `calendar.card` event (a JSON string on the wire). */
export interface CalendarCardBody {
  agent_id: number;
  agent_name: string;
}

/** Body of a `meeting.booked|rescheduled|cancelled` event (a JSON string on the wire). */
export interface MeetingEventBody {
  meeting_id: number;
  agent_id: number;
  agent_name: string;
  start: number;
  end: number;
  booker_email: string;
  status: MeetingStatus;
  /** Not in the contract; used when a server sends it. */
  time_zone?: string;
}

// ---- history pages and replay (issue 11) -------------------------------------------------------

/**
 * GET /conversations/{id}/events and /visitor/chats/{id}/events: `after_seq` (newer, `has_more`:
 * newer exist), `before_seq` (older, `has_more`: older exist) or neither (the newest page,
 * `has_more`: older exist); events oldest first either way.
 */
export interface EventsPage {
  events: ChatEvent[];
  has_more: boolean;
  /** The conversation's newest seq when the page was read. */
  head_seq: number;
}

/** Which page of a conversation's history to read (at most one of after_seq / before_seq). */
export interface PageQuery {
  after_seq?: number;
  before_seq?: number;
  limit?: number;
}

/** The query string of a PageQuery ('' for the newest page with the server's default limit). */
export function pageQuery(q: PageQuery): string {
  const parts: string[] = [];
  if (q.after_seq != null) parts.push(`after_seq=${q.after_seq}`);
  if (q.before_seq != null) parts.push(`before_seq=${q.before_seq}`);
  if (q.limit != null) parts.push(`limit=${q.limit}`);
  return parts.length ? '?' + parts.join('&') : '';
}

/**
 * The answer to `subscribe`: the events with seq > after_seq follow in order, so the replay is
 * complete once the client holds head_seq.
 */
export interface SubscribedFrame {
  type: 'subscribed';
  conversation_id: number;
  after_seq: number;
  head_seq: number;
}
