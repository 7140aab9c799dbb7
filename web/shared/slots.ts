// Meeting calendars, shared by the Inbox, the widget and the manage page (plain TS, no DOM):
// defensive parsing of the calendar/meeting event bodies, and slot times grouped by day in a
// given IANA zone (the visitor's own on the visitor side, the calendar's in the Inbox).
import { dayKey, longDay, timeOfDay, zoneAbbr } from './clock';
import type { CalendarCardBody, Meeting, MeetingEventBody, MeetingStatus, Slot } from './protocol';

export const MEETING_KINDS = ['meeting.booked', 'meeting.rescheduled', 'meeting.cancelled'] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];

export function isMeetingKind(kind: string): kind is MeetingKind {
  return (MEETING_KINDS as readonly string[]).includes(kind);
}

/** An instant from the wire: ms (number or numeric string), or an ISO string; NaN otherwise. */
export function toMs(v: unknown): number {
  if (typeof v === 'number') return Number.isFinite(v) ? v : NaN;
  if (typeof v === 'string' && v.trim()) {
    if (/^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
    return Date.parse(v);
  }
  return NaN;
}

function toId(v: unknown): number | null {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : null;
}

function parseObject(body: unknown): Record<string, unknown> | null {
  if (body && typeof body === 'object') return body as Record<string, unknown>;
  if (typeof body !== 'string') return null;
  try {
    const v = JSON.parse(body);
    return v && typeof v === 'object' && !Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}

/** A `calendar.card` body, or null when malformed. */
export function parseCardBody(body: unknown): CalendarCardBody | null {
  const o = parseObject(body);
  const agent_id = toId(o?.agent_id);
  if (!o || agent_id == null) return null;
  return { agent_id, agent_name: typeof o.agent_name === 'string' && o.agent_name.trim() ? o.agent_name : 'an agent' };
}

const STATUSES: MeetingStatus[] = ['scheduled', 'rescheduled', 'cancelled'];

/** A `meeting.*` body, or null when malformed. `kind` supplies a status the body lacks. */
export function parseMeetingBody(body: unknown, kind?: string): MeetingEventBody | null {
  const o = parseObject(body);
  if (!o) return null;
  const meeting_id = toId(o.meeting_id ?? o.id);
  const start = toMs(o.start);
  const end = toMs(o.end);
  if (meeting_id == null || !Number.isFinite(start) || !Number.isFinite(end)) return null;
  const fromKind: MeetingStatus = kind === 'meeting.cancelled' ? 'cancelled' : kind === 'meeting.rescheduled' ? 'rescheduled' : 'scheduled';
  const status = STATUSES.includes(o.status as MeetingStatus) ? (o.status as MeetingStatus) : fromKind;
  return {
    meeting_id,
    agent_id: toId(o.agent_id) ?? 0,
    agent_name: typeof o.agent_name === 'string' ? o.agent_name : '',
    start,
    end,
    booker_email: typeof o.booker_email === 'string' ? o.booker_email : '',
    status,
    time_zone: typeof o.time_zone === 'string' ? o.time_zone : undefined,
  };
}

/** Slots from the wire, valid ones only, sorted by start. */
export function cleanSlots(list: unknown): Slot[] {
  if (!Array.isArray(list)) return [];
  const out: Slot[] = [];
  for (const s of list) {
    const start = toMs(s?.start);
    const end = toMs(s?.end);
    if (Number.isFinite(start) && Number.isFinite(end)) out.push({ start, end });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** A Meeting from the wire with its times as numbers (null when unusable). */
export function cleanMeeting(m: unknown): Meeting | null {
  if (!m || typeof m !== 'object') return null;
  const o = m as Record<string, unknown>;
  const id = toId(o.id);
  const start = toMs(o.start);
  const end = toMs(o.end);
  if (id == null || !Number.isFinite(start) || !Number.isFinite(end)) return null;
  return {
    ...(o as unknown as Meeting),
    id,
    start,
    end,
    status: STATUSES.includes(o.status as MeetingStatus) ? (o.status as MeetingStatus) : 'scheduled',
    passed: o.passed === true,
    agent_name: typeof o.agent_name === 'string' ? o.agent_name : '',
    booker_email: typeof o.booker_email === 'string' ? o.booker_email : '',
    time_zone: typeof o.time_zone === 'string' && o.time_zone ? o.time_zone : 'UTC',
  };
}

// ---- time zones and formatting ---------------------------------------------------------------

/** The browser's own IANA zone ("UTC" when unknown). */
export function localZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** `zone` if the browser knows it, else undefined (= the browser's own). */
export function knownZone(zone: string | null | undefined): string | undefined {
  if (!zone) return undefined;
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: zone });
    return zone;
  } catch {
    return undefined;
  }
}

/** "2:30 PM" / "14:30" (the app's clock, shared/clock.ts) in `zone`. */
export const slotTime = timeOfDay;

/** "Tuesday, November 25" in `zone`. */
export const dayTitle = longDay;

export { dayKey, zoneAbbr };

/** "Tuesday, November 25, 2:00 – 2:30 PM GMT+9" in `zone`. */
export function meetingWhen(start: number, end: number, zone?: string | null): string {
  const abbr = zoneAbbr(start, zone);
  const sameDay = dayKey(start, zone) === dayKey(end - 1, zone);
  const endText = sameDay ? slotTime(end, zone) : `${dayTitle(end, zone)}, ${slotTime(end, zone)}`;
  return `${dayTitle(start, zone)}, ${slotTime(start, zone)} – ${endText}${abbr ? ' ' + abbr : ''}`;
}

export interface SlotDay {
  /** "YYYY-MM-DD" in the zone. */
  key: string;
  /** "Tuesday, November 25". */
  title: string;
  slots: Slot[];
}

/** Slots grouped by their start's calendar day in `zone`, days and slots in time order. */
export function groupSlotsByDay(slots: Slot[], zone?: string | null): SlotDay[] {
  const days: SlotDay[] = [];
  for (const s of slots.slice().sort((a, b) => a.start - b.start)) {
    const key = dayKey(s.start, zone);
    let day = days[days.length - 1];
    if (!day || day.key !== key) {
      day = { key, title: dayTitle(s.start, zone), slots: [] };
      days.push(day);
    }
    day.slots.push(s);
  }
  return days;
}

export const STATUS_TEXT: Record<MeetingStatus, string> = {
  scheduled: 'Scheduled',
  rescheduled: 'Rescheduled',
  cancelled: 'Cancelled',
};

export const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
