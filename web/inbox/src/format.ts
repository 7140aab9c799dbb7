// Display helpers. Everything returns plain strings, rendered through Preact's escaping.
import type { Agent, AgentStatus, ChatEvent } from './types';
import { parseCardBody } from '../../shared/slots';

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
  if (diff < 6 * 86_400_000) return formatter(undefined, { weekday: 'short' }).format(d);
  if (d.getFullYear() === today.getFullYear()) return formatter(undefined, { month: 'short', day: 'numeric' }).format(d);
  return formatter(undefined, { year: 'numeric', month: 'short', day: 'numeric' }).format(d);
}

// Formatters are made once per locale, options and zone: building one costs about a
// millisecond (toLocale*String with options builds one on every call), and a chat renders
// two times per message on every update — a 500-message chat took ~1.7 s per incoming frame.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string | undefined, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${JSON.stringify(opts)}`;
  let fmt = formatters.get(key);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat(locale, opts);
    formatters.set(key, fmt);
  }
  return fmt;
}

const zoneValid = new Map<string, boolean>();

// Chat times are shown in the agent's time zone (like the activity history), so one screen
// never mixes two clocks; without a zone, the browser's.
function validZone(timeZone?: string | null): string | undefined {
  if (!timeZone) return undefined;
  let ok = zoneValid.get(timeZone);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat(undefined, { timeZone });
      ok = true;
    } catch {
      ok = false;
    }
    zoneValid.set(timeZone, ok);
  }
  return ok ? timeZone : undefined;
}

export function clockTime(ms: number, timeZone?: string | null): string {
  return formatter(undefined, { hour: 'numeric', minute: '2-digit', timeZone: validZone(timeZone) }).format(ms);
}

export function dayLabel(ms: number, timeZone?: string | null, now = Date.now()): string {
  const zone = validZone(timeZone);
  const dayKey = formatter('en-CA', { timeZone: zone });
  const key = (t: number) => dayKey.format(t);
  if (key(ms) === key(now)) return 'Today';
  if (key(ms) === key(now - 86_400_000)) return 'Yesterday';
  return formatter(undefined, { weekday: 'long', month: 'long', day: 'numeric', timeZone: zone }).format(ms);
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
  custom: 'Custom activity',
};

export function activityLabel(type: string): string {
  if (ACTIVITY_LABELS[type]) return ACTIVITY_LABELS[type];
  const words = type.replace(/[_.-]+/g, ' ').trim();
  return words ? words[0].toUpperCase() + words.slice(1) : 'Activity';
}

const zonedFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * Date and time in the agent's own zone (IANA, from /me), e.g. "25 Nov 2025, 14:05" — not the
 * browser's zone. An unknown zone falls back to the browser's.
 */
export function zonedDateTime(ms: number, timeZone?: string | null): string {
  const key = timeZone || '';
  let fmt = zonedFormats.get(key);
  if (!fmt) {
    const opts: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
    try {
      fmt = new Intl.DateTimeFormat('en-GB', { ...opts, timeZone: timeZone || undefined });
    } catch {
      fmt = new Intl.DateTimeFormat('en-GB', opts);
    }
    zonedFormats.set(key, fmt);
  }
  return fmt.format(ms);
}

const meetingFormats = new Map<string, Intl.DateTimeFormat>();

/** A meeting's time in a zone, e.g. "Tue 25 Nov 2025, 14:00" (unknown zone: the browser's). */
export function meetingDateTime(ms: number, timeZone?: string | null): string {
  const key = timeZone || '';
  let fmt = meetingFormats.get(key);
  if (!fmt) {
    const opts: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
    try {
      fmt = new Intl.DateTimeFormat('en-GB', { ...opts, timeZone: timeZone || undefined });
    } catch {
      fmt = new Intl.DateTimeFormat('en-GB', opts);
    }
    meetingFormats.set(key, fmt);
  }
  return fmt.format(ms);
}

/** "14:00–14:30" in a zone (24-hour, like the schedule editor). */
export function timeRange(start: number, end: number, timeZone?: string | null): string {
  return `${zonedParts(start, timeZone).time}–${zonedParts(end, timeZone).time}`;
}

const END_REASONS: Record<string, string> = {
  agent: 'Chat ended by the agent',
  visitor: 'Chat ended by the visitor',
  inactivity: 'Chat ended after a period of inactivity',
  no_agent: 'No agent was available',
  no_answer: 'Nobody accepted the request in time',
};

/** "10 minutes", "45 seconds", "1 hour 5 minutes" (rounded down). */
export function spanText(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} second${s === 1 ? '' : 's'}`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} minute${m === 1 ? '' : 's'}`;
  const h = Math.floor(m / 60);
  const rest = m % 60;
  return `${h} hour${h === 1 ? '' : 's'}` + (rest ? ` ${rest} minute${rest === 1 ? '' : 's'}` : '');
}

