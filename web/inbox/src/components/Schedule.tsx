// The weekly time-block editor and the time zone picker, shared by the live-chat availability
// settings and the meeting calendar settings (same block format: weekday 1–7, "HH:MM", an end
// may be "24:00", an end not after its start runs past midnight).
import type { ScheduleBlock } from '../types';
import { clockTime, weekdayName, zonedParts } from '../format';
import { t } from '../i18n';

/** A weekday as a label of its own: "Monday", "Måndag" (Swedish writes it lower-case in a sentence). */
const capitalized = (s: string): string => (s ? s[0].toUpperCase() + s.slice(1) : s);

export interface DraftBlock extends ScheduleBlock {
  key: number;
}

export const START_RE = /^([01]\d|2[0-3]):[0-5]\d$/;
export const END_RE = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
let blockKey = 0;

export function newBlockKey(): number {
  return ++blockKey;
}

/** Server blocks → editable rows (each with a local key), sorted. */
export function draftBlocks(list: ScheduleBlock[] | null | undefined): DraftBlock[] {
  return sortBlocks((list ?? []).map((b) => ({ weekday: b.weekday, start: b.start, end: b.end, key: newBlockKey() })));
}

/** Editable rows → the wire format (times normalised), sorted. */
export function wireBlocks(list: DraftBlock[]): ScheduleBlock[] {
  return sortBlocks(list.map(({ weekday, start, end }) => ({ weekday, start: normalizeTime(start), end: normalizeTime(end) })));
}

export function sortBlocks<T extends ScheduleBlock>(list: T[]): T[] {
  return list.slice().sort((a, b) => a.weekday - b.weekday || a.start.localeCompare(b.start));
}

/** "9:00" → "09:00", "930" → "09:30"; anything else is left for the validator. */
export function normalizeTime(v: string): string {
  const m = /^\s*(\d{1,2})[:.h]?(\d{2})\s*$/.exec(v);
  return m ? `${m[1].padStart(2, '0')}:${m[2]}` : v.trim();
}

/** The `${key}:start` / `${key}:end` fields that are not valid HH:MM times. */
export function invalidTimes(blocks: DraftBlock[]): Set<string> {
  const invalid = new Set<string>();
  for (const b of blocks) {
    if (!START_RE.test(normalizeTime(b.start))) invalid.add(`${b.key}:start`);
    if (!END_RE.test(normalizeTime(b.end))) invalid.add(`${b.key}:end`);
  }
  return invalid;
}

/** "Runs past midnight, until Tue 02:00" for a block whose end is not after its start. */
function blockHint(b: ScheduleBlock): string | null {
  const start = normalizeTime(b.start);
  const end = normalizeTime(b.end);
  if (!START_RE.test(start) || !END_RE.test(end) || end === '24:00') return null;
  if (end >= start) return null; // equal: the server refuses an empty block and says so
  return t('schedule.pastMidnight', { day: weekdayName((b.weekday % 7) + 1, true), time: end });
}

// Browsers list zones by their CLDR names, some of which IANA renamed long ago; agents look for
// (and the server's tz database prefers) the current names.
const RENAMED: Record<string, string> = {
  'Africa/Asmera': 'Africa/Asmara',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Coral_Harbour': 'America/Atikokan',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Godthab': 'America/Nuuk',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Louisville': 'America/Kentucky/Louisville',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Europe/Kiev': 'Europe/Kyiv',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Truk': 'Pacific/Chuuk',
};

