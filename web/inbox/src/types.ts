// Wire types of the Parley API v1 (docs/api.md). Times are ms since the epoch.

export type Role = 'agent' | 'admin';
export type ConversationStatus = 'pending' | 'active' | 'ended' | 'missed';
export type EndReason = 'agent' | 'visitor' | 'inactivity' | 'no_agent';
export type Sender = 'visitor' | 'agent' | 'system';
export type EventKind = 'text' | 'chat.requested' | 'chat.accepted' | 'chat.ended' | 'chat.missed';

export interface Agent {
  id: number;
  name: string;
  email: string;
  role: Role;
  available: boolean;
  max_chats: number;
}

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
}

export interface Summary extends Conversation {
  last_text: string | null;
}

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

export interface Visitor {
  id: number;
  name: string | null;
  job_title: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
  crm_status: string | null;
}

export interface Activity {
  id: number;
  type: string;
  detail: string;
  conversation_id: number | null;
  at: number;
}

export interface ConversationDetail {
  conversation: Conversation;
  visitor: Visitor;
  activities: Activity[];
}

// Server -> client WebSocket frames.
export type ServerFrame =
  | { type: 'hello'; role: 'agent' | 'visitor'; id: number }
  | { type: 'event'; conversation_id: number; event: ChatEvent }
  | { type: 'conversation.updated'; conversation: Conversation }
  | { type: 'chat.requested'; conversation: Conversation; visitor: Visitor }
  | { type: 'agent.status'; agent: Agent }
  | { type: 'message.ack'; client_id: string; event: ChatEvent; duplicate: boolean }
  | { type: 'typing'; conversation_id: number; sender: 'agent' | 'visitor' }
  | { type: 'pong' }
  | { type: 'error'; code: string; message: string; ref?: string | number | null };
