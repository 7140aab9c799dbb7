// Wire types of the Parley API v1 (docs/api.md). Times are ms since the epoch.
// Conversations and events are shared with the widget (web/shared/protocol.ts); the rest is agent-only.
import type { ChatEvent, Conversation, Meeting, SubscribedFrame } from '../../shared/protocol';

export type { ChatEvent, Conversation, ConversationStatus, EndReason, EventKind, EventsPage, PageQuery, Sender, SubscribedFrame } from '../../shared/protocol';
export type { CalendarCardBody, Meeting, MeetingEventBody, MeetingStatus, Slot, SlotList } from '../../shared/protocol';

export type Role = 'agent' | 'admin';

/** Effective availability: the weekly schedule, or the toggle's override until it lapses. */
export interface AgentStatus {
  available: boolean;
  source: 'schedule' | 'override';
  /** When it changes by itself (ms), or null when nothing is coming. */
  until: number | null;
}

export interface Agent {
  id: number;
  name: string;
  email: string;
  role: Role;
  available: boolean;
  max_chats: number;
  /** Issue 4: IANA zone of the agent's schedule (older servers omit it). */
  time_zone?: string;
  status?: AgentStatus;
  /** The agent's "notification sound" setting. */
  sound?: boolean;
  /** The agent's language setting: "sv", "en", or "" = the browser's (older servers omit it). */
  language?: string;
  /** false: a calendar-only user (can be booked for meetings, takes no chats). */
  takes_chats?: boolean;
  /** The avatar's letters (the agent's choice, else from the name). */
  initials?: string;
  /** false: deactivated by an admin (cannot sign in, is offered no chat). */
  active?: boolean;
}

/** Team management (issue 13). */
export interface NewMember {
  name: string;
  email: string;
  role: Role;
  takes_chats: boolean;
  max_chats: number;
  /** Omitted: the server answers with an invitation link instead. */
  password?: string;
}
export type MemberPatch = Partial<Pick<Agent, 'name' | 'role' | 'takes_chats' | 'max_chats' | 'initials'>>;
/** A one-time set-password link; `path` is relative to the Inbox's origin. */
/** GET /admin/api-tokens: a token for a server that calls the API (never its secret). */
export interface ApiToken {
  id: number;
  name: string;
  scopes: string[];
  prefix: string;
  created_by: number;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}
export interface PasswordLink {
  path: string;
  expires_at: number;
}
/** The visitor panel's edit form (PUT /conversations/{id}/person). */
export interface PersonFields {
  email: string;
  name: string | null;
  job_title: string | null;
  phone: string | null;
  company: string | null;
  crm_status: string | null;
}

export interface ScheduleBlock {
  /** 1 = Monday … 7 = Sunday */
  weekday: number;
  /** "HH:MM"; end may be "24:00"; end <= start runs past midnight. */
  start: string;
  end: string;
}

export interface AgentSettings {
  time_zone: string;
  schedule: ScheduleBlock[];
  max_chats: number;
  sound: boolean;
  /** "sv", "en", or "" = follow the browser (older servers omit it). */
  language?: string;
}

/** The agent's meeting calendar (GET/PUT /me/calendar). */
export interface Calendar {
  time_zone: string;
  /** Weekly bookable blocks, same format as the availability schedule. */
  blocks: ScheduleBlock[];
  duration_minutes: number;
  buffer_minutes: number;
  notice_minutes: number;
  horizon_days: number;
  ics_url: string | null;
  /** Imported busy periods, and when they were imported (ms). */
  busy_count: number;
  busy_updated_at: number | null;
  /** Has at least one block: visitors can book it. */
  bookable: boolean;
}

/** GET /calendars: the caller's own first, then every other agent with a bookable calendar. */
export interface CalendarRef {
  agent_id: number;
  agent_name: string;
  own: boolean;
  /** Not in the contract; honoured when a server sends it (own calendar without blocks). */
  bookable?: boolean;
}

export type MeetingFrameType = 'meeting.booked' | 'meeting.rescheduled' | 'meeting.cancelled';

export interface AdminSettings {
  accept_timeout_seconds: number;
  inactivity_timeout_seconds: number;
  max_offers: number;
  fallback_message: string;
  /** The visitor's reasonable hours for meeting slots, "HH:MM" in the visitor's zone. */
  visitor_day_start?: string;
  visitor_day_end?: string;
}