let zoneList: string[] | null = null;
/** "UTC", then every zone the browser knows (Intl.supportedValuesOf), by current IANA name. */
export function timeZones(): string[] {
  if (!zoneList) {
    let all: string[] = [];
    try {
      all = (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('timeZone');
    } catch {
      all = [];
    }
    const names = new Set(all.map((z) => RENAMED[z] ?? z));
    names.delete('UTC');
    zoneList = ['UTC', ...[...names].sort()];
  }
  return zoneList;
}

export function browserZone(): string {
  try {
    const z = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    return RENAMED[z] ?? z;
  } catch {
    return 'UTC';
  }
}

/** The IANA zone select with "Now 14:05 on Tuesday" and "Use this computer's zone". */
export function ZonePicker({ zone, now, onZone, testid, nowTestid }: { zone: string; now: number; onZone: (zone: string) => void; testid: string; nowTestid: string }) {
  const zones = timeZones();
  const options = zones.includes(zone) ? zones : [zone, ...zones];
  const here = zonedParts(now, zone);
  const mine = browserZone();
  return (
    <div class="tz-row">
      <select class="select" value={zone} onChange={(e) => onZone((e.target as HTMLSelectElement).value)} aria-label={t('settings.timeZone')} data-testid={testid}>
        {options.map((z) => (
          <option key={z} value={z}>
            {z.replace(/_/g, ' ')}
          </option>
        ))}
      </select>
      <span class="tz-now" data-testid={nowTestid}>
        {t('settings.nowOn', { time: clockTime(now, zone), day: weekdayName(here.weekday) })}
      </span>
      {mine !== zone && (
        <button type="button" class="link-btn small" onClick={() => onZone(mine)}>
          {t('settings.useComputerZone', { zone: mine.replace(/_/g, ' ') })}
        </button>
      )}
    </div>
  );
}

/**
 * One row per weekday, each with its blocks (start – end, remove), "+ Add hours", and for weekdays
 * "Copy to weekdays". `todayWeekday` highlights today in the schedule's zone.
 */
export function ScheduleEditor({
  blocks,
  onBlocks,
  todayWeekday,
  invalid,
  offText,
}: {
  blocks: DraftBlock[];
  onBlocks: (blocks: DraftBlock[]) => void;
  todayWeekday: number;
  invalid: Set<string>;
  offText: string;
}) {
  const setBlock = (key: number, patch: Partial<ScheduleBlock>) => onBlocks(blocks.map((b) => (b.key === key ? { ...b, ...patch } : b)));
  const removeBlock = (key: number) => onBlocks(blocks.filter((b) => b.key !== key));
  const addBlock = (weekday: number) => {
    const day = blocks.filter((b) => b.weekday === weekday);
    const last = day[day.length - 1];
    let start = '09:00';
    let end = '17:00';
    if (last && END_RE.test(normalizeTime(last.end)) && normalizeTime(last.end) < '23:00') {
      const h = Number(normalizeTime(last.end).slice(0, 2));
      start = `${String(h + 1).padStart(2, '0')}:00`;
      end = `${String(Math.min(h + 4, 24)).padStart(2, '0')}:00`;
    }
    onBlocks([...blocks, { key: newBlockKey(), weekday, start, end }]);
  };
  const copyToWeekdays = (weekday: number) => {
    const src = blocks.filter((b) => b.weekday === weekday);
    const others = blocks.filter((b) => b.weekday === weekday || b.weekday > 5);
    const copies = [1, 2, 3, 4, 5].filter((d) => d !== weekday).flatMap((d) => src.map((b) => ({ ...b, weekday: d, key: newBlockKey() })));
    onBlocks(sortBlocks([...others, ...copies]));
  };

  return (
    <div class="schedule" data-testid="schedule">
      {[1, 2, 3, 4, 5, 6, 7].map((day) => {
        const list = blocks.filter((b) => b.weekday === day);
        return (
          <div class={`schedule-day ${todayWeekday === day ? 'is-today' : ''}`} key={day} data-testid="schedule-day" data-weekday={day}>
            <div class="schedule-name">
              {capitalized(weekdayName(day))}
              {todayWeekday === day && <span class="today-tag">{t('schedule.today')}</span>}
            </div>
            <div class="schedule-blocks">
              {!list.length && <span class="muted small schedule-off">{offText}</span>}
              {list.map((b) => {
                const hint = blockHint(b);
                const badStart = invalid.has(`${b.key}:start`);
                const badEnd = invalid.has(`${b.key}:end`);
                return (
                  <div class="block" key={b.key} data-testid="schedule-block">
                    <TimeInput value={b.start} label={t('schedule.blockStart', { day: capitalized(weekdayName(day)) })} bad={badStart} onValue={(start) => setBlock(b.key, { start })} testid="block-start" />
                    <span class="muted">–</span>
                    <TimeInput value={b.end} label={t('schedule.blockEnd', { day: capitalized(weekdayName(day)) })} bad={badEnd} onValue={(end) => setBlock(b.key, { end })} testid="block-end" />
                    <button type="button" class="icon-btn" aria-label={t('schedule.remove')} title={t('schedule.removeShort')} onClick={() => removeBlock(b.key)} data-testid="block-remove">
                      ×
                    </button>
                    {hint && (
                      <span class="block-hint" data-testid="block-hint">
                        {hint}
                      </span>
                    )}
                    {(badStart || badEnd) && <span class="block-error">{t('schedule.useHHMM')}{badEnd ? t('schedule.endMay24') : ''}</span>}
                  </div>
                );
              })}
            </div>
            <div class="schedule-actions">
              <button type="button" class="btn btn-ghost btn-sm" onClick={() => addBlock(day)} data-testid="add-block">
                {t('schedule.addHours')}
              </button>
              {day <= 5 && list.length > 0 && (
                <button type="button" class="link-btn small" onClick={() => copyToWeekdays(day)} title={t('schedule.copyTitle')}>
                  {t('schedule.copy')}
                </button>
              )}
            </div>
          </div>
        );
      })}
    </div>
  );
}

/** An "HH:MM" field of a schedule block; leaving it normalises what was typed (e.g. "9.30" → "09:30"). */
function TimeInput({ value, label, bad, onValue, testid }: { value: string; label: string; bad: boolean; onValue: (value: string) => void; testid: string }) {
  return (
    <input
      class="time-input"
      value={value}
      inputMode="numeric"
      maxLength={5}
      placeholder="HH:MM"
      aria-label={label}
      aria-invalid={bad ? 'true' : 'false'}
      onInput={(e) => onValue((e.target as HTMLInputElement).value)}
      onBlur={(e) => onValue(normalizeTime((e.target as HTMLInputElement).value))}
      data-testid={testid}
    />
  );
}