/**
 * How long a chat was quiet before an inactivity end: from the last message (or the accept)
 * to the end event. The conversation carries no timeout, but its events show the gap.
 */
export function quietSpanBefore(events: ChatEvent[], end: ChatEvent): number | null {
  let from: number | null = null;
  for (const ev of events) {
    if (ev.seq >= end.seq) break;
    if (ev.kind === 'text' || ev.kind === 'chat.accepted') from = ev.created_at;
  }
  return from == null || end.created_at < from ? null : end.created_at - from;
}

/** Text for a system event (chat.requested / accepted / ended / missed). */
export function systemText(kind: string, body: string, fallbackReason?: string | null, quietMs?: number | null): string {
  const b = (body ?? '').trim();
  switch (kind) {
    case 'chat.requested':
      return b ? `${b} asked for an agent` : 'The visitor asked for an agent';
    case 'chat.accepted':
      return b ? `${b} joined the chat` : 'An agent joined the chat';
    case 'chat.ended':
      if ((b || fallbackReason) === 'inactivity' && quietMs != null && quietMs >= 1000) return `Chat ended after ${spanText(quietMs)} without messages`;
      return END_REASONS[b] ?? END_REASONS[fallbackReason ?? ''] ?? (b ? `Chat ended: ${b}` : 'Chat ended');
    case 'chat.missed':
      return b ? `Missed — visitor was told: “${b}”` : 'Missed: no agent was available';
    case 'calendar.card': {
      const card = parseCardBody(b);
      return card ? `Calendar of ${card.agent_name} shared` : 'A calendar was shared';
    }
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

// ---- availability ------------------------------------------------------------------------

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** 1 = Monday … 7 = Sunday. */
export function weekdayName(n: number, short = false): string {
  const w = WEEKDAYS[(((n - 1) % 7) + 7) % 7];
  return short ? w.slice(0, 3) : w;
}

interface ZonedParts {
  date: string; // YYYY-MM-DD
  time: string; // HH:MM (00..23)
  weekday: number; // 1 = Monday
}

const partsCache = new Map<string, Intl.DateTimeFormat>();

/** Wall-clock date, time and weekday of `ms` in an IANA zone (the browser's own when unknown). */
export function zonedParts(ms: number, timeZone?: string | null): ZonedParts {
  const key = timeZone || '';
  let fmt = partsCache.get(key);
  if (!fmt) {
    try {
      fmt = new Intl.DateTimeFormat('en-GB', {
        timeZone: timeZone || undefined,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        weekday: 'short',
        hourCycle: 'h23',
      });
    } catch {
      fmt = new Intl.DateTimeFormat('en-GB', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', weekday: 'short', hourCycle: 'h23' });
    }
    partsCache.set(key, fmt);
  }
  const p: Record<string, string> = {};
  for (const part of fmt.formatToParts(ms)) p[part.type] = part.value;
  const hour = p.hour === '24' ? '00' : p.hour;
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(p.weekday) + 1;
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${hour}:${p.minute}`, weekday };
}

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(b + 'T00:00:00Z') - Date.parse(a + 'T00:00:00Z')) / 86_400_000);
}

/**
 * When a status changes, in the agent's zone: "17:00" today, "midnight" at the end of today,
 * "Tue 08:00" within the week, "12 Mar 08:00" beyond.
 */
export function untilText(until: number, timeZone?: string | null, now = Date.now()): string {
  const at = zonedParts(until, timeZone);
  const today = zonedParts(now, timeZone);
  const days = daysBetween(today.date, at.date);
  if (days <= 0) return at.time;
  if (days === 1 && at.time === '00:00') return 'midnight';
  if (days < 7) return `${weekdayName(at.weekday, true)} ${at.time}`;
  const [, m, d] = at.date.split('-').map(Number);
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][m - 1];
  return `${d} ${month} ${at.time}`;
}

/** The effective status of an agent (older servers: only `available`). */
export function effectiveStatus(agent: Agent): AgentStatus {
  return agent.status ?? { available: !!agent.available, source: 'override', until: null };
}

/**
 * The toggle's words: "Available — until 17:00 (schedule)", "Unavailable — override until 13:00",
 * "Available (schedule)". `label` is the first word, `reason` the rest (may be empty).
 */
export function availabilityText(agent: Agent, now = Date.now()): { label: string; reason: string } {
  const st = effectiveStatus(agent);
  const label = st.available ? 'Available' : 'Unavailable';
  if (!agent.status) return { label, reason: '' };
  if (st.source === 'override') {
    return { label, reason: st.until ? ` — override until ${untilText(st.until, agent.time_zone, now)}` : ' (override)' };
  }
  return { label, reason: st.until ? ` — until ${untilText(st.until, agent.time_zone, now)} (schedule)` : ' (schedule)' };
}
