// Display helpers. Everything returns plain strings, rendered through Preact's escaping.
import type { Activity, Agent, AgentStatus, ChatEvent } from './types';
import { parseCardBody } from '../../shared/slots';
import { t } from './i18n';
import { clockLocale, dateTime, dayKey, longDay, shortDate, shortDateYear, shortWeekday, timeOfDay, weekdayDateTime } from '../../shared/clock';

/** `-` for anything unknown: null, undefined, empty or whitespace. */
export function orDash(v: string | null | undefined): string {
  if (v === null || v === undefined) return '-';
  const s = String(v).trim();
  return s ? s : '-';
}

export function relativeTime(ms: number, now = Date.now(), timeZone?: string | null): string {
  if (!ms) return '';
  const diff = Math.max(0, now - ms);
  if (diff < 45_000) return t('time.now');
  if (diff < 3_600_000) return t('time.minutes', { count: Math.round(diff / 60_000) });
  // Days are the agent's days (their zone, like every other time on screen), not the browser's.
  const day = (x: number) => dayKey(x, timeZone);
  if (diff < 86_400_000 && day(ms) === day(now)) return t('time.hours', { count: Math.floor(diff / 3_600_000) });
  if (day(ms) === day(now - 86_400_000)) return t('time.yesterday');
  if (diff < 6 * 86_400_000) return shortWeekday(ms, timeZone);
  if (day(ms).slice(0, 4) === day(now).slice(0, 4)) return shortDate(ms, timeZone);
  return shortDateYear(ms, timeZone);
}

// Chat times are shown in the agent's time zone (like the activity history) and every time goes
// through shared/clock.ts, so one screen never mixes two clocks; without a zone, the browser's.

export function clockTime(ms: number, timeZone?: string | null): string {
  return timeOfDay(ms, timeZone);
}

export function dayLabel(ms: number, timeZone?: string | null, now = Date.now()): string {
  const key = (t: number) => dayKey(t, timeZone);
  if (key(ms) === key(now)) return t('time.today');
  if (key(ms) === key(now - 86_400_000)) return t('time.yesterday');
  return longDay(ms, timeZone);
}

export function initials(name: string | null | undefined): string {
  const parts = (name ?? '').trim().split(/\s+/).filter(Boolean);
  if (!parts.length) return '?';
  const first = parts[0][0] ?? '';
  const last = parts.length > 1 ? parts[parts.length - 1][0] ?? '' : '';
  return (first + last).toUpperCase();
}

// The built-in activity types have texts (activity.<type>); a custom type is shown as its words.
const ACTIVITY_TYPES = new Set(['page_visit', 'form_filled', 'chat_started', 'chat_engaged', 'chat_ended', 'chat', 'meeting_booked', 'meeting_rescheduled', 'meeting_cancelled', 'link_clicked', 'custom', 'followup_emailed']);

// The fields of a form_filled entry, in the order the form asks them (activity.field.<key>).
const FORM_FIELDS = ['name', 'email', 'job_title', 'phone', 'company'];
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);

/**
 * What an activity is about, in the Inbox's language: a form's fields with their labels, a
 * meeting's agent and time in the agent's zone (`zone`), from the entry's data (docs/api.md
 * "Activity"); any other entry (and one written before data existed) as the server wrote it.
 */
export function activityDetail(a: Activity, zone?: string | null): string {
  const d = a.data;
  if (d && a.type === 'form_filled') {
    const parts = FORM_FIELDS.flatMap((k) => {
      const v = str(d[k]);
      return v ? [t('activity.fieldValue', { label: t(`activity.field.${k}`), value: v })] : [];
    });
    if (parts.length) return parts.join(' · ');
  }
  if (d && a.type.startsWith('meeting_') && typeof d.start === 'number' && str(d.agent_name)) {
    return t('activity.meetingWith', { name: String(d.agent_name), when: meetingDateTime(d.start, zone) });
  }
  return (a.detail ?? '').trim();
}

export function activityLabel(type: string): string {
  if (ACTIVITY_TYPES.has(type)) return t(`activity.${type}`);
  const words = type.replace(/[_.-]+/g, ' ').trim();
  return words ? words[0].toUpperCase() + words.slice(1) : t('activity.other');
}

/**
 * Date and time in the agent's own zone (IANA, from /me), e.g. "25 Nov 2025, 14:05" — not the
 * browser's zone. An unknown zone falls back to the browser's.
 */
export function zonedDateTime(ms: number, timeZone?: string | null): string {
  return dateTime(ms, timeZone);
}

/** A meeting's time in a zone, e.g. "Tue 25 Nov 2025, 14:00" (unknown zone: the browser's). */
export function meetingDateTime(ms: number, timeZone?: string | null): string {
  return weekdayDateTime(ms, timeZone);
}

/** "14:00–14:30" in a zone. */
export function timeRange(start: number, end: number, timeZone?: string | null): string {
  return `${timeOfDay(start, timeZone)}–${timeOfDay(end, timeZone)}`;
}

// The end reasons the server writes (end.<reason>); another reason is shown as it is.
const END_REASONS = new Set(['agent', 'visitor', 'inactivity', 'no_agent', 'no_answer', 'agent_deactivated']);
const endReason = (r: string): string | undefined => (END_REASONS.has(r) ? t(`end.${r}`) : undefined);

