import { useEffect, useMemo, useState } from 'preact/hooks';
import type { State, Store, View } from '../store';
import type { AgentSettings, ScheduleBlock } from '../types';
import { weekdayName, zonedParts } from '../format';
import { useNow } from '../hooks';
import { notificationPermission, notifyInForeground, requestNotificationPermission, watchNotificationPermission, type Permission } from '../notify';
import { TeamStatus } from './TeamStatus';
import { WorkspaceSettings } from './WorkspaceSettings';
import { RoutingSettings } from './RoutingSettings';
import { LoadingCard } from './LoadState';

/** /inbox/settings, and for admins /inbox/settings/team, /inbox/settings/workspace and /inbox/settings/routing. */
export function SettingsPage({ store, state }: { store: Store; state: State }) {
  const admin = state.me?.role === 'admin';
  const view = admin ? state.view : 'settings';
  const item = (v: View, text: string, sub: string, testid: string) => (
    <li>
      <a
        href={v === 'settings' ? '/inbox/settings' : `/inbox/settings/${v}`}
        class={`side-link ${view === v ? 'is-current' : ''}`}
        aria-current={view === v ? 'page' : undefined}
        onClick={(e) => {
          if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
          e.preventDefault();
          store.navigate(v);
        }}
        data-testid={testid}
      >
        <span>{text}</span>
        <small>{sub}</small>
      </a>
    </li>
  );
  return (
    <main class="settings-page" data-testid="settings-page" data-view={view}>
      <aside class="settings-side">
        <h1>Settings</h1>
        <ul>
          {item('settings', 'My availability', 'Schedule, chats, alerts', 'nav-my-settings')}
          {admin && item('team', 'Team status', 'Who is available now', 'nav-team')}
          {admin && item('workspace', 'Chat routing', 'Timeouts and fallback', 'nav-workspace')}
          {admin && item('routing', 'Routing rules', 'Teams, accounts, custom rules', 'nav-routing')}
        </ul>
      </aside>
      <div class="settings-main">
        {view === 'team' ? (
          <TeamStatus store={store} state={state} />
        ) : view === 'workspace' ? (
          <WorkspaceSettings store={store} />
        ) : view === 'routing' ? (
          <RoutingSettings store={store} state={state} />
        ) : (
          <MySettings store={store} state={state} />
        )}
      </div>
    </main>
  );
}

// ---- my settings ------------------------------------------------------------------------

interface DraftBlock extends ScheduleBlock {
  key: number;
}

interface Draft {
  time_zone: string;
  blocks: DraftBlock[];
  max_chats: string;
  sound: boolean;
}

const START_RE = /^([01]\d|2[0-3]):[0-5]\d$/;
const END_RE = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
let blockKey = 0;

function toDraft(s: AgentSettings): Draft {
  return {
    time_zone: s.time_zone || 'UTC',
    blocks: sortBlocks((s.schedule ?? []).map((b) => ({ ...b, key: ++blockKey }))),
    max_chats: String(s.max_chats ?? 10),
    sound: s.sound !== false,
  };
}

function sortBlocks<T extends ScheduleBlock>(list: T[]): T[] {
  return list.slice().sort((a, b) => a.weekday - b.weekday || a.start.localeCompare(b.start));
}

/** "9:00" → "09:00", "930" → "09:30"; anything else is left for the validator. */
function normalizeTime(v: string): string {
  const m = /^\s*(\d{1,2})[:.h]?(\d{2})\s*$/.exec(v);
  return m ? `${m[1].padStart(2, '0')}:${m[2]}` : v.trim();
}

function fromDraft(d: Draft): AgentSettings {
  return {
    time_zone: d.time_zone,
    schedule: sortBlocks(d.blocks.map(({ weekday, start, end }) => ({ weekday, start: normalizeTime(start), end: normalizeTime(end) }))),
    max_chats: Number(d.max_chats),
    sound: d.sound,
  };
}

function sameSettings(a: AgentSettings, b: AgentSettings): boolean {
  return JSON.stringify(fromDraft(toDraft(a))) === JSON.stringify(fromDraft(toDraft(b)));
}

