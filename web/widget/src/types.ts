// Visitor-side wire types (docs/api.md).
export type ConversationStatus = 'pending' | 'active' | 'ended' | 'missed';

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
  end_reason: string | null;
  visitor_name: string;
}

export interface ChatEvent {
  id: number;
  conversation_id: number;
  seq: number;
  sender: 'visitor' | 'agent' | 'system';
  agent_id: number | null;
  kind: string;
  body: string;
  client_id: string | null;
  created_at: number;
}

export interface PreChatForm {
  name: string;
  email: string;
  job_title?: string;
  phone?: string;
  company?: string;
  page_url?: string;
}
