// Every date and time a person reads, in one place, so that one screen never mixes a 12-hour and a
// 24-hour clock: one clock style per language, the same in every app (Inbox, widget, meeting
// page), and every time of day is written with the same options.
//   - The clock is 24-hour in both languages ("14:05", "09:05"): Swedish writes it so, and the
//     English Inbox is edited in HH:MM fields (schedule, visitor hours) that a 12-hour display
//     would contradict on the same screen; the widget and the meeting page follow, so an English
//     reader sees one clock wherever Parley shows a time.
//   - Each app sets the locale of its language (shared/language.ts clockLocaleFor, through
//     shared/i18n.ts or the widget's own setup) for the words and the order of dates: Swedish
//     'sv-SE', English the browser's English variant ("Tue, Nov 25" in en-US) or 'en-GB'.
//   - Digits are always Latin ('latn'): an Arabic browser once got Arabic digits inside English text.
// Formatters are built once per locale, options and zone: building one costs about a millisecond,
// and a chat formats two times per message on every render.

let locale: string | undefined;
const cache = new Map<string, Intl.DateTimeFormat>();

/** The locale of every date and time of this app (undefined: the browser's own). */
export function setClockLocale(next: string | undefined): void {
  locale = next;
  cache.clear();
}

export function clockLocale(): string | undefined {
  return locale;
}

/** `zone` if the browser knows it, else undefined (the browser's own zone). */
const zoneKnown = new Map<string, boolean>();
function knownZone(zone: string | null | undefined): string | undefined {
  if (!zone) return undefined;
  let ok = zoneKnown.get(zone);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat(undefined, { timeZone: zone });
      ok = true;
    } catch {
      ok = false;
    }
    zoneKnown.set(zone, ok);
  }
  return ok ? zone : undefined;
}

function format(opts: Intl.DateTimeFormatOptions, zone: string | null | undefined, forceLocale?: string): Intl.DateTimeFormat {
  const tz = knownZone(zone);
  const loc = forceLocale ?? locale;
  const key = `${loc ?? ''}|${tz ?? ''}|${JSON.stringify(opts)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(loc, { ...opts, timeZone: tz, numberingSystem: 'latn' });
    cache.set(key, f);
  }
  return f;
}

/** The hour and minute options of every time of day: "14:05" / "09:05", 24-hour in every locale. */
export function timeOptions(): Intl.DateTimeFormatOptions {
  return { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
}

/** "14:05" in `zone` (unknown or none: the browser's). */
export function timeOfDay(ms: number, zone?: string | null): string {
  return format(timeOptions(), zone).format(ms);
}

/** "25 Nov 2025, 14:05": a date with its time. */
export function dateTime(ms: number, zone?: string | null): string {
  return format({ day: 'numeric', month: 'short', year: 'numeric', ...timeOptions() }, zone).format(ms);
}

/** "Tue 25 Nov 2025, 14:00": a meeting's start. */
export function weekdayDateTime(ms: number, zone?: string | null): string {
  return format({ weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', ...timeOptions() }, zone).format(ms);
}

/** "Tuesday 25 November" (en-GB) / "Tuesday, November 25" (en-US). */
export function longDay(ms: number, zone?: string | null): string {
  return format({ weekday: 'long', month: 'long', day: 'numeric' }, zone).format(ms);
}

/** "Tue" */
export function shortWeekday(ms: number, zone?: string | null): string {
  return format({ weekday: 'short' }, zone).format(ms);
}

/** "25 Nov" */
export function shortDate(ms: number, zone?: string | null): string {
  return format({ month: 'short', day: 'numeric' }, zone).format(ms);
}

/** "25 Nov 2025" */
export function shortDateYear(ms: number, zone?: string | null): string {
  return format({ year: 'numeric', month: 'short', day: 'numeric' }, zone).format(ms);
}

/** The calendar date of `ms` in `zone`, "YYYY-MM-DD" (for comparing days, never shown). */
export function dayKey(ms: number, zone?: string | null): string {
  return format({ year: 'numeric', month: '2-digit', day: '2-digit' }, zone, 'en-CA').format(ms);
}

/** The zone's short name at that instant, e.g. "GMT+9", "EST", "UTC". */
export function zoneAbbr(ms: number, zone?: string | null): string {
  try {
    const part = format({ hour: 'numeric', timeZoneName: 'short' }, zone)
      .formatToParts(ms)
      .find((p) => p.type === 'timeZoneName');
    return part?.value ?? '';
  } catch {
    return '';
  }
}
