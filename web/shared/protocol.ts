// Wire types of the Parley API v1 that both front ends use: the Agent Inbox and the visitor widget.
// The objects are generated from the API contract, docs/openapi.json (`npm run types` writes
// shared/generated/api.ts, not in git; `npm run build` and `npm run typecheck` run it first), so a
// field the server adds, drops or renames shows up here as a type error. Times are ms since the
// epoch. Types, plus one tiny helper (pageQuery), so importing this costs the widget bundle next
// to nothing.
import type { components } from './generated/api';

/** The objects of the contract by their schema name: `Schema<'Agent'>`. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];

export type Conversation = Schema<'Conversation'>;
export type ConversationStatus = Conversation['status'];
export type EndReason = NonNullable<Conversation['end_reason']>;
/** One entry of a conversation's history; `seq` orders it within the conversation. */
export type ChatEvent = Schema<'Event'>;
export type Sender = ChatEvent['sender'];
export type EventKind = ChatEvent['kind'];

// ---- meeting calendars (issue 6) -------------------------------------------------------------

export type Meeting = Schema<'Meeting'>;
export type MeetingStatus = Meeting['status'];
/** A bookable time of an agent's meeting calendar, [start, end) in ms. */
export type Slot = Schema<'Slot'>;
/** GET /calendars/{agent_id}/slots (agents) and /visitor/calendars/{agent_id}/slots. */
export type SlotList = Schema<'Slots'>;

// The bodies of calendar.card and meeting.* events are JSON text inside Event.body (docs/api.md,
// "Conversation events"), not objects of the contract: written here by hand.
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
export type EventsPage = Schema<'EventsPage'>;

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
export type SubscribedFrame = Schema<'WsServerSubscribed'>;
