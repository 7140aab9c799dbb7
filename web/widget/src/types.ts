// Visitor-side wire types (docs/api.md); conversations and events are shared with the Inbox.
export type { CalendarCardBody, ChatEvent, Conversation, ConversationStatus, Meeting, MeetingEventBody, MeetingStatus, Slot, SlotList } from '../../shared/protocol';

export interface PreChatForm {
  name: string;
  email: string;
  job_title?: string;
  phone?: string;
  company?: string;
  page_url?: string;
  /** "How can we help?", or the offline form's message: the visitor's first message. */
  question?: string;
}