/** Routing rules (GET/PUT /admin/routing). Teams are referenced by name. */
export type AccountKind = 'domain' | 'company';
export type RuleAttribute = 'email' | 'domain' | 'name' | 'company' | 'job_title' | 'phone' | 'page_url';
export type RuleOp = 'equals' | 'contains' | 'starts_with' | 'ends_with';

export interface AccountRule {
  kind: AccountKind;
  value: string;
  agent_id: number;
}

export interface RuleCondition {
  attribute: RuleAttribute;
  op: RuleOp;
  value: string;
}

export interface CustomRule {
  /** Lowest first. */
  priority: number;
  /** Every condition must hold (case-insensitive). */
  conditions: RuleCondition[];
  /** Exactly one of agent_id / team. */
  agent_id: number | null;
  team: string | null;
}

export interface RoutingTeam {
  name: string;
  members: number[];
}

export interface Routing {
  accounts: AccountRule[];
  custom: CustomRule[];
  teams: RoutingTeam[];
  default_team: string | null;
}

/** A row of the conversation list (GET /conversations). */
export interface Summary extends Conversation {
  last_text: string | null;
  visitor_email?: string | null;
  /** Visitor text messages after this agent's read marker (0 unless the viewer is the assigned agent). */
  unread?: number;
  /** A missed chat's follow-up: who claimed it, when, and when it was done. */
  followup?: FollowUp | null;
}

export interface FollowUp {
  agent_id: number;
  agent_name: string;
  claimed_at: number;
  done_at: number | null;
}

export interface Visitor {
  id: number;
  name: string | null;
  job_title: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
  crm_status: string | null;
  /** The visitor's current page (their last page_visit), when known. */
  page_url?: string | null;
  page_title?: string | null;
}

/**
 * One entry of the visitor's history (last 90 days, cut by the server). Types: page_visit (detail =
 * page title, url), form_filled, chat_started, chat_ended (detail = snippet, conversation_id),
 * link_clicked (url), meeting_booked, meeting_cancelled, custom (detail = what the API caller wrote).
 */
export interface Activity {
  id: number;
  type: string;
  /** A sentence in English (or the page title, snippet, custom text…). */
  detail: string;
  /** form_filled and meeting_* entries: the facts behind `detail`, worded here (format.ts activityDetail). */
  data?: Record<string, unknown> | null;
  url?: string | null;
  conversation_id: number | null;
  at: number;
}

/** Read markers: the newest seq each side has seen. */
export interface ReadState {
  agent_seq: number;
  visitor_seq: number;
}

export interface ConversationDetail {
  conversation: Summary;
  visitor: Visitor;
  activities: Activity[];
  read?: ReadState;
}

// Server -> client WebSocket frames.
export type ServerFrame =
  | { type: 'hello'; role: 'agent' | 'visitor'; id: number }
  | { type: 'event'; conversation_id: number; event: ChatEvent }
  | SubscribedFrame
  | { type: 'conversation.updated'; conversation: Conversation }
  | { type: 'chat.requested'; conversation: Conversation; visitor: Visitor }
  | { type: 'agent.status'; agent: Agent }
  | { type: 'offer.withdrawn'; conversation_id: number; reason: 'timeout' | 'offline' | 'cancelled' | string }
  | { type: 'message.ack'; client_id: string; event: ChatEvent; duplicate: boolean }
  | { type: 'typing'; conversation_id: number; sender: 'agent' | 'visitor' }
  | { type: 'read'; conversation_id: number; reader: 'agent' | 'visitor'; seq: number }
  | { type: 'visitor.page'; conversation_id: number; url: string; title: string | null }
  | { type: MeetingFrameType; meeting: Meeting }
  | { type: 'pong' }
  | { type: 'error'; code: string; message: string; ref?: string | number | null; retry_after_ms?: number; conversation_id?: number };
/** A webhook endpoint (docs/api.md, "Webhooks"); admins see its secret. */
export interface WebhookEndpoint {
  id: number;
  url: string;
  events: string[];
  secret: string;
  active: boolean;
  created_at: number;
}
export interface WebhookAttempt {
  attempt: number;
  at: number;
  http_status: number | null;
  error: string;
  snippet: string;
}
export interface WebhookDelivery {
  id: number;
  event_id: string;
  type: string;
  conversation_id: number | null;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  created_at: number;
  next_attempt_at: number | null;
  log: WebhookAttempt[];
}
