// Display helpers. Everything returns plain strings, rendered through Preact's escaping.

/** `-` for anything unknown: null, undefined, empty or whitespace. */
export function orDash(v: string | null | undefined): string {
  if (v === null || v === undefined) return '-';
  const s = String(v).trim();
  return s ? s : '-';
}

export function relativeTime(ms: number, now = Date.now()): string {
  if (!ms) return '';
  const diff = Math.max(0, now - ms);
  if (diff < 45_000) return 'now';
  if (diff < 3_600_000) return `${Math.round(diff / 60_000)}m`;
  const d = new Date(ms);
  const today = new Date(now);
  if (diff < 86_400_000 && d.getDate() === today.getDate()) return `${Math.floor(diff / 3_600_000)}h`;
  const yesterday = new Date(now - 86_400_000);
  if (d.toDateString() === yesterday.toDateString()) return 'Yesterday';
  if (diff < 6 * 86_400_000) return d.toLocaleDateString(undefined, { weekday: 'short' });
  if (d.getFullYear() === today.getFullYear()) return d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
  return d.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

export function clockTime(ms: number): string {
  return new Date(ms).toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' });
}

/** Compact date and time: "Mar 4, 3:07 PM", with the year only when it is not this year. */
export function dateTime(ms: number, now = Date.now()): string {
  const d = new Date(ms);
  const sameYear = d.getFullYear() === new Date(now).getFullYear();
  return d.toLocaleString(undefined, { month: 'short', day: 'numeric', year: sameYear ? undefined : 'numeric', hour: 'numeric', minute: '2-digit' });
}

export function dayLabel(ms: number, now = Date.now()): string {
  const d = new Date(ms);
  if (d.toDateString() === new Date(now).toDateString()) return 'Today';
  if (d.toDateString() === new Date(now - 86_400_000).toDateString()) return 'Yesterday';
  return d.toLocaleDateString(undefined, { weekday: 'long', month: 'long', day: 'numeric' });
}

export function initials(name: string | null | undefined): string {
  const parts = (name ?? '').trim().split(/\s+/).filter(Boolean);
  if (!parts.length) return '?';
  const first = parts[0][0] ?? '';
  const last = parts.length > 1 ? parts[parts.length - 1][0] ?? '' : '';
  return (first + last).toUpperCase();
}

const ACTIVITY_LABELS: Record<string, string> = {
  page_visit: 'Page visit',
  form_filled: 'Form filled',
  chat_started: 'Chat started',
  chat_engaged: 'Chat engaged',
  chat_ended: 'Chat ended',
  chat: 'Chat',
  meeting_booked: 'Meeting booked',
  meeting_cancelled: 'Meeting cancelled',
  link_clicked: 'Link clicked',
};

export function activityLabel(type: string): string {
  if (ACTIVITY_LABELS[type]) return ACTIVITY_LABELS[type];
  const words = type.replace(/[_.-]+/g, ' ').trim();
  return words ? words[0].toUpperCase() + words.slice(1) : 'Activity';
}

const END_REASONS: Record<string, string> = {
  agent: 'Chat ended by the agent',
  visitor: 'Chat ended by the visitor',
  inactivity: 'Chat ended after 10 minutes of inactivity',
  no_agent: 'No agent was available',
};

/** Text for a system event (chat.requested / accepted / ended / missed). */
export function systemText(kind: string, body: string, fallbackReason?: string | null): string {
  const b = (body ?? '').trim();
  switch (kind) {
    case 'chat.requested':
      return b ? `${b} asked for an agent` : 'The visitor asked for an agent';
    case 'chat.accepted':
      return b ? `${b} joined the chat` : 'An agent joined the chat';
    case 'chat.ended':
      return END_REASONS[b] ?? END_REASONS[fallbackReason ?? ''] ?? (b ? `Chat ended: ${b}` : 'Chat ended');
    case 'chat.missed':
      return b ? `Missed — visitor was told: “${b}”` : 'Missed: no agent was available';
    default:
      return b || kind;
  }
}

export function statusLabel(status: string): string {
  switch (status) {
    case 'active':
      return 'Active';
    case 'pending':
      return 'Waiting';
    case 'ended':
      return 'Ended';
    case 'missed':
      return 'Missed';
    default:
      return status;
  }
}

/** Shows a page URL compactly: host + path, without the scheme. */
export function shortUrl(url: string | null | undefined): string {
  if (!url) return '';
  try {
    const u = new URL(url);
    return u.host + (u.pathname === '/' ? '' : u.pathname) + u.search;
  } catch {
    return url;
  }
}

export function safeHref(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}