/** "10 minutes", "45 seconds", "1 hour 5 minutes" (rounded down). */
export function spanText(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return t('span.seconds', { count: s });
  const m = Math.floor(s / 60);
  if (m < 60) return t('span.minutes', { count: m });
  const h = Math.floor(m / 60);
  const rest = m % 60;
  return t('span.hours', { count: h }) + (rest ? ` ${t('span.minutes', { count: rest })}` : '');
}

/**
 * A setting's duration as a person says it: "45 s", "1 min 40 s", "10 min", "1 h 5 min", "2 h"
 * (never rounded: 100 seconds is not "1 minute").
 */
export function durationText(totalSeconds: number): string {
  const t = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const s = t % 60;
  const parts: string[] = [];
  if (h) parts.push(`${h} h`);
  if (m) parts.push(`${m} min`);
  if (s || !parts.length) parts.push(`${s} s`);
  return parts.join(' ');
}

/** A size limit as people say it: "64 KB", "1 MB" (1 KB = 1024 bytes, rounded up). */
export function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.ceil(bytes / (1024 * 1024))} MB`;
  return `${Math.max(1, Math.ceil(bytes / 1024))} KB`;
}

/**
 * A text limit the server counts in UTF-8 bytes, said in characters: "about 4,000 characters"
 * (exact for plain Latin letters; å, ä, ö and emoji take two to four).
 */
export function charsText(maxBytes: number): string {
  // Grouped the locale's way ("4,000" / "4 000"), in Latin digits.
  return t('chars.about', { count: new Intl.NumberFormat(clockLocale(), { numberingSystem: 'latn' } as Intl.NumberFormatOptions).format(maxBytes) });
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
      return b ? t('system.requestedBy', { name: b }) : t('system.requested');
    case 'chat.accepted':
      return b ? t('system.joinedBy', { name: b }) : t('system.joined');
    case 'chat.ended':
      if ((b || fallbackReason) === 'inactivity' && quietMs != null && quietMs >= 1000) return t('end.quiet', { span: spanText(quietMs) });
      return endReason(b) ?? endReason(fallbackReason ?? '') ?? (b ? t('end.other', { reason: b }) : t('end.plain'));
    case 'chat.missed':
      return b ? t('system.missedTold', { text: b }) : t('system.missed');
    case 'followup.claimed':
      return t('system.followupClaimed', { name: b });
    case 'followup.released':
      return t('system.followupReleased', { name: b });
    case 'followup.done':
      return t('system.followupDone', { name: b });
    case 'followup.emailed': {
      // body: {"agent_name","kind":"transcript"|"reply","to"} (docs/api.md)
      let e: { agent_name?: unknown; kind?: unknown; to?: unknown } = {};
      try {
        e = JSON.parse(b) ?? {};
      } catch {
        /* an unreadable body: the plain sentence below */
      }
      const who = { name: String(e.agent_name ?? ''), to: String(e.to ?? '') };
      return e.kind === 'reply' ? t('system.followupReplied', who) : t('system.followupEmailed', who);
    }
    case 'calendar.card': {
      const card = parseCardBody(b);
      return card ? t('system.calendarOf', { name: card.agent_name }) : t('system.calendar');
    }
    default:
      return b || kind;
  }
}

export function statusLabel(status: string): string {
  switch (status) {
    case 'active':
    case 'pending':
    case 'ended':
    case 'missed':
      return t(`status.${status}`);
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

/** 1 = Monday … 7 = Sunday, in the Inbox's language. */
export function weekdayName(n: number, short = false): string {
  const d = ((((n - 1) % 7) + 7) % 7) + 1;
  return t(short ? `weekdayShort.${d}` : `weekday.${d}`);
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
  const time = timeOfDay(until, timeZone);
  if (days <= 0) return time;
  if (days === 1 && at.time === '00:00') return t('availability.midnight');
  if (days < 7) return `${weekdayName(at.weekday, true)} ${time}`;
  return `${shortDate(until, timeZone)} ${time}`;
}

/** The effective status of an agent (older servers: only `available`). */
export function effectiveStatus(agent: Agent): AgentStatus {
  return agent.status ?? { available: !!agent.available, source: 'override', until: null };
}

/**
 * The toggle's words: "Available — until 17:00 (schedule)", "Unavailable — override until 13:00",
 * "Available (schedule)". `label` is the first word, `reason` the rest (may be empty).
 */
export function availabilityText(agent: Agent, now = Date.now()): { label: string; reason: string; noHours: boolean } {
  const st = effectiveStatus(agent);
  const label = st.available ? t('availability.available') : t('availability.unavailable');
  if (!agent.status) return { label, reason: '', noHours: false };
  if (st.source === 'override') {
    return { label, reason: st.until ? t('availability.overrideUntil', { until: untilText(st.until, agent.time_zone, now) }) : t('availability.override'), noHours: false };
  }
  // Off by schedule with no change ever coming: the weekly schedule has no block at all.
  if (!st.available && !st.until) return { label, reason: t('availability.noHours'), noHours: true };
  return { label, reason: st.until ? t('availability.scheduleUntil', { until: untilText(st.until, agent.time_zone, now) }) : t('availability.schedule'), noHours: false };
}

/** The toggle of an agent whose schedule has no working hours (it says what to do in Settings). */
export const noHoursHint = (): string => t('availability.noHoursHint');