/** "Runs past midnight, until Tue 02:00" for a block whose end is not after its start. */
function blockHint(b: ScheduleBlock): string | null {
  const start = normalizeTime(b.start);
  const end = normalizeTime(b.end);
  if (!START_RE.test(start) || !END_RE.test(end) || end === '24:00') return null;
  if (end >= start) return null; // equal: the server refuses an empty block and says so
  return `Runs past midnight, until ${weekdayName((b.weekday % 7) + 1, true)} ${end}`;
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
function timeZones(): string[] {
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

function browserZone(): string {
  try {
    const z = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    return RENAMED[z] ?? z;
  } catch {
    return 'UTC';
  }
}

function MySettings({ store, state }: { store: Store; state: State }) {
  const settings = state.settings;
  const [draft, setDraft] = useState<Draft | null>(settings ? toDraft(settings) : null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const now = useNow(15_000);

  useEffect(() => {
    if (settings && !draft) setDraft(toDraft(settings));
  }, [settings]);

  if (!draft) return <LoadingCard error={state.settingsError} onRetry={() => store.loadSettings()} errorTestId="settings-error" text="Loading your settings…" />;

  const update = (patch: Partial<Draft>) => {
    setDraft({ ...draft, ...patch });
    setSaved(false);
  };
  const setBlock = (key: number, patch: Partial<ScheduleBlock>) => update({ blocks: draft.blocks.map((b) => (b.key === key ? { ...b, ...patch } : b)) });
  const removeBlock = (key: number) => update({ blocks: draft.blocks.filter((b) => b.key !== key) });
  const addBlock = (weekday: number) => {
    const day = draft.blocks.filter((b) => b.weekday === weekday);
    const last = day[day.length - 1];
    let start = '09:00';
    let end = '17:00';
    if (last && END_RE.test(normalizeTime(last.end)) && normalizeTime(last.end) < '23:00') {
      const h = Number(normalizeTime(last.end).slice(0, 2));
      start = `${String(h + 1).padStart(2, '0')}:00`;
      end = `${String(Math.min(h + 4, 24)).padStart(2, '0')}:00`;
    }
    update({ blocks: [...draft.blocks, { key: ++blockKey, weekday, start, end }] });
  };
  const copyToWeekdays = (weekday: number) => {
    const src = draft.blocks.filter((b) => b.weekday === weekday);
    const others = draft.blocks.filter((b) => b.weekday === weekday || b.weekday > 5);
    const copies = [1, 2, 3, 4, 5].filter((d) => d !== weekday).flatMap((d) => src.map((b) => ({ ...b, weekday: d, key: ++blockKey })));
    update({ blocks: sortBlocks([...others, ...copies]) });
  };

  const invalid = new Set<string>();
  for (const b of draft.blocks) {
    if (!START_RE.test(normalizeTime(b.start))) invalid.add(`${b.key}:start`);
    if (!END_RE.test(normalizeTime(b.end))) invalid.add(`${b.key}:end`);
  }
  const maxChats = Number(draft.max_chats);
  const maxChatsBad = !Number.isInteger(maxChats) || maxChats < 1 || maxChats > 1000;
  const next = fromDraft(draft);
  const dirty = !settings || !sameSettings(settings, next);
  const zones = timeZones();
  const zoneOptions = zones.includes(draft.time_zone) ? zones : [draft.time_zone, ...zones];
  const here = zonedParts(now, draft.time_zone);
  const mine = browserZone();

  async function save(e: Event) {
    e.preventDefault();
    if (busy) return;
    if (invalid.size) {
      setError('Please use HH:MM times (00:00–23:59; an end may be 24:00).');
      return;
    }
    if (maxChatsBad) {
      setError('Max concurrent chats must be a whole number from 1 to 1000.');
      return;
    }
    setBusy(true);
    setError(null);
    const err = await store.saveSettings(next);
    setBusy(false);
    if (err) {
      setError(`Not saved: ${err}`);
      return;
    }
    setSaved(true);
    if (store.state.settings) setDraft(toDraft(store.state.settings));
  }

  return (
    <form class="settings-form" onSubmit={save} noValidate data-testid="settings-form">
      <header class="settings-head">
        <div>
          <h2>My availability</h2>
          <p class="muted">When you receive live chats, how many at once, and how Parley gets your attention.</p>
        </div>
      </header>

      <section class="card">
        <h3>Time zone</h3>
        <p class="muted small">Your schedule below is in this zone; daylight-saving changes are handled for you.</p>
        <div class="tz-row">
          <select
            class="select"
            value={draft.time_zone}
            onChange={(e) => update({ time_zone: (e.target as HTMLSelectElement).value })}
            aria-label="Time zone"
            data-testid="settings-time-zone"
          >
            {zoneOptions.map((z) => (
              <option key={z} value={z}>
                {z.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
          <span class="tz-now" data-testid="settings-zone-now">
            Now {here.time} on {weekdayName(here.weekday)}
          </span>
          {mine !== draft.time_zone && (
            <button type="button" class="link-btn small" onClick={() => update({ time_zone: mine })}>
              Use this computer’s zone ({mine.replace(/_/g, ' ')})
            </button>
          )}
        </div>
      </section>

      <section class="card">
        <h3>Live chat hours</h3>
        <p class="muted small">
          You are available for new chats inside these blocks. Add several per day (e.g. 08:00–12:00 and 13:00–17:00). A block whose end is not after
          its start runs past midnight. The toggle in the top bar overrides this until the next block starts or ends, or midnight.
        </p>
        <div class="schedule" data-testid="schedule">
          {[1, 2, 3, 4, 5, 6, 7].map((day) => {
            const blocks = draft.blocks.filter((b) => b.weekday === day);
            return (
              <div class={`schedule-day ${here.weekday === day ? 'is-today' : ''}`} key={day} data-testid="schedule-day" data-weekday={day}>
                <div class="schedule-name">
                  {weekdayName(day)}
                  {here.weekday === day && <span class="today-tag">Today</span>}
                </div>
                <div class="schedule-blocks">
                  {!blocks.length && <span class="muted small schedule-off">Not available</span>}
                  {blocks.map((b) => {
                    const hint = blockHint(b);
                    const badStart = invalid.has(`${b.key}:start`);
                    const badEnd = invalid.has(`${b.key}:end`);
                    return (
                      <div class="block" key={b.key} data-testid="schedule-block">
                        <TimeInput value={b.start} label={`${weekdayName(day)} block start`} bad={badStart} onValue={(start) => setBlock(b.key, { start })} testid="block-start" />
                        <span class="muted">–</span>
                        <TimeInput value={b.end} label={`${weekdayName(day)} block end`} bad={badEnd} onValue={(end) => setBlock(b.key, { end })} testid="block-end" />
                        <button type="button" class="icon-btn" aria-label="Remove this block" title="Remove" onClick={() => removeBlock(b.key)} data-testid="block-remove">
                          ×
                        </button>
                        {hint && (
                          <span class="block-hint" data-testid="block-hint">
                            {hint}
                          </span>
                        )}
                        {(badStart || badEnd) && <span class="block-error">Use HH:MM{badEnd ? ' (end may be 24:00)' : ''}</span>}
                      </div>
                    );
                  })}
                </div>
                <div class="schedule-actions">
                  <button type="button" class="btn btn-ghost btn-sm" onClick={() => addBlock(day)} data-testid="add-block">
                    + Add hours
                  </button>
                  {day <= 5 && blocks.length > 0 && (
                    <button type="button" class="link-btn small" onClick={() => copyToWeekdays(day)} title="Replace Monday–Friday with these hours">
                      Copy to weekdays
                    </button>
                  )}
                </div>
              </div>
            );
          })}
        </div>
      </section>

      <section class="card">
        <h3>Chats and alerts</h3>
        <div class="settings-grid">
          <label class="field field-inline">
            <span>Max concurrent chats</span>
            <input
              type="number"
              min={1}
              max={1000}
              step={1}
              value={draft.max_chats}
              aria-invalid={maxChatsBad ? 'true' : 'false'}
              onInput={(e) => update({ max_chats: (e.target as HTMLInputElement).value })}
              data-testid="settings-max-chats"
            />
            <small class="muted">New requests skip you while you have this many active chats.</small>
          </label>
          <div class="field field-inline">
            <span>Notification sound</span>
            <label class="check">
              <input type="checkbox" checked={draft.sound} onChange={(e) => update({ sound: (e.target as HTMLInputElement).checked })} data-testid="settings-sound" />
              Ring until I accept a new request
            </label>
            <button type="button" class="link-btn small" onClick={() => store.sound.test()} data-testid="settings-test-sound">
              Play the sound
            </button>
          </div>
        </div>
      </section>

      <BrowserAlerts />

      <footer class="settings-foot">
        {error && (
          <p class="form-error" role="alert" data-testid="settings-error">
            {error}
          </p>
        )}
        {saved && !dirty && !error && (
          <span class="saved" role="status" data-testid="settings-saved">
            ✓ Saved
          </span>
        )}
        <button
          type="button"
          class="btn btn-ghost"
          disabled={!dirty || busy || !settings}
          onClick={() => {
            if (settings) setDraft(toDraft(settings));
            setError(null);
          }}
        >
          Discard changes
        </button>
        <button type="submit" class="btn btn-primary" disabled={busy || !dirty} data-testid="settings-save">
          {busy ? 'Saving…' : 'Save settings'}
        </button>
      </footer>
    </form>
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

/** Per-browser preferences (not stored on the server: permission is per browser anyway). */
function BrowserAlerts() {
  const [perm, setPerm] = useState<Permission>(notificationPermission());
  const [foreground, setForeground] = useState(notifyInForeground.get());
  useEffect(() => watchNotificationPermission(setPerm), []);
  const text = useMemo(
    () =>
      perm === 'granted'
        ? 'Allowed: you get a desktop notification for each new request.'
        : perm === 'denied'
          ? 'Blocked in this browser. Allow notifications for this site in the browser’s site settings.'
          : perm === 'unsupported'
            ? 'This browser does not support notifications.'
            : 'Not enabled yet.',
    [perm],
  );
  return (
    <section class="card">
      <h3>This browser</h3>
      <div class="field field-inline">
        <span>Browser notifications</span>
        <p class="muted small" data-testid="settings-notification-state">
          {text}
        </p>
        {perm === 'default' && (
          <button type="button" class="btn btn-sm" onClick={async () => setPerm(await requestNotificationPermission())} data-testid="settings-enable-notifications">
            Enable browser notifications
          </button>
        )}
        <label class="check">
          <input
            type="checkbox"
            checked={foreground}
            disabled={perm === 'unsupported'}
            onChange={(e) => {
              const on = (e.target as HTMLInputElement).checked;
              notifyInForeground.set(on);
              setForeground(on);
            }}
            data-testid="settings-notify-foreground"
          />
          Also notify while the Inbox is in front (normally only when it is in the background)
        </label>
      </div>
    </section>
  );
}
