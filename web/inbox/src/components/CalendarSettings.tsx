import { useEffect, useRef, useState } from 'preact/hooks';
import type { State, Store } from '../store';
import type { Calendar } from '../types';
import { meetingDateTime, zonedParts } from '../format';
import { useLeaveGuard, useNow } from '../hooks';
import { LoadingCard } from './LoadState';
import { ScheduleEditor, ZonePicker, draftBlocks, invalidTimes, wireBlocks, type DraftBlock } from './Schedule';
import { SettingsFooter } from './SettingsFooter';

/** The editable part of the calendar (numbers as typed). */
interface Draft {
  time_zone: string;
  blocks: DraftBlock[];
  duration_minutes: string;
  buffer_minutes: string;
  notice_minutes: string;
  horizon_days: string;
  ics_url: string;
}

type NumberKey = 'duration_minutes' | 'buffer_minutes' | 'notice_minutes' | 'horizon_days';

interface NumberSpec {
  key: NumberKey;
  label: string;
  min: number;
  max: number;
  unit: string;
  help: string;
  testid: string;
}

const NUMBERS: NumberSpec[] = [
  { key: 'duration_minutes', label: 'Meeting duration', min: 5, max: 480, unit: 'minutes', help: 'Your bookable hours are cut into slots this long.', testid: 'calendar-duration' },
  {
    key: 'buffer_minutes',
    label: 'Buffer after meetings',
    min: 0,
    max: 480,
    unit: 'minutes',
    help: 'Kept free after every meeting: nothing can be booked until it has passed.',
    testid: 'calendar-buffer',
  },
  { key: 'notice_minutes', label: 'Minimum notice', min: 0, max: 43200, unit: 'minutes', help: 'How far ahead of now the first bookable slot must start.', testid: 'calendar-notice' },
  { key: 'horizon_days', label: 'Booking horizon', min: 1, max: 90, unit: 'days', help: 'How far ahead visitors can book.', testid: 'calendar-horizon' },
];

const MAX_ICS_BYTES = 4 * 1024 * 1024;

function toDraft(c: Calendar): Draft {
  return {
    time_zone: c.time_zone || 'UTC',
    blocks: draftBlocks(c.blocks),
    duration_minutes: String(c.duration_minutes ?? 30),
    buffer_minutes: String(c.buffer_minutes ?? 0),
    notice_minutes: String(c.notice_minutes ?? 0),
    horizon_days: String(c.horizon_days ?? 14),
    ics_url: c.ics_url ?? '',
  };
}

const wholeNumber = (v: string) => (/^\s*\d+\s*$/.test(v) ? Number(v) : NaN);

/** What PUT /me/calendar gets: every editable field. */
function fromDraft(d: Draft): Partial<Calendar> {
  const url = d.ics_url.trim();
  return {
    time_zone: d.time_zone,
    blocks: wireBlocks(d.blocks),
    duration_minutes: wholeNumber(d.duration_minutes),
    buffer_minutes: wholeNumber(d.buffer_minutes),
    notice_minutes: wholeNumber(d.notice_minutes),
    horizon_days: wholeNumber(d.horizon_days),
    ics_url: url ? url : null,
  };
}

function sameCalendar(a: Calendar, b: Partial<Calendar>): boolean {
  return JSON.stringify(fromDraft(toDraft(a))) === JSON.stringify(b);
}

