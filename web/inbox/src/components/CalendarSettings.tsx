import { useEffect, useRef, useState } from 'preact/hooks';
import type { State, Store } from '../store';
import type { Calendar } from '../types';
import { meetingDateTime, zonedParts } from '../format';
import { useLeaveGuard, useNow } from '../hooks';
import { LoadingCard } from './LoadState';
import { ScheduleEditor, ZonePicker, draftBlocks, invalidTimes, wireBlocks, type DraftBlock } from './Schedule';
import { SettingsFooter } from './SettingsFooter';
import { t } from '../i18n';

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
  // label, unit and help are text keys.
  { key: 'duration_minutes', label: 'cal.duration', min: 5, max: 480, unit: 'unit.minutes', help: 'cal.durationHelp', testid: 'calendar-duration' },
  { key: 'buffer_minutes', label: 'cal.buffer', min: 0, max: 480, unit: 'unit.minutes', help: 'cal.bufferHelp', testid: 'calendar-buffer' },
  { key: 'notice_minutes', label: 'cal.notice', min: 0, max: 43200, unit: 'unit.minutes', help: 'cal.noticeHelp', testid: 'calendar-notice' },
  { key: 'horizon_days', label: 'cal.horizon', min: 1, max: 90, unit: 'unit.days', help: 'cal.horizonHelp', testid: 'calendar-horizon' },
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
  return t('cal.badUrl');
}

const busyPeriods = (n: number): string => t('cal.busyPeriods', { count: n });

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

  if (!draft || !cal) return <LoadingCard error={state.calendarError} onRetry={() => store.loadCalendar()} errorTestId="calendar-error" text={t('cal.loading')} />;

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
  if (invalid.size) problems.push(t('cal.badTimes'));
  const badNumbers = new Set<NumberKey>();
  for (const f of NUMBERS) {
    const v = next[f.key] as number;
    if (!(Number.isInteger(v) && v >= f.min && v <= f.max)) {
      badNumbers.add(f.key);
      problems.push(t('cal.wholeNumber', { field: t(f.label), min: f.min, max: f.max, unit: t(f.unit) }));
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
      setError(t('cal.notSaved', { error: err }));
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
          <h2>{t('cal.title')}</h2>
          <p class="muted">{t('cal.sub')}</p>
        </div>
        <span class={`status ${cal.bookable ? 'status-active' : ''}`} data-testid="calendar-bookable" data-bookable={cal.bookable ? 'true' : 'false'}>
          {cal.bookable ? t('cal.bookable', { count: blockCount }) : t('cal.notBookable')}
        </span>
      </header>

      <section class="card">
        <h3>{t('settings.timeZone')}</h3>
        <p class="muted small">{t('cal.zoneHelp')}</p>
        <ZonePicker zone={draft.time_zone} now={now} onZone={(time_zone) => update({ time_zone })} testid="calendar-time-zone" nowTestid="calendar-zone-now" />
      </section>

      <section class="card">
        <h3>{t('cal.hours')}</h3>
        <p class="muted small">
          {t('cal.hoursHelp')}
        </p>
        <ScheduleEditor blocks={draft.blocks} onBlocks={(blocks) => update({ blocks })} todayWeekday={here.weekday} invalid={invalid} offText={t('cal.noMeetings')} />
      </section>

      <section class="card">
        <h3>{t('cal.meetings')}</h3>
        <div class="settings-grid">
          {NUMBERS.map((f) => (
            <label class="field field-inline" key={f.key}>
              <span>{t(f.label)}</span>
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
                <span>{t(f.unit)}</span>
              </div>
              <small class="muted">{t(f.help)}</small>
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
        saveLabel={t('cal.save')}
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
      setError(t('cal.tooLarge', { size: MAX_ICS_BYTES / 1024 / 1024 }));
      return;
    }
    setWorking('file');
    let text: string;
    try {
      text = await file.text();
    } catch {
      setWorking(null);
      setError(t('cal.unreadable'));
      return;
    }
    const err = await store.uploadBusy(text.replace(/^\uFEFF/, ''));
    setWorking(null);
    if (err) setError(t('cal.notImported', { error: err }));
    else setResult(t('cal.imported', { file: file.name, periods: busyPeriods(store.state.calendar?.busy_count ?? 0) }));
  }

  async function refresh() {
    if (working) return;
    setWorking('refresh');
    setError(null);
    setResult(null);
    const err = await store.refreshBusy();
    setWorking(null);
    if (err) setError(t('cal.notRefreshed', { error: err }));
    else setResult(t('cal.refreshed', { periods: busyPeriods(store.state.calendar?.busy_count ?? 0) }));
  }

  return (
    <section class="card" data-testid="calendar-busy">
      <h3>{t('cal.busy')}</h3>
      <p class="muted small">{t('cal.busyHelp')}</p>
      <p class="busy-status">
        <span data-testid="calendar-busy-count" data-count={cal.busy_count ?? 0}>
          {cal.busy_count ? t('cal.busyImported', { periods: busyPeriods(cal.busy_count) }) : t('cal.noBusy')}
        </span>
        {cal.busy_updated_at ? (
          <span class="muted" data-testid="calendar-busy-updated" data-at={cal.busy_updated_at}>
            {t('cal.lastImport', { when: meetingDateTime(cal.busy_updated_at, cal.time_zone) })}
          </span>
        ) : null}
      </p>
      <div class="busy-grid">
        <div class="field field-inline">
          <span>{t('cal.fromFile')}</span>
          <div class="csv-row">
            <label class={`btn btn-sm file-btn ${working ? 'is-disabled' : ''}`}>
              {working === 'file' ? t('cal.importing') : t('cal.upload')}
              <input type="file" accept=".ics,text/calendar" disabled={!!working} onChange={(e) => void upload(e.target as HTMLInputElement)} data-testid="calendar-busy-file" />
            </label>
          </div>
          <small class="muted">{t('cal.replaces')}</small>
        </div>
        <div class="field field-inline">
          <span>{t('cal.fromUrl')}</span>
          <div class="busy-url">
            <input
              class="text-input"
              type="url"
              inputMode="url"
              placeholder="https://calendar.example.com/you.ics"
              value={draftUrl}
              aria-label={t('cal.urlLabel')}
              aria-invalid={badUrl ? 'true' : 'false'}
              onInput={(e) => onUrl((e.target as HTMLInputElement).value)}
              data-testid="calendar-ics-url"
            />
            <button type="button" class="btn btn-sm" disabled={!!working || !savedUrl || urlDirty} onClick={() => void refresh()} data-testid="calendar-refresh">
              {working === 'refresh' ? t('cal.refreshing') : t('cal.refreshNow')}
            </button>
          </div>
          <small class="muted">{urlDirty ? t('cal.urlDirty') : savedUrl ? t('cal.urlSaved') : t('cal.urlWith')}</small>
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
