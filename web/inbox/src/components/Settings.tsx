import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { State, Store, View } from '../store';
import { VIEW_PATHS } from '../store';
import type { AgentSettings } from '../types';
import { zonedParts } from '../format';
import { useLeaveGuard, useNow } from '../hooks';
import { notificationPermission, notifyInForeground, requestNotificationPermission, watchNotificationPermission, type Permission } from '../notify';
import { TeamStatus } from './TeamStatus';
import { ProfileSettings } from './ProfileSettings';
import { WorkspaceSettings } from './WorkspaceSettings';
import { RoutingSettings } from './RoutingSettings';
import { CalendarSettings } from './CalendarSettings';
import { LoadingCard } from './LoadState';
import { ScheduleEditor, ZonePicker, draftBlocks, invalidTimes, wireBlocks, type DraftBlock } from './Schedule';
import { SettingsFooter } from './SettingsFooter';
import { LanguageCard } from './LanguageCard';

/**
 * /inbox/settings and /inbox/settings/calendar, and for admins /inbox/settings/team,
 * /inbox/settings/workspace and /inbox/settings/routing.
 */
export function SettingsPage({ store, state }: { store: Store; state: State }) {
  const admin = state.me?.role === 'admin';
  const view = admin || state.view === 'calendar' ? state.view : 'settings';
  const item = (v: View, text: string, sub: string, testid: string) => (
    <li>
      <a
        href={VIEW_PATHS[v]}
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
          {item('calendar', 'Meeting calendar', 'Bookable hours, busy times', 'nav-calendar')}
          {admin && item('team', 'Team', 'Agents, roles, status, people import', 'nav-team')}
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
        ) : view === 'calendar' ? (
          <CalendarSettings store={store} state={state} />
        ) : (
          <>
            <ProfileSettings state={state} />
            <MySettings store={store} state={state} />
          </>
        )}
      </div>
    </main>
  );
}

// ---- my settings ------------------------------------------------------------------------

interface Draft {
  time_zone: string;
  blocks: DraftBlock[];
  max_chats: string;
  sound: boolean;
  language: string;
}

function toDraft(s: AgentSettings): Draft {
  return {
    time_zone: s.time_zone || 'UTC',
    blocks: draftBlocks(s.schedule),
    max_chats: String(s.max_chats ?? 10),
    sound: s.sound !== false,
    language: s.language ?? '',
  };
}

function fromDraft(d: Draft): AgentSettings {
  return {
    time_zone: d.time_zone,
    schedule: wireBlocks(d.blocks),
    max_chats: Number(d.max_chats),
    sound: d.sound,
    language: d.language,
  };
}

function sameSettings(a: AgentSettings, b: AgentSettings): boolean {
  return JSON.stringify(fromDraft(toDraft(a))) === JSON.stringify(fromDraft(toDraft(b)));
}

function MySettings({ store, state }: { store: Store; state: State }) {
  const settings = state.settings;
  const [draft, setDraft] = useState<Draft | null>(settings ? toDraft(settings) : null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const now = useNow(15_000);
  const leaveGuard = useLeaveGuard(store);

  // The page reloads the settings when it opens: a draft nobody has touched yet follows the fresh
  // copy (else it would show stale values, and count as unsaved changes).
  const base = useRef(settings);
  useEffect(() => {
    const untouched = !draft || (!!base.current && sameSettings(base.current, fromDraft(draft)));
    if (settings && untouched) setDraft(toDraft(settings));
    base.current = settings;
  }, [settings]);

  if (!draft) return <LoadingCard error={state.settingsError} onRetry={() => store.loadSettings()} errorTestId="settings-error" text="Loading your settings…" />;

  const update = (patch: Partial<Draft>) => {
    setDraft({ ...draft, ...patch });
    setSaved(false);
  };
  const invalid = invalidTimes(draft.blocks);
  const maxChats = Number(draft.max_chats);
  const maxChatsBad = !Number.isInteger(maxChats) || maxChats < 1 || maxChats > 1000;
  const next = fromDraft(draft);
  const dirty = !settings || !sameSettings(settings, next);
  leaveGuard.current = !!settings && dirty;
  const here = zonedParts(now, draft.time_zone);

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

      <LanguageCard value={draft.language} onChange={(language) => update({ language })} />

      <section class="card">
        <h3>Time zone</h3>
        <p class="muted small">Your schedule below is in this zone; daylight-saving changes are handled for you.</p>
        <ZonePicker zone={draft.time_zone} now={now} onZone={(time_zone) => update({ time_zone })} testid="settings-time-zone" nowTestid="settings-zone-now" />
      </section>

      <section class="card">
        <h3>Live chat hours</h3>
        <p class="muted small">
          You are available for new chats inside these blocks. Add several per day (e.g. 08:00–12:00 and 13:00–17:00). A block whose end is not after
          its start runs past midnight. The toggle in the top bar overrides this until the next block starts or ends, or midnight.
        </p>
        <ScheduleEditor blocks={draft.blocks} onBlocks={(blocks) => update({ blocks })} todayWeekday={here.weekday} invalid={invalid} offText="Not available" />
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

      <SettingsFooter
        id="settings"
        error={error}
        saved={!!saved}
        dirty={dirty}
        busy={busy}
        canDiscard={!!settings}
        onDiscard={() => {
          if (settings) setDraft(toDraft(settings));
          setError(null);
        }}
        saveLabel="Save settings"
      />
    </form>
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