function urlProblem(v: string): string | null {
  const url = v.trim();
  if (!url) return null;
  try {
    const u = new URL(url);
    if (u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'webcal:') return null;
  } catch {
    /* below */
  }
  return 'Calendar URL: use an http(s) address (or webcal://).';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Settings → Meeting calendar (GET/PUT /me/calendar, busy times from an .ics file or URL). */
export function CalendarSettings({ store, state }: { store: Store; state: State }) {
  const cal = state.calendar;
  const [draft, setDraft] = useState<Draft | null>(cal ? toDraft(cal) : null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const now = useNow(15_000);
  const leaveGuard = useLeaveGuard(store);

  // The page reloads the calendar when it opens: a draft nobody has touched yet follows the fresh
  // copy (else it would show stale values, and count as unsaved changes).
  const base = useRef(cal);
  useEffect(() => {
    const untouched = !draft || (!!base.current && sameCalendar(base.current, fromDraft(draft)));
    if (cal && untouched) setDraft(toDraft(cal));
    base.current = cal;
  }, [cal]);

  if (!draft || !cal) return <LoadingCard error={state.calendarError} onRetry={() => store.loadCalendar()} errorTestId="calendar-error" text="Loading your meeting calendar…" />;

  const update = (patch: Partial<Draft>) => {
    setDraft({ ...draft, ...patch });
    setSaved(false);
  };
  const invalid = invalidTimes(draft.blocks);
  const next = fromDraft(draft);
  const dirty = !sameCalendar(cal, next);
  leaveGuard.current = dirty;
  const here = zonedParts(now, draft.time_zone);
  const problems: string[] = [];
  if (invalid.size) problems.push('Please use HH:MM times (00:00–23:59; an end may be 24:00).');
  const badNumbers = new Set<NumberKey>();
  for (const f of NUMBERS) {
    const v = next[f.key] as number;
    if (!(Number.isInteger(v) && v >= f.min && v <= f.max)) {
      badNumbers.add(f.key);
      problems.push(`${f.label}: a whole number from ${f.min} to ${f.max} ${f.unit}.`);
    }
  }
  const badUrl = urlProblem(draft.ics_url);
  if (badUrl) problems.push(badUrl);

  async function save(e: Event) {
    e.preventDefault();
    if (busy) return;
    if (problems.length) {
      setError(problems.join(' '));
      return;
    }
    setBusy(true);
    setError(null);
    const err = await store.saveCalendar(next);
    setBusy(false);
    if (err) {
      setError(`Not saved: ${err}`);
      return;
    }
    setSaved(true);
    if (store.state.calendar) setDraft(toDraft(store.state.calendar));
  }

  const blockCount = cal.blocks?.length ?? 0;
  return (
    <form class="settings-form" onSubmit={save} noValidate data-testid="calendar-form">
      <header class="settings-head">
        <div>
          <h2>Meeting calendar</h2>
          <p class="muted">When visitors can book a meeting with you from a calendar card in the chat, and which times are already busy.</p>
        </div>
        <span class={`status ${cal.bookable ? 'status-active' : ''}`} data-testid="calendar-bookable" data-bookable={cal.bookable ? 'true' : 'false'}>
          {cal.bookable ? `Bookable · ${plural(blockCount, 'block')} a week` : 'Not bookable yet'}
        </span>
      </header>

      <section class="card">
        <h3>Time zone</h3>
        <p class="muted small">Your bookable hours are in this zone. Visitors see the free times in their own zone.</p>
        <ZonePicker zone={draft.time_zone} now={now} onZone={(time_zone) => update({ time_zone })} testid="calendar-time-zone" nowTestid="calendar-zone-now" />
      </section>

      <section class="card">
        <h3>Bookable hours</h3>
        <p class="muted small">
          Meetings can be booked inside these blocks (several per day, e.g. 09:00–12:00 and 14:00–17:00). These are separate from your live chat hours. A
          calendar with at least one block can be shared in chats.
        </p>
        <ScheduleEditor blocks={draft.blocks} onBlocks={(blocks) => update({ blocks })} todayWeekday={here.weekday} invalid={invalid} offText="No meetings" />
      </section>

      <section class="card">
        <h3>Meetings</h3>
        <div class="settings-grid">
          {NUMBERS.map((f) => (
            <label class="field field-inline" key={f.key}>
              <span>{f.label}</span>
              <div class="input-unit">
                <input
                  type="number"
                  min={f.min}
                  max={f.max}
                  step={1}
                  value={draft[f.key]}
                  aria-invalid={badNumbers.has(f.key) ? 'true' : 'false'}
                  onInput={(e) => update({ [f.key]: (e.target as HTMLInputElement).value } as Partial<Draft>)}
                  data-testid={f.testid}
                />
                <span>{f.unit}</span>
              </div>
              <small class="muted">{f.help}</small>
            </label>
          ))}
        </div>
      </section>

      <BusyTimes store={store} cal={cal} draftUrl={draft.ics_url} onUrl={(ics_url) => update({ ics_url })} badUrl={!!badUrl} />

      <SettingsFooter
        id="calendar"
        error={error}
        saved={!!saved}
        dirty={dirty}
        busy={busy}
        onDiscard={() => {
          setDraft(toDraft(cal));
          setError(null);
        }}
        saveLabel="Save calendar"
      />
    </form>
  );
}

/**
 * Busy times: an .ics file is imported at once (it replaces the earlier import); an .ics URL is
 * saved with the settings and fetched by "Refresh now".
 */
function BusyTimes({ store, cal, draftUrl, onUrl, badUrl }: { store: Store; cal: Calendar; draftUrl: string; onUrl: (v: string) => void; badUrl: boolean }) {
  const [working, setWorking] = useState<'file' | 'refresh' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const savedUrl = cal.ics_url ?? '';
  const urlDirty = draftUrl.trim() !== savedUrl;

  async function upload(input: HTMLInputElement) {
    const file = input.files?.[0];
    input.value = ''; // the same file can be chosen again
    if (!file || working) return;
    setError(null);
    setResult(null);
    if (file.size > MAX_ICS_BYTES) {
      setError(`That file is too large (over ${MAX_ICS_BYTES / 1024 / 1024} MiB).`);
      return;
    }
    setWorking('file');
    let text: string;
    try {
      text = await file.text();
    } catch {
      setWorking(null);
      setError('That file could not be read.');
      return;
    }
    const err = await store.uploadBusy(text.replace(/^\uFEFF/, ''));
    setWorking(null);
    if (err) setError(`Not imported: ${err}`);
    else setResult(`Imported ${file.name}: ${plural(store.state.calendar?.busy_count ?? 0, 'busy period')}.`);
  }

  async function refresh() {
    if (working) return;
    setWorking('refresh');
    setError(null);
    setResult(null);
    const err = await store.refreshBusy();
    setWorking(null);
    if (err) setError(`Not refreshed: ${err}`);
    else setResult(`Refreshed from the calendar URL: ${plural(store.state.calendar?.busy_count ?? 0, 'busy period')}.`);
  }

  return (
    <section class="card" data-testid="calendar-busy">
      <h3>Busy times</h3>
      <p class="muted small">Times already taken in another calendar (Google, Outlook, …) are not offered to visitors. Import them as an iCalendar (.ics) file, or from a URL.</p>
      <p class="busy-status">
        <span data-testid="calendar-busy-count" data-count={cal.busy_count ?? 0}>
          {cal.busy_count ? `${plural(cal.busy_count, 'busy period')} imported` : 'No busy times imported'}
        </span>
        {cal.busy_updated_at ? (
          <span class="muted" data-testid="calendar-busy-updated" data-at={cal.busy_updated_at}>
            {' '}
            · last import {meetingDateTime(cal.busy_updated_at, cal.time_zone)}
          </span>
        ) : null}
      </p>
      <div class="busy-grid">
        <div class="field field-inline">
          <span>From a file</span>
          <div class="csv-row">
            <label class={`btn btn-sm file-btn ${working ? 'is-disabled' : ''}`}>
              {working === 'file' ? 'Importing…' : 'Upload .ics file'}
              <input type="file" accept=".ics,text/calendar" disabled={!!working} onChange={(e) => void upload(e.target as HTMLInputElement)} data-testid="calendar-busy-file" />
            </label>
          </div>
          <small class="muted">Replaces the busy times imported before.</small>
        </div>
        <div class="field field-inline">
          <span>From a URL</span>
          <div class="busy-url">
            <input
              class="text-input"
              type="url"
              inputMode="url"
              placeholder="https://calendar.example.com/you.ics"
              value={draftUrl}
              aria-label="Calendar URL (.ics)"
              aria-invalid={badUrl ? 'true' : 'false'}
              onInput={(e) => onUrl((e.target as HTMLInputElement).value)}
              data-testid="calendar-ics-url"
            />
            <button type="button" class="btn btn-sm" disabled={!!working || !savedUrl || urlDirty} onClick={() => void refresh()} data-testid="calendar-refresh">
              {working === 'refresh' ? 'Refreshing…' : 'Refresh now'}
            </button>
          </div>
          <small class="muted">{urlDirty ? 'Save the calendar to use this address, then refresh.' : savedUrl ? 'Saved. “Refresh now” fetches it again.' : 'Saved with the calendar.'}</small>
        </div>
      </div>
      {error && (
        <p class="form-error" role="alert" data-testid="calendar-busy-error">
          {error}
        </p>
      )}
      {result && !error && (
        <p class="saved busy-result" role="status" data-testid="calendar-busy-result">
          ✓ {result}
        </p>
      )}
    </section>
  );
}
