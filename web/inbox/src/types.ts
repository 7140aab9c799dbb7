// Wire types of the Parley API v1, generated from the API contract docs/openapi.json (see
// shared/protocol.ts). Conversations and events are shared with the widget; the rest is
// agent-only. What is written by hand here is not an object on the wire: form inputs and unions.
import type { Schema } from '../../shared/protocol';
import type { paths } from '../../shared/generated/api';

export type { ChatEvent, Conversation, ConversationStatus, EndReason, EventKind, EventsPage, PageQuery, Schema, Sender, SubscribedFrame } from '../../shared/protocol';
export type { CalendarCardBody, Meeting, MeetingEventBody, MeetingStatus, Slot, SlotList } from '../../shared/protocol';

/** Effective availability: the weekly schedule, or the toggle's override until it lapses. */
export type AgentStatus = Schema<'Status'>;
export type Agent = Schema<'Agent'>;
export type Role = Agent['role'];

/** Team management (issue 13): the add form (POST /admin/agents). */
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
/** GET /admin/api-tokens: a token for a server that calls the API (never its secret). */
export type ApiToken = Schema<'ApiToken'>;
/** A one-time set-password link; `path` is relative to the Inbox's origin. */
export type PasswordLink = Schema<'PasswordLink'>;
/** The visitor panel's edit form (PUT /conversations/{id}/person): a Person without its id. */
export type PersonFields = Omit<Schema<'Person'>, 'id'>;

export type ScheduleBlock = Schema<'Block'>;
export type AgentSettings = Schema<'AgentSettings'>;
/** The agent's meeting calendar (GET/PUT /me/calendar). */
export type Calendar = Schema<'Calendar'>;
/** GET /calendars: the caller's own first, then every other agent with a bookable calendar. */
export type CalendarRef = Schema<'CalendarEntry'>;

export type MeetingFrameType = Schema<'WsServerMeeting'>['type'];

export type AdminSettings = Schema<'AdminSettings'>;

/** Routing rules (GET/PUT /admin/routing). Teams are referenced by name. */
export type Routing = Schema<'Routing'>;
export type AccountRule = Routing['accounts'][number];
export type AccountKind = AccountRule['kind'];
export type CustomRule = Routing['custom'][number];
export type RuleCondition = CustomRule['conditions'][number];
export type RuleOp = RuleCondition['op'];
export type RuleAttribute = RuleCondition['attribute'];
export type RoutingTeam = Routing['teams'][number];

/** A row of the conversation list (GET /conversations): every answer carries the whole object. */
export type Summary = Schema<'Conversation'>;
export type FollowUp = Schema<'Followup'>;
export type Visitor = Schema<'Visitor'>;
/** One entry of the visitor's history (docs/api.md lists the types and what `data` holds). */
export type Activity = Schema<'Activity'>;
/** Read markers: the newest seq each side has seen. */
export type ReadState = Schema<'ReadMarks'>;
/** GET /conversations/{id}. */
export type ConversationDetail =
  paths['/api/v1/conversations/{id}']['get']['responses'][200]['content']['application/json'];

/** Server -> client WebSocket frames (x-websocket.server of the contract). */
export type ServerFrame =
  | Schema<'WsServerHello'>
  | Schema<'WsServerPong'>
  | Schema<'WsServerSubscribed'>
  | Schema<'WsServerEvent'>
  | Schema<'WsServerMessageAck'>
  | Schema<'WsServerConversationUpdated'>
  | Schema<'WsServerChatRequested'>
  | Schema<'WsServerAgentStatus'>
  | Schema<'WsServerOfferWithdrawn'>
  | Schema<'WsServerTyping'>
  | Schema<'WsServerRead'>
  | Schema<'WsServerVisitorPage'>
  | Schema<'WsServerMeeting'>
  | Schema<'WsServerError'>;

/** A webhook endpoint (docs/api.md, "Webhooks"); admins see its secret. */
export type WebhookEndpoint = Schema<'WebhookEndpoint'>;
export type WebhookAttempt = Schema<'WebhookAttempt'>;
export type WebhookDelivery = Schema<'WebhookDelivery'>;
